package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/** Well-behaved and badly-behaved loopback clients the reliability tests share. */
final class Clients {
    /** How long a client read waits before the test fails instead of hanging. */
    static final int READ_TIMEOUT_MILLIS = 15_000;

    private Clients() {
    }

    /** A blocking client socket connected to loopback {@code port}, reads timing out. */
    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), READ_TIMEOUT_MILLIS);
        socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        socket.setTcpNoDelay(true);
        return socket;
    }

    /** Sends {@code size} random bytes over a new connection and checks that exactly they come back. */
    static void assertEchoes(int port, int size) throws IOException {
        try (Socket socket = connect(port)) {
            assertEchoes(socket, size);
        }
    }

    /** Sends {@code size} random bytes on {@code socket} and checks that exactly they come back. */
    static void assertEchoes(Socket socket, int size) throws IOException {
        byte[] sent = new byte[size];
        new Random(size).nextBytes(sent);
        socket.getOutputStream().write(sent);
        assertThat(readFully(socket.getInputStream(), size)).isEqualTo(sent);
    }

    /** Reads exactly {@code size} bytes, or fails at the end of the stream. */
    static byte[] readFully(InputStream in, int size) throws IOException {
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

    /** Closes {@code socket} with an RST instead of a FIN (SO_LINGER 0), as a crashed peer does. */
    static void reset(Socket socket) throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Closes {@code channel} with an RST instead of a FIN. */
    static void reset(SocketChannel channel) throws IOException {
        channel.setOption(StandardSocketOptions.SO_LINGER, 0);
        channel.close();
    }

    /**
     * Non-blocking connections that send until neither the server nor the kernel take more from any of
     * them (or each has sent {@code atMost}): clients that send and never read. Each sends
     * {@code prefix} once, then {@code unit} over and over, whole units in order however the writes
     * split. A sender the server closes stops there. Returns the fewest bytes any still-open sender got
     * out.
     */
    static long sendUntilBlocked(List<SocketChannel> channels, int atMost, byte[] prefix, byte[] unit)
            throws IOException {
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
        for (int quietRounds = 0; quietRounds < 10; ) {
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
                ChildServer.pause(Duration.ofMillis(20));
            }
        }
        long least = Long.MAX_VALUE;
        for (int i = 0; i < sent.length; i++) {
            if (!closedByServer[i]) {
                least = Math.min(least, sent[i]);
            }
        }
        return least == Long.MAX_VALUE ? 0 : least;
    }

    /** A non-blocking connection to loopback {@code port}, connected. */
    static SocketChannel openNonBlocking(int port) throws IOException {
        SocketChannel channel = SocketChannel.open(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        channel.configureBlocking(false);
        return channel;
    }
}
