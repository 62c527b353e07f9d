package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.chat.PacketDecoder.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * A chat client for tests, written on {@code java.net} so that it shares nothing with the server but
 * the codec: it sends packets or raw bytes and reads packets with a deadline.
 */
final class ChatTestClient implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final PacketEncoder encoder = new PacketEncoder();
    private final PacketDecoder decoder = new PacketDecoder(Direction.FROM_SERVER);
    private final FrameDecoder frames = new FrameDecoder();
    private final ArrayDeque<Packet> pending = new ArrayDeque<>();
    private final byte[] buffer = new byte[64 * 1024];

    private ChatTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the server at {@code address}. */
    static ChatTestClient connect(InetSocketAddress address) throws IOException {
        return connect(address, 0);
    }

    /** Connects with a receive buffer of {@code receiveBuffer} bytes (0: the system's). */
    static ChatTestClient connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, (int) WAIT.toMillis());
        socket.setTcpNoDelay(true);
        return new ChatTestClient(socket);
    }

    /** Connects and says hello as {@code nick}, then reads its own join and the joins it caused. */
    static ChatTestClient join(InetSocketAddress address, String nick) throws IOException {
        ChatTestClient client = connect(address);
        client.send(new Packet.Hello(nick));
        client.expect(new Packet.Join(nick));
        return client;
    }

    void send(Packet packet) throws IOException {
        sendRaw(encoder.encode(packet));
    }

    void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends {@code json} in a frame of its own, as given, whatever it holds. */
    void sendJson(String json) throws IOException {
        byte[] payload = json.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] frame = new byte[payload.length + 2];
        Frames.writeHeader(frame, 0, payload.length);
        System.arraycopy(payload, 0, frame, 2, payload.length);
        sendRaw(frame);
    }

    /** Half-closes: the server reads end of stream, this client can still read. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** The next packet, failing when none comes within {@link #WAIT} or the server closes. */
    Packet next() throws IOException {
        Packet packet = nextOrNull(WAIT);
        if (packet == null) {
            throw new AssertionError("the server closed the connection while a packet was expected");
        }
        return packet;
    }

    /** Reads the next packets and checks they are exactly {@code expected}. */
    void expect(Packet... expected) throws IOException {
        List<Packet> got = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            got.add(next());
        }
        assertThat(got).containsExactly(expected);
    }

    /** Checks that nothing arrives within {@code quiet}. */
    void expectNothing(Duration quiet) throws IOException {
        Packet packet = nextOrTimeout(quiet);
        assertThat(packet).as("unexpected packet").isNull();
    }

    /** Reads until the server closes the connection (packets before that are returned). */
    List<Packet> readUntilClosed() throws IOException {
        List<Packet> rest = new ArrayList<>();
        for (Packet packet = nextOrNull(WAIT); packet != null; packet = nextOrNull(WAIT)) {
            rest.add(packet);
        }
        return rest;
    }

    private Packet nextOrTimeout(Duration wait) throws IOException {
        try {
            return nextOrNull(wait);
        } catch (SocketTimeoutException e) {
            return null;
        }
    }

    /** The next packet, or null when the server closed; a timeout throws. */
    private Packet nextOrNull(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (pending.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no packet within " + wait);
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            int n;
            try {
                n = in.read(buffer);
            } catch (SocketException reset) {
                return null;
            }
            if (n < 0) {
                return null;
            }
            frames.feed(buffer, 0, n, (data, off, len) -> {
                try {
                    pending.add(decoder.decode(data, off, len));
                } catch (ChatProtocolException e) {
                    throw new AssertionError("the server sent an unreadable packet: " + e.getMessage(), e);
                }
                return true;
            });
        }
        return pending.poll();
    }

    /** Closes at once, nothing half-sent kept. */
    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
