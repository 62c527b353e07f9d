package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.NativeIOException;
import io.selectors4j.sys.TestWaits;
import io.selectors4j.testkit.Needs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** 10 MiB through each kind of connection, both ends non-blocking, every byte checked. */
@Timeout(30)
class BulkTransferTest {
    private static final int SIZE = 10 * 1024 * 1024;
    private static final byte[] DATA = new byte[SIZE];

    static {
        new Random(7).nextBytes(DATA);
    }

    /** How the test hands memory to the socket. */
    private enum Api { ARRAY, HEAP_BUFFER, DIRECT_BUFFER }

    @Test
    void tcp4NonBlocking() throws Exception {
        try (Connection c = Connection.tcp(InetAddress.getLoopbackAddress())) {
            pump(c.client, c.server, Api.ARRAY);
        }
    }

    @Test
    void tcp4NonBlockingWithHeapBuffers() throws Exception {
        try (Connection c = Connection.tcp(InetAddress.getLoopbackAddress())) {
            pump(c.client, c.server, Api.HEAP_BUFFER);
        }
    }

    @Test
    void tcp6NonBlockingWithDirectBuffers() throws Exception {
        try (Connection c = Connection.tcp(Needs.ipv6Loopback())) {
            pump(c.client, c.server, Api.DIRECT_BUFFER);
        }
    }

    @Test
    void socketPairNonBlocking() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            pump(a, b, Api.ARRAY);
        }
    }

    @Test
    void unixSocketNonBlocking(@TempDir Path dir) throws Exception {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("bulk.sock"));
        try (Socket listener = Socket.unix()) {
            listener.bind(path);
            listener.listen(1);
            try (Socket client = Socket.unix()) {
                client.connect(path);
                try (Socket server = listener.accept().socket()) {
                    pump(client, server, Api.HEAP_BUFFER);
                }
            }
        }
    }

    @Test
    void tcp4BlockingWithAWriterThread() throws Exception {
        try (Connection c = Connection.tcp(InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    c.client.sendAll(DATA);
                    c.client.shutdown(Socket.SHUT_WR);
                } catch (Exception e) {
                    throw new RuntimeException(e);
                }
            });
            byte[] received = new byte[SIZE];
            int total = 0;
            byte[] chunk = new byte[100_000];
            for (int n; (n = c.server.recv(chunk)) > 0; total += n) {
                System.arraycopy(chunk, 0, received, total, n);
            }
            writer.get();
            assertThat(total).isEqualTo(SIZE);
            assertThat(received).isEqualTo(DATA);
        }
    }

    /**
     * Sends DATA from {@code from} to {@code to} on one thread, both non-blocking, in chunks of varying
     * size; waits with a bounded poll when neither side can move.
     */
    private static void pump(Socket from, Socket to, Api api) throws Exception {
        from.setBlocking(false);
        to.setBlocking(false);
        byte[] received = new byte[SIZE];
        byte[] in = new byte[64 * 1024];
        ByteBuffer heapOut = ByteBuffer.wrap(DATA);
        ByteBuffer directOut = ByteBuffer.allocateDirect(SIZE).put(DATA).flip();
        ByteBuffer heapIn = ByteBuffer.wrap(received);
        ByteBuffer directIn = ByteBuffer.allocateDirect(SIZE);
        int sent = 0;
        int got = 0;
        int wouldBlock = 0;
        boolean shut = false;
        Random sizes = new Random(3);
        while (got < SIZE) {
            // send until the socket is full (or everything is sent): partial sends and WOULD_BLOCK
            int sendStep = 0;
            while (sent < SIZE && sendStep != Socket.WOULD_BLOCK) {
                int len = Math.min(SIZE - sent, 1 + sizes.nextInt(200_000));
                sendStep = switch (api) {
                    case ARRAY -> from.send(DATA, sent, len);
                    case HEAP_BUFFER -> from.send(heapOut.limit(sent + len));
                    case DIRECT_BUFFER -> from.send(directOut.limit(sent + len));
                };
                if (sendStep == Socket.WOULD_BLOCK) {
                    wouldBlock++;
                } else {
                    sent += sendStep;
                }
            }
            if (sent == SIZE && !shut) {
                from.shutdown(Socket.SHUT_WR);
                shut = true;
            }
            int recvStep = switch (api) {
                case ARRAY -> to.recv(in);
                case HEAP_BUFFER -> to.recv(heapIn);
                case DIRECT_BUFFER -> to.recv(directIn);
            };
            if (recvStep > 0) {
                if (api == Api.ARRAY) {
                    System.arraycopy(in, 0, received, got, recvStep);
                }
                got += recvStep;
            } else if (recvStep == 0) {
                throw new AssertionError("end of stream after " + got + " bytes");
            } else {
                assertThat(TestWaits.poll(to, TestWaits.POLLIN, Duration.ofSeconds(5)))
                        .as("receiver readable within 5 s").isNotZero();
            }
        }
        if (api == Api.DIRECT_BUFFER) {
            directIn.flip().get(received);
        }
        assertThat(got).isEqualTo(SIZE);
        assertThat(received).isEqualTo(DATA);
        assertThat(wouldBlock).as("the sender filled the socket at least once").isPositive();
        assertThat(TestWaits.poll(to, TestWaits.POLLIN, Duration.ofSeconds(5))).isNotZero();
        assertThat(to.recv(new byte[1])).as("end of stream after the data").isZero();
    }

    /** A connected pair of TCP sockets over one loopback address. */
    private record Connection(Socket listener, Socket client, Socket server) implements AutoCloseable {
        static Connection tcp(InetAddress loopback) throws Exception {
            Socket listener = Socket.listenTcp(new InetSocketAddress(loopback, 0), 4);
            Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress());
            return new Connection(listener, client, listener.accept().socket());
        }

        @Override
        public void close() throws NativeIOException, java.io.IOException {
            try (listener; client; server) {
                // closes all three
            }
        }
    }
}
