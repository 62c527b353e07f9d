package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.apps.chat.PacketDecoder.Direction;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class PacketDecoderTest {
    private final PacketDecoder fromClient = new PacketDecoder(Direction.FROM_CLIENT);
    private final PacketDecoder fromServer = new PacketDecoder(Direction.FROM_SERVER);

    @Test
    void theExamplesOfTheProtocolAreEncodedByteForByte() {
        PacketEncoder encoder = new PacketEncoder();
        // The protocol's examples put a space after ':' and ','; ours is the compact form of the same JSON.
        byte[] hello = encoder.encode(new Packet.Hello("pat"));
        byte[] chat = encoder.encode(new Packet.Chat(null, "hi"));

        assertThat(new String(hello, 2, hello.length - 2, StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"hello\",\"nick\":\"pat\"}");
        assertThat(HexFormat.of().formatHex(hello, 0, 2)).isEqualTo("001d");
        assertThat(new String(chat, 2, chat.length - 2, StandardCharsets.UTF_8)).isEqualTo("{\"type\":\"chat\",\"message\":\"hi\"}");
    }

    @Test
    void theSpacedExamplesOfTheProtocolDecode() throws Exception {
        assertThat(decode(fromClient, "{\"type\": \"hello\", \"nick\": \"pat\"}")).isEqualTo(new Packet.Hello("pat"));
        assertThat(decode(fromClient, "{\"type\": \"chat\", \"message\": \"hi\"}")).isEqualTo(new Packet.Chat(null, "hi"));
    }

    @Test
    void anyFieldOrderWhitespaceEscapesAndRawUtf8() throws Exception {
        assertThat(decode(fromClient, " \r\n\t{ \"message\" :\"Zo\\u00eb \\ud83d\\ude00\" ,\n\"to\":\"chris\", \"type\":\"dm\" }\n"))
                .isEqualTo(new Packet.Dm(null, "chris", "Zoë \uD83D\uDE00"));
        assertThat(decode(fromClient, "{\"type\":\"chat\",\"message\":\"Zoë 😀 \\\"q\\\" \\\\\"}"))
                .isEqualTo(new Packet.Chat(null, "Zoë 😀 \"q\" \\"));
    }

    @Test
    void unknownFieldsAreIgnored() throws Exception {
        assertThat(decode(fromClient, "{\"type\":\"who\",\"extra\":{\"a\":[1,2,{}]},\"n\":null}"))
                .isEqualTo(new Packet.Who());
    }

    @Test
    void serverPacketsDecodeOnTheClientSide() throws Exception {
        assertThat(decode(fromServer, "{\"type\":\"users\",\"nicks\":[\"a\",\"b\"]}")).isEqualTo(new Packet.Users(List.of("a", "b")));
        assertThat(decode(fromServer, "{\"nick\":\"pat\",\"type\":\"join\"}")).isEqualTo(new Packet.Join("pat"));
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "c0af",              // overlong '/'
        "e080af",            // overlong, three bytes
        "eda080",            // an encoded surrogate (CESU-8)
        "80",                // a stray continuation byte
        "c3",                // a sequence cut short
        "f4908080",          // above U+10FFFF
        "ff"})
    void invalidUtf8InsideAStringIsFatal(String hex) {
        byte[] before = "{\"type\":\"chat\",\"message\":\"".getBytes(StandardCharsets.UTF_8);
        byte[] bad = HexFormat.of().parseHex(hex);
        byte[] after = "\"}".getBytes(StandardCharsets.UTF_8);
        byte[] payload = new byte[before.length + bad.length + after.length];
        System.arraycopy(before, 0, payload, 0, before.length);
        System.arraycopy(bad, 0, payload, before.length, bad.length);
        System.arraycopy(after, 0, payload, before.length + bad.length, after.length);

        assertThatThrownBy(() -> fromClient.decode(payload, 0, payload.length))
                .isInstanceOfSatisfying(ChatProtocolException.class, e -> assertThat(e.fatal()).isTrue())
                .hasMessage("invalid UTF-8");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", " ", "{", "{\"type\":\"who\"", "{\"type\":\"who\"}{}", "{\"type\":\"who\"} x",
        "{type:\"who\"}", "{\"type\":'who'}", "{\"type\":\"who\",}", "{\"type\":\"who\",\"type\":\"who\"}", "nul"})
    void unparseableJsonIsFatal(String json) {
        assertThatThrownBy(() -> decode(fromClient, json))
                .isInstanceOfSatisfying(ChatProtocolException.class, e -> assertThat(e.fatal()).isTrue())
                .hasMessage("invalid JSON");
    }

    @Test
    void deepNestingIsFatalNotACrash() {
        String json = "{\"type\":\"who\",\"x\":" + "[".repeat(5000) + "]".repeat(5000) + "}";

        assertThatThrownBy(() -> decode(fromClient, json))
                .isInstanceOfSatisfying(ChatProtocolException.class, e -> assertThat(e.fatal()).isTrue());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "[1,2]                                  | a packet must be a JSON object",
        "\"hello\"                              | a packet must be a JSON object",
        "{}                                     | missing field: type",
        "{\"type\":\"hello\"}                   | missing field: nick",
        "{\"type\":\"chat\"}                    | missing field: message",
        "{\"type\":\"dm\",\"message\":\"x\"}    | missing field: to",
        "{\"type\":\"hello\",\"nick\":7}        | field nick must be a string",
        "{\"type\":[\"chat\"],\"message\":\"x\"}| field type must be a string",
        "{\"type\":\"chat\",\"message\":null}   | field message must be a string",
        "{\"type\":\"join\",\"nick\":\"x\"}     | unknown type: join",
        "{\"type\":\"shout\"}                   | unknown type: shout"})
    void wellFormedButWrongPacketsAreRefusedNotFatal(String json, String error) {
        assertThatThrownBy(() -> decode(fromClient, json))
                .isInstanceOfSatisfying(ChatProtocolException.class, e -> assertThat(e.fatal()).isFalse())
                .hasMessage(error);
    }

    @Test
    void aLongUnknownTypeIsShortenedInTheError() {
        assertThatThrownBy(() -> decode(fromClient, "{\"type\":\"" + "x".repeat(1000) + "\"}"))
                .hasMessage("unknown type: " + "x".repeat(32) + "...");
    }

    @Test
    void aDecoderIsReusedAfterAnError() throws Exception {
        assertThatThrownBy(() -> decode(fromClient, "{\"type\":\"chat\",\"message\":\"\\u00e9"));

        assertThat(decode(fromClient, "{\"type\":\"chat\",\"message\":\"ok\"}")).isEqualTo(new Packet.Chat(null, "ok"));
    }

    private static Packet decode(PacketDecoder decoder, String json) throws ChatProtocolException {
        byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
        return decoder.decode(bytes, 0, bytes.length);
    }
}
