package io.selectors4j.apps.chat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Reads the payload of one frame as a packet. The bytes must be strict UTF-8 (overlong forms,
 * encoded surrogates and stray bytes are refused, not replaced) holding exactly one JSON object with
 * a string {@code type}; field order and whitespace are free, {@code \}{@code uXXXX} escapes and raw
 * UTF-8 both work, unknown fields are ignored and a repeated field is refused. Bytes that are not
 * UTF-8 or not JSON are {@linkplain ChatProtocolException#fatal() fatal}; a well-formed packet with a
 * wrong or missing field is refused. One decoder reuses its buffers: use it from one thread.
 */
public final class PacketDecoder {
    private static final JsonFactory JSON = JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .build();

    /** Which side's packets this decoder reads. */
    public enum Direction {
        /** Packets a client sends: hello, chat, emote, dm, who. */
        FROM_CLIENT,
        /** Packets the server sends: chat, join, leave, emote, dm, users, error. */
        FROM_SERVER
    }

    private final Direction direction;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final CharBuffer chars = CharBuffer.allocate(Frames.MAX_PAYLOAD);

    /** A decoder of the packets that travel in {@code direction}. */
    public PacketDecoder(Direction direction) {
        this.direction = direction;
    }

    /** The packet in {@code data[off, off + len)}. */
    public Packet decode(byte[] data, int off, int len) throws ChatProtocolException {
        if (len > Frames.MAX_PAYLOAD) {
            throw new FrameTooLargeException(len);
        }
        decodeUtf8(data, off, len);
        Fields fields = new Fields();
        try (JsonParser parser = JSON.createParser(chars.array(), 0, chars.length())) {
            readObject(parser, fields);
        } catch (JsonProcessingException e) {
            throw ChatProtocolException.unparseable("invalid JSON");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return direction == Direction.FROM_CLIENT ? fields.fromClient() : fields.fromServer();
    }

    private void decodeUtf8(byte[] data, int off, int len) throws ChatProtocolException {
        chars.clear();
        utf8.reset();
        ByteBuffer in = ByteBuffer.wrap(data, off, len);
        try {
            if (utf8.decode(in, chars, true).isError() || utf8.flush(chars).isError()) {
                throw ChatProtocolException.unparseable("invalid UTF-8");
            }
        } finally {
            chars.flip();
        }
    }

    private static void readObject(JsonParser parser, Fields fields) throws IOException, ChatProtocolException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            throw ChatProtocolException.unparseable("invalid JSON");
        }
        if (first != JsonToken.START_OBJECT) {
            parser.skipChildren();
            expectEnd(parser);
            throw ChatProtocolException.refused("a packet must be a JSON object");
        }
        ChatProtocolException wrongField = null;
        while (parser.nextToken() == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            JsonToken value = parser.nextToken();
            try {
                fields.read(name, value, parser);
            } catch (ChatProtocolException e) {
                wrongField = wrongField == null ? e : wrongField;
                parser.skipChildren();
            }
        }
        expectEnd(parser);
        if (wrongField != null) {
            throw wrongField;
        }
    }

    private static void expectEnd(JsonParser parser) throws IOException {
        if (parser.nextToken() != null) {
            throw new JsonParseException(parser, "content after the packet");
        }
    }

    /** The fields of one packet as read, before they are checked against its type. */
    private static final class Fields {
        private String type;
        private String nick;
        private String message;
        private String to;
        private List<String> nicks;

        void read(String name, JsonToken value, JsonParser parser) throws IOException, ChatProtocolException {
            switch (name) {
                case "type" -> type = string(name, value, parser);
                case "nick" -> nick = string(name, value, parser);
                case "message" -> message = string(name, value, parser);
                case "to" -> to = string(name, value, parser);
                case "nicks" -> nicks = strings(name, value, parser);
                default -> parser.skipChildren();
            }
        }

        Packet fromClient() throws ChatProtocolException {
            return switch (required("type", type)) {
                case "hello" -> new Packet.Hello(required("nick", nick));
                case "chat" -> new Packet.Chat(null, required("message", message));
                case "emote" -> new Packet.Emote(null, required("message", message));
                case "dm" -> new Packet.Dm(null, required("to", to), required("message", message));
                case "who" -> new Packet.Who();
                default -> throw unknownType();
            };
        }

        Packet fromServer() throws ChatProtocolException {
            return switch (required("type", type)) {
                case "chat" -> new Packet.Chat(required("nick", nick), required("message", message));
                case "join" -> new Packet.Join(required("nick", nick));
                case "leave" -> new Packet.Leave(required("nick", nick));
                case "emote" -> new Packet.Emote(required("nick", nick), required("message", message));
                case "dm" -> new Packet.Dm(required("nick", nick), required("to", to), required("message", message));
                case "users" -> new Packet.Users(required("nicks", nicks));
                case "error" -> new Packet.Error(required("message", message));
                default -> throw unknownType();
            };
        }

        private ChatProtocolException unknownType() {
            return ChatProtocolException.unknownType(type);
        }

        private static <T> T required(String name, T value) throws ChatProtocolException {
            if (value == null) {
                throw ChatProtocolException.refused("missing field: " + name);
            }
            return value;
        }

        private static String string(String name, JsonToken value, JsonParser parser)
                throws IOException, ChatProtocolException {
            if (value != JsonToken.VALUE_STRING) {
                throw ChatProtocolException.refused("field " + name + " must be a string");
            }
            return parser.getText();
        }

        private static List<String> strings(String name, JsonToken value, JsonParser parser)
                throws IOException, ChatProtocolException {
            if (value != JsonToken.START_ARRAY) {
                throw ChatProtocolException.refused("field " + name + " must be an array of strings");
            }
            List<String> list = new ArrayList<>();
            boolean allStrings = true;
            for (JsonToken item = parser.nextToken(); item != JsonToken.END_ARRAY; item = parser.nextToken()) {
                allStrings &= item == JsonToken.VALUE_STRING;
                if (allStrings) {
                    list.add(parser.getText());
                } else {
                    parser.skipChildren();
                }
            }
            if (!allStrings) {
                throw ChatProtocolException.refused("field " + name + " must be an array of strings");
            }
            return list;
        }
    }
}
