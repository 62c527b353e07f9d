package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

class FrameDecoderProperties {

    @Property(tries = 200)
    void packetsCutAnywhereDecodeToTheSamePackets(
            @ForAll("payloads") List<byte[]> payloads, @ForAll @Size(max = 40) List<@IntRange(min = 1, max = 700) Integer> cuts) {
        byte[] stream = frames(payloads);
        FrameDecoder decoder = new FrameDecoder();
        List<byte[]> decoded = new ArrayList<>();
        int pos = 0;
        for (int i = 0; pos < stream.length; i++) {
            int chunk = i < cuts.size() ? Math.min(cuts.get(i), stream.length - pos) : stream.length - pos;
            byte[] copy = Arrays.copyOfRange(stream, pos, pos + chunk);
            decoder.feed(copy, 0, chunk, (data, off, len) -> decoded.add(Arrays.copyOfRange(data, off, off + len)));
            Arrays.fill(copy, (byte) 0x55);  // the decoder kept nothing that points into a caller's array
            pos += chunk;
        }

        assertThat(decoded).containsExactlyElementsOf(payloads);
        assertThat(decoder.midFrame()).isFalse();
    }

    @Property(tries = 50)
    void oneByteAtATimeSplitsEveryHeader(@ForAll("payloads") List<byte[]> payloads) {
        byte[] stream = frames(payloads);
        FrameDecoder decoder = new FrameDecoder();
        List<byte[]> decoded = new ArrayList<>();
        for (int i = 0; i < stream.length; i++) {
            decoder.feed(stream, i, 1, (data, off, len) -> decoded.add(Arrays.copyOfRange(data, off, off + len)));
        }

        assertThat(decoded).containsExactlyElementsOf(payloads);
    }

    @Property(tries = 20)
    void aFrameOfTheLargestSizeSurvivesAnyCut(@ForAll @IntRange(min = 0, max = Frames.MAX_PAYLOAD + 2) int cut) {
        byte[] payload = new byte[Frames.MAX_PAYLOAD];
        Arrays.fill(payload, (byte) 'x');
        byte[] stream = frames(List.of(payload, new byte[] {'y'}));
        FrameDecoder decoder = new FrameDecoder();
        List<byte[]> decoded = new ArrayList<>();
        decoder.feed(stream, 0, cut, (data, off, len) -> decoded.add(Arrays.copyOfRange(data, off, off + len)));
        decoder.feed(stream, cut, stream.length - cut, (data, off, len) -> decoded.add(Arrays.copyOfRange(data, off, off + len)));

        assertThat(decoded).containsExactly(payload, new byte[] {'y'});
    }

    @Property(tries = 50)
    void aSinkThatStopsGetsNoMoreFrames(@ForAll("payloads") @Size(min = 2) List<byte[]> payloads) {
        byte[] stream = frames(payloads);
        List<byte[]> decoded = new ArrayList<>();
        boolean more = new FrameDecoder().feed(stream, 0, stream.length, (data, off, len) -> {
            decoded.add(Arrays.copyOfRange(data, off, off + len));
            return false;
        });

        assertThat(more).isFalse();
        assertThat(decoded).containsExactly(payloads.getFirst());
    }

    @Provide
    Arbitrary<List<byte[]>> payloads() {
        Arbitrary<byte[]> small = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> large = Arbitraries.bytes().array(byte[].class).ofMinSize(250).ofMaxSize(2000);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, small), net.jqwik.api.Tuple.of(1, large)).list().ofMaxSize(20);
    }

    private static byte[] frames(List<byte[]> payloads) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] payload : payloads) {
            out.write(payload.length >>> 8);
            out.write(payload.length & 0xFF);
            out.writeBytes(payload);
        }
        return out.toByteArray();
    }
}
