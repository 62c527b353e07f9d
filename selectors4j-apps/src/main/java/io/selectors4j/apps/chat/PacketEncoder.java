package io.selectors4j.apps.chat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

/**
 * Writes packets as frames: the 2-byte length, then the packet as one JSON object through Jackson.
 * A packet whose JSON is over 65,535 bytes is refused with {@link FrameTooLargeException}, never
 * sent with a wrapped length. One encoder reuses its buffer: use it from one thread.
 */
public final class PacketEncoder {
    private static final JsonFactory JSON = new JsonFactory();

    private final FrameBuffer buffer = new FrameBuffer();

    /** The frame of {@code packet}, header included, in a new array the caller owns. */
    public byte[] encode(Packet packet) {
        buffer.reset();
        try (JsonGenerator json = JSON.createGenerator(buffer)) {
            json.writeStartObject();
            json.writeStringField("type", packet.type());
            writeFields(json, packet);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return buffer.frame();
    }

    private static void writeFields(JsonGenerator json, Packet packet) throws IOException {
        switch (packet) {
            case Packet.Hello p -> json.writeStringField("nick", p.nick());
            case Packet.Chat p -> {
                writeOptional(json, "nick", p.nick());
                json.writeStringField("message", p.message());
            }
            case Packet.Join p -> json.writeStringField("nick", p.nick());
            case Packet.Leave p -> json.writeStringField("nick", p.nick());
            case Packet.Emote p -> {
                writeOptional(json, "nick", p.nick());
                json.writeStringField("message", p.message());
            }
            case Packet.Dm p -> {
                writeOptional(json, "nick", p.nick());
                json.writeStringField("to", p.to());
                json.writeStringField("message", p.message());
            }
            case Packet.Who _ -> { }
            case Packet.Users p -> {
                json.writeArrayFieldStart("nicks");
                for (String nick : p.nicks()) {
                    json.writeString(nick);
                }
                json.writeEndArray();
            }
            case Packet.Error p -> json.writeStringField("message", p.message());
        }
    }

    private static void writeOptional(JsonGenerator json, String field, String value) throws IOException {
        if (value != null) {
            json.writeStringField(field, value);
        }
    }

    /** A growable byte buffer that starts with room for the header and fills it in at the end. */
    private static final class FrameBuffer extends OutputStream {
        private byte[] bytes = new byte[256];
        private int count;

        void reset() {
            count = Frames.HEADER;
        }

        @Override
        public void write(int b) {
            ensure(1);
            bytes[count++] = (byte) b;
        }

        @Override
        public void write(byte[] data, int off, int len) {
            ensure(len);
            System.arraycopy(data, off, bytes, count, len);
            count += len;
        }

        byte[] frame() {
            Frames.writeHeader(bytes, 0, count - Frames.HEADER);
            return Arrays.copyOf(bytes, count);
        }

        private void ensure(int more) {
            if (count + more > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, count + more));
            }
        }
    }
}
