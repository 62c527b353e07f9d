package io.selectors4j.apps.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.chat.PacketDecoder.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The chat client of every test, on {@code java.net}. It cuts frames by itself (a 2-byte big-endian
 * length, then the payload), so it shares nothing with the server but the packet codec, and the codec
 * only in the typed methods ({@link #send(Packet)}, {@link #next()}). The raw methods send any bytes
 * and hand back frames as they came, for checks that must not trust the codec (the fuzz test parses
 * them with Jackson). Reads wait at most {@link #WAIT}.
 */
public final class ChatTestClient implements AutoCloseable {
    /** The longest a read waits before the test fails. */
    public static final Duration WAIT = Duration.ofSeconds(20);
    private static final int HEADER = 2;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final PacketEncoder encoder = new PacketEncoder();
    private final PacketDecoder decoder = new PacketDecoder(Direction.FROM_SERVER);
    /** Bytes read and not yet cut into frames: room for a whole largest frame and a read after it. */
    private final byte[] buffer = new byte[2 * (HEADER + 0xFFFF)];
    private int buffered;
    private final ArrayDeque<byte[]> frames = new ArrayDeque<>();
    private final List<byte[]> collected = new CopyOnWriteArrayList<>();
    private Thread collector;

    private ChatTestClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the server at {@code address}. */
    public static ChatTestClient connect(InetSocketAddress address) throws IOException {
        return connect(address, 0);
    }

    /** Connects to the server on 127.0.0.1 {@code port}. */
    public static ChatTestClient connect(int port) throws IOException {
        return connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** Connects with a receive buffer of {@code receiveBuffer} bytes (0: the system's). */
    public static ChatTestClient connect(InetSocketAddress address, int receiveBuffer) throws IOException {
        Socket socket = new Socket();
        if (receiveBuffer > 0) {
            socket.setReceiveBufferSize(receiveBuffer);
        }
        socket.connect(address, (int) WAIT.toMillis());
        socket.setTcpNoDelay(true);
        return new ChatTestClient(socket);
    }

    /** Connects and says hello as {@code nick}, then reads its own join. */
    public static ChatTestClient join(InetSocketAddress address, String nick) throws IOException {
        ChatTestClient client = connect(address);
        client.send(new Packet.Hello(nick));
        client.expect(new Packet.Join(nick));
        return client;
    }

    /** A frame: the 2-byte big-endian length of {@code payload}, then {@code payload}. */
    public static byte[] frame(byte[] payload) {
        byte[] framed = new byte[payload.length + HEADER];
        framed[0] = (byte) (payload.length >>> 8);
        framed[1] = (byte) payload.length;
        System.arraycopy(payload, 0, framed, HEADER, payload.length);
        return framed;
    }

    /** A frame holding {@code json} in UTF-8, as given, whatever it holds. */
    public static byte[] frame(String json) {
        return frame(json.getBytes(StandardCharsets.UTF_8));
    }

    /** The local port, which names this client in the server's log. */
    public int localPort() {
        return socket.getLocalPort();
    }

    public void send(Packet packet) throws IOException {
        sendRaw(encoder.encode(packet));
    }

    public void sendRaw(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    /** Sends {@code json} in a frame of its own. */
    public void sendJson(String json) throws IOException {
        sendRaw(frame(json));
    }

    /**
     * Sends 60 KB chats, reading each back, until the member {@code nick} leaves (as a member who stops
     * reading is dropped once its queue passes the server's bound); returns how many it took, or
     * {@code max} if it did not leave.
     */
    public int chatUntilLeft(String nick, int max) throws IOException {
        String big = "x".repeat(60_000);
        for (int sent = 0; sent < max; sent++) {
            send(new Packet.Chat(null, big));
            Packet packet = next();
            boolean left = packet.equals(new Packet.Leave(nick));
            if (left) {
                packet = next(); // the leave came before this chat's broadcast
            }
            assertThat(packet instanceof Packet.Chat chat && chat.message().equals(big))
                    .as("this client's own chat back, got %s", packet.getClass().getSimpleName()).isTrue();
            if (left) {
                return sent;
            }
        }
        return max;
    }

    /** Half-closes: the server reads end of stream, this client can still read. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** The next packet, failing when none comes within {@link #WAIT} or the server closes. */
    public Packet next() throws IOException {
        return decode(nextFrame());
    }

    /** Reads the next packets and checks they are exactly {@code expected}. */
    public void expect(Packet... expected) throws IOException {
        List<Packet> got = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            got.add(next());
        }
        assertThat(got).containsExactly(expected);
    }

    /** Checks that nothing arrives within {@code quiet}. */
    public void expectNothing(Duration quiet) throws IOException {
        byte[] frame;
        try {
            frame = nextFrameOrNull(quiet);
        } catch (SocketTimeoutException e) {
            return;
        }
        assertThat(frame == null ? "the server closed the connection" : decode(frame))
                .as("unexpected packet").isNull();
    }

    /** Reads packets until the server closes the connection and returns them. */
    public List<Packet> readUntilClosed() throws IOException {
        List<Packet> rest = new ArrayList<>();
        for (byte[] frame : framesUntilClosed()) {
            rest.add(decode(frame));
        }
        return rest;
    }

    /** The next frame's payload, as sent; fails when none comes within {@link #WAIT} or the server closes. */
    public byte[] nextFrame() throws IOException {
        byte[] frame = nextFrameOrNull(WAIT);
        if (frame == null) {
            throw new AssertionError("the server closed the connection while a packet was expected");
        }
        return frame;
    }

    /** The next frame's payload as text. */
    public String nextJson() throws IOException {
        return new String(nextFrame(), StandardCharsets.UTF_8);
    }

    /** The payloads of the frames that come until the server closes the connection. */
    public List<byte[]> framesUntilClosed() throws IOException {
        List<byte[]> rest = new ArrayList<>();
        for (byte[] frame = nextFrameOrNull(WAIT); frame != null; frame = nextFrameOrNull(WAIT)) {
            rest.add(frame);
        }
        return rest;
    }

    private Packet decode(byte[] frame) {
        try {
            return decoder.decode(frame, 0, frame.length);
        } catch (ChatProtocolException e) {
            throw new AssertionError("the server sent an unreadable packet: " + e.getMessage(), e);
        }
    }

    /** The next frame, or null when the server closed (or reset) the connection; a timeout throws. */
    private byte[] nextFrameOrNull(Duration wait) throws IOException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (frames.isEmpty()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new SocketTimeoutException("no packet within " + wait);
            }
            socket.setSoTimeout((int) Math.max(1, left / 1_000_000));
            if (!readSome()) {
                return null;
            }
        }
        return frames.poll();
    }

    /** One read, cut into frames; false at the end of the stream. */
    private boolean readSome() throws IOException {
        int n;
        try {
            n = in.read(buffer, buffered, buffer.length - buffered);
        } catch (SocketException reset) {
            return false;
        }
        if (n < 0) {
            return false;
        }
        buffered += n;
        int pos = 0;
        while (buffered - pos >= HEADER) {
            int length = (buffer[pos] & 0xFF) << 8 | buffer[pos + 1] & 0xFF;
            if (buffered - pos - HEADER < length) {
                break;
            }
            frames.add(Arrays.copyOfRange(buffer, pos + HEADER, pos + HEADER + length));
            pos += HEADER + length;
        }
        System.arraycopy(buffer, pos, buffer, 0, buffered - pos);
        buffered -= pos;
        return true;
    }

    /**
     * From now on, reads every frame on a thread of its own until the connection ends, and keeps them
     * ({@link #collected()}): for a client that must keep reading while the test does something else.
     */
    public void collectInBackground() {
        collector = Thread.ofVirtual().start(() -> {
            try {
                while (true) {
                    byte[] frame = nextFrameOrNull(Duration.ofDays(1));
                    if (frame == null) {
                        return;
                    }
                    collected.add(frame);
                }
            } catch (IOException closed) {
                // This client closed the socket.
            }
        });
    }

    /** The frames collected so far, in order. */
    public List<byte[]> collected() {
        return List.copyOf(collected);
    }

    /**
     * Says this client is done sending (a FIN) and waits for the server to answer what it sent and close
     * the connection; false if it did not within {@code patience}. Needs {@link #collectInBackground}.
     */
    public boolean finish(Duration patience) throws InterruptedException {
        try {
            socket.shutdownOutput();
        } catch (IOException closedAlready) {
            // The server closed first: nothing is left to say.
        }
        return collector.join(patience);
    }

    /** Closes at once, nothing half-sent kept. */
    @Override
    public void close() {
        try {
            socket.close();
            if (collector != null) {
                collector.join(WAIT);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
