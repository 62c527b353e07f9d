package io.selectors4j.apps.reliability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A raw chat connection for the tests: writes any bytes, and reads the server's frames on a thread of
 * its own, parsing each with Jackson (not the server's decoder) and keeping them, or the reason a frame
 * was not a valid packet.
 */
final class ChatClient implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Socket socket;
    private final OutputStream out;
    private final List<JsonNode> packets = new CopyOnWriteArrayList<>();
    private final List<String> invalid = new CopyOnWriteArrayList<>();
    private final Thread reader;

    ChatClient(int port) throws IOException {
        this.socket = Clients.connect(port);
        this.socket.setSoTimeout(0);
        this.out = socket.getOutputStream();
        this.reader = Thread.ofVirtual().start(this::read);
    }

    /** A frame: the 2-byte big-endian length, then the bytes. */
    static byte[] frame(byte[] body) {
        byte[] framed = new byte[body.length + 2];
        framed[0] = (byte) (body.length >>> 8);
        framed[1] = (byte) body.length;
        System.arraycopy(body, 0, framed, 2, body.length);
        return framed;
    }

    static byte[] frame(String json) {
        return frame(json.getBytes(StandardCharsets.UTF_8));
    }

    void send(byte[] bytes) throws IOException {
        out.write(bytes);
    }

    void send(String json) throws IOException {
        send(frame(json));
    }

    private void read() {
        try (DataInputStream in = new DataInputStream(socket.getInputStream())) {
            while (true) {
                byte[] body = new byte[in.readUnsignedShort()];
                in.readFully(body);
                try {
                    JsonNode packet = JSON.readTree(body);
                    if (packet == null || !packet.isObject() || !packet.path("type").isTextual()) {
                        invalid.add(new String(body, StandardCharsets.UTF_8));
                    } else {
                        packets.add(packet);
                    }
                } catch (IOException e) {
                    invalid.add(new String(body, StandardCharsets.UTF_8));
                }
            }
        } catch (EOFException | java.net.SocketException closed) {
            // The server or this client closed the connection.
        } catch (IOException e) {
            invalid.add("read failed: " + e.getMessage());
        }
    }

    /** The packets received so far, in order. */
    List<JsonNode> packets() {
        return List.copyOf(packets);
    }

    /** Frames that were not a JSON object with a string {@code type}. */
    List<String> invalid() {
        return List.copyOf(invalid);
    }

    /**
     * Says this client is done sending (a FIN) and waits for the server to answer what it sent and
     * close; false if it did not within {@code patience}.
     */
    boolean finish(java.time.Duration patience) throws IOException, InterruptedException {
        try {
            socket.shutdownOutput();
        } catch (IOException closedAlready) {
            // The server closed first and the reader with it: nothing is left to say.
        }
        return reader.join(patience);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        try {
            reader.join(java.time.Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
