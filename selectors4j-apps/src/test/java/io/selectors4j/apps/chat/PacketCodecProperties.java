package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.apps.chat.PacketDecoder.Direction;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;

class PacketCodecProperties {
    private final PacketEncoder encoder = new PacketEncoder();

    @Property(tries = 200)
    void anyTextRoundTripsThroughEveryServerPacket(@ForAll("text") String nick, @ForAll("text") String text) throws Exception {
        for (Packet packet : List.of(new Packet.Chat(nick, text), new Packet.Join(nick), new Packet.Leave(nick),
                new Packet.Emote(nick, text), new Packet.Dm(nick, text, nick), new Packet.Users(List.of(nick, text)),
                new Packet.Error(text))) {
            assertThat(roundTrip(packet, Direction.FROM_SERVER)).isEqualTo(packet);
        }
    }

    @Property(tries = 200)
    void anyTextRoundTripsThroughEveryClientPacket(@ForAll("text") String text) throws Exception {
        for (Packet packet : List.of(new Packet.Hello(text), new Packet.Chat(null, text), new Packet.Emote(null, text),
                new Packet.Dm(null, text, text), new Packet.Who())) {
            assertThat(roundTrip(packet, Direction.FROM_CLIENT)).isEqualTo(packet);
        }
    }

    @Property(tries = 200)
    void anySequenceOfPacketsCutAnywhereDecodesToTheSamePackets(
            @ForAll("serverPackets") List<Packet> packets, @ForAll("cuts") List<Integer> cuts) throws Exception {
        java.io.ByteArrayOutputStream stream = new java.io.ByteArrayOutputStream();
        for (Packet packet : packets) {
            stream.writeBytes(encoder.encode(packet));
        }
        byte[] bytes = stream.toByteArray();
        FrameDecoder frames = new FrameDecoder();
        PacketDecoder decoder = new PacketDecoder(Direction.FROM_SERVER);
        List<Packet> decoded = new java.util.ArrayList<>();
        int pos = 0;
        for (int i = 0; pos < bytes.length; i++) {
            int chunk = Math.min(i < cuts.size() ? cuts.get(i) : bytes.length, bytes.length - pos);
            frames.feed(java.util.Arrays.copyOfRange(bytes, pos, pos + chunk), 0, chunk, (data, off, len) -> {
                try {
                    decoded.add(decoder.decode(data, off, len));
                } catch (ChatProtocolException e) {
                    throw new AssertionError(e);
                }
                return true;
            });
            pos += chunk;
        }

        assertThat(decoded).isEqualTo(packets);
    }

    @Provide
    Arbitrary<List<Packet>> serverPackets() {
        Arbitrary<String> text = text();
        Arbitrary<Packet> packet = Arbitraries.oneOf(
                net.jqwik.api.Combinators.combine(text, text).as(Packet.Chat::new),
                text.map(Packet.Join::new),
                text.map(Packet.Leave::new),
                net.jqwik.api.Combinators.combine(text, text).as(Packet.Emote::new),
                net.jqwik.api.Combinators.combine(text, text, text).as(Packet.Dm::new),
                text.list().ofMaxSize(5).map(Packet.Users::new),
                text.map(Packet.Error::new));
        return packet.list().ofMaxSize(15);
    }

    /** Chunk sizes weighted to the smallest, so headers are split often. */
    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, Arbitraries.integers().between(1, 3)),
                net.jqwik.api.Tuple.of(2, Arbitraries.integers().between(4, 60)),
                net.jqwik.api.Tuple.of(1, Arbitraries.integers().between(61, 2000))).list().ofMaxSize(60);
    }

    @Property(tries = 30)
    void aPayloadOverTheLimitIsRefusedNotWrapped(@ForAll @IntRange(min = 1, max = 70_000) int extra) {
        // {"type":"error","message":"..."} is 29 bytes around the text.
        String text = "a".repeat(Frames.MAX_PAYLOAD - 29 + extra);

        assertThatThrownBy(() -> encoder.encode(new Packet.Error(text)))
                .isInstanceOf(FrameTooLargeException.class)
                .hasMessageContaining("65535");
    }

    @Property(tries = 10)
    void aPayloadOfExactlyTheLimitIsEncoded(@ForAll @IntRange(min = 0, max = 100) int shorter) throws Exception {
        String text = "a".repeat(Frames.MAX_PAYLOAD - 29 - shorter);

        byte[] frame = encoder.encode(new Packet.Error(text));

        assertThat(Frames.length(frame, 0)).isEqualTo(Frames.MAX_PAYLOAD - shorter).isEqualTo(frame.length - 2);
        assertThat(roundTrip(new Packet.Error(text), Direction.FROM_SERVER)).isEqualTo(new Packet.Error(text));
    }

    /** Strings from the whole of Unicode with the characters JSON must escape weighted in. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> astral = Arbitraries.integers().between(0x10000, 0x10FFFF).map(Character::toString);
        Arbitrary<String> special = Arbitraries.of("\"", "\\", "/", "\n", "\t", "\u0000", "\u001f", "\u007f",
                "\u2028", "\ufeff", "é", "\ud800", "\udfff");
        Arbitrary<String> any = Arbitraries.chars().all().map(String::valueOf);
        return Arbitraries.oneOf(astral, special, any).list().ofMaxSize(40).map(parts -> String.join("", parts));
    }

    private Packet roundTrip(Packet packet, Direction direction) throws ChatProtocolException {
        byte[] frame = encoder.encode(packet);
        assertThat(Frames.length(frame, 0)).isEqualTo(frame.length - Frames.HEADER);
        return new PacketDecoder(direction).decode(frame, Frames.HEADER, frame.length - Frames.HEADER);
    }
}
