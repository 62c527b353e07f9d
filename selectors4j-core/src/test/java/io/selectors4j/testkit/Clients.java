package io.selectors4j.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * Plain JDK sockets ({@code java.net}, {@code java.nio}) that play the clients of a server under test,
 * sharing no code with it: connections with read timeouts, exact reads, echo checks, resets, bulk
 * senders, and senders that never read.
 */
public final class Clients {
    /** How long a connect or a read waits before the test fails instead of hanging. */
    public static final Duration READ_TIMEOUT = Duration.ofSeconds(20);

    private Clients() {
    }

    /** A blocking connection to 127.0.0.1 {@code port}, reads timing out, Nagle off. */
    public static Socket connect(int port) throws IOException {
        return connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
    }

    /** A blocking connection to {@code address}, reads timing out, Nagle off. */
    public static Socket connect(InetSocketAddress address) throws IOException {
        Socket socket = new Socket();
        socket.connect(address, (int) READ_TIMEOUT.toMillis());
        socket.setSoTimeout((int) READ_TIMEOUT.toMillis());
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** A connected non-blocking channel to 127.0.0.1 {@code port}. */
    public static SocketChannel openNonBlocking(int port) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        channel.configureBlocking(false);
        return channel;
    }

    /** Reads exactly {@code n} bytes from {@code socket}, failing at end of stream or on a timeout. */
    public static byte[] readExactly(Socket socket, int n) throws IOException {
        return readFully(socket.getInputStream(), n);
    }

    /** Reads exactly {@code size} bytes, failing at the end of the stream. */
    public static byte[] readFully(InputStream in, int size) throws IOException {
        byte[] got = new byte[size];
        int n = 0;
        while (n < size) {
            int r = in.read(got, n, size - n);
            if (r < 0) {
                throw new AssertionError("end of stream after " + n + " of " + size + " bytes: "
                        + Arrays.toString(Arrays.copyOf(got, Math.min(n, 16))));
            }
            n += r;
        }
        return got;
    }

    /** Sends {@code size} random bytes over a new connection and checks that exactly they come back. */
    public static void assertEchoes(int port, int size) throws IOException {
        try (Socket socket = connect(port)) {
            assertEchoes(socket, size);
        }
    }

    /** Sends {@code size} random bytes on {@code socket} and checks that exactly they come back. */
    public static void assertEchoes(Socket socket, int size) throws IOException {
        byte[] sent = new byte[size];
        new Random(size).nextBytes(sent);
        socket.getOutputStream().write(sent);
        assertThat(readFully(socket.getInputStream(), size)).isEqualTo(sent);
    }

    /**
     * Sends {@code total} random bytes in random pieces from another thread while this one reads to the
     * end, then half-closes; true when the echo is identical.
     */
    public static boolean echoesEverything(int port, Random random, int total) throws Exception {
        byte[] sent = new byte[total];
        random.nextBytes(sent);
        try (Socket socket = connect(port)) {
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int off = 0; off < total; ) {
                        int n = Math.min(total - off, 1 + random.nextInt(20_000));
                        out.write(sent, off, n);
                        off += n;
                    }
                    socket.shutdownOutput();
                } catch (IOException e) {
                    throw new IllegalStateException(e);
                }
            });
            byte[] received = socket.getInputStream().readAllBytes();
            writer.join();
            return Arrays.equals(sent, received);
        }
    }

    /**
     * Whether the server ended {@code socket}: its next read sees end of stream or a reset (a server
     * that aborts sends an RST). False if data arrives instead; the socket's read timeout applies.
     */
    public static boolean readsEndOrReset(Socket socket) throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketException reset) {
            return true;
        }
    }

    /** Closes {@code socket} with an RST instead of a FIN (SO_LINGER 0), as a crashed peer does. */
    public static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Closes {@code channel} with an RST instead of a FIN. */
    public static void reset(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    /**
     * A bulk sender for a fairness test, to run on a thread of its own: writes 64 KiB of {@code fill} at
     * a time on the blocking {@code sender} until {@code pushing} turns false or the connection goes,
     * and counts {@code backlogged} down once, when {@code backlog} bytes have been written.
     */
    public static void pushUntilStopped(Socket sender, byte fill, long backlog, AtomicBoolean pushing,
            CountDownLatch backlogged) {
        byte[] chunk = new byte[64 * 1024];
        Arrays.fill(chunk, fill);
        long written = 0;
        try {
            OutputStream out = sender.getOutputStream();
            while (pushing.get()) {
                out.write(chunk);
                written += chunk.length;
                if (written >= backlog && written - chunk.length < backlog) {
                    backlogged.countDown();
                }
            }
        } catch (IOException closed) {
            // The test is over, or the peer is gone: either way, no more to push.
        }
    }

    /** What {@link #sendUntilBlocked} did. */
    public record Pushed(long least, long total, int closedByServer) {}

    /**
     * Non-blocking connections that send until neither the server nor the kernel take more from any of
     * them (or each has sent {@code atMost}): clients that send and never read. Each sends
     * {@code prefix} once, then {@code unit} over and over, whole units in order however the writes
     * split. A sender the server closes stops there.
     *
     * @return the fewest bytes any still-open sender got out, the bytes all of them got out, and how
     *         many the server closed
     */
    public static Pushed sendUntilBlocked(List<SocketChannel> channels, int atMost, byte[] prefix, byte[] unit) {
        return sendUntilBlocked(channels, atMost, prefix, unit, Duration.ofMillis(200));
    }

    /**
     * {@link #sendUntilBlocked(List, int, byte[], byte[])}, calling it blocked once nothing has moved for
     * {@code quiet} (longer on a loaded machine, where a server may take a while to read on).
     */
    public static Pushed sendUntilBlocked(List<SocketChannel> channels, long atMost, byte[] prefix, byte[] unit,
            Duration quiet) {
        long quietRoundsNeeded = Math.max(1, quiet.toMillis() / 20);
        byte[] repeated = new byte[Math.max(1, 16 * 1024 / unit.length) * unit.length];
        for (int i = 0; i < repeated.length; i++) {
            repeated[i] = unit[i % unit.length];
        }
        ByteBuffer[] next = new ByteBuffer[channels.size()];
        long[] sent = new long[channels.size()];
        for (int i = 0; i < next.length; i++) {
            next[i] = ByteBuffer.wrap(prefix);
        }
        boolean[] closedByServer = new boolean[channels.size()];
        for (int quietRounds = 0; quietRounds < quietRoundsNeeded; ) {
            boolean moved = false;
            for (int i = 0; i < sent.length; i++) {
                if (sent[i] < atMost && !closedByServer[i]) {
                    if (!next[i].hasRemaining()) {
                        next[i] = ByteBuffer.wrap(repeated);
                    }
                    try {
                        int n = channels.get(i).write(next[i]);
                        sent[i] += n;
                        moved |= n > 0;
                    } catch (IOException e) {
                        closedByServer[i] = true; // the server may close a client that only misbehaves
                    }
                }
            }
            if (moved) {
                quietRounds = 0;
            } else {
                quietRounds++;
                LockSupport.parkNanos(Duration.ofMillis(20).toNanos()); // nothing to wait on: the peer is not ours
            }
        }
        long least = Long.MAX_VALUE;
        long total = 0;
        int closed = 0;
        for (int i = 0; i < sent.length; i++) {
            total += sent[i];
            if (closedByServer[i]) {
                closed++;
            } else {
                least = Math.min(least, sent[i]);
            }
        }
        return new Pushed(least == Long.MAX_VALUE ? 0 : least, total, closed);
    }
}
