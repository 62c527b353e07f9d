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
