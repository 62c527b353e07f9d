package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.net.Socket;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The selectors documentation's echo server: the listener registered with an accept callback as its
 * data, each connection with a read callback, and an output queue per connection written only when
 * the socket is writable. 50 clients at once, every byte checked.
 */
@Timeout(60)
class EchoServerTest {
    private static final int CLIENTS = 50;
    private static final int BYTES_PER_CLIENT = 64 * 1024;

    /** What the server keeps per key: Python's callback in {@code key.data}. */
    @FunctionalInterface
    interface Callback {
        void handle(SelectorKey key, int events) throws IOException;
    }

    /** One connection: its socket and the bytes still to echo. */
    private static final class Connection {
        final Socket socket;
        final ArrayDeque<ByteBuffer> queue = new ArrayDeque<>();

        Connection(Socket socket) {
            this.socket = socket;
        }
    }

    private static final class EchoServer implements AutoCloseable {
        final Selector selector;
        final Socket listener;
        final AtomicBoolean stop = new AtomicBoolean();
        final byte[] buffer = new byte[8192];

        EchoServer(Backend backend) throws IOException {
            selector = Selector.open(backend);
            listener = Socket.listenTcp(new InetSocketAddress("127.0.0.1", 0), 128);
            listener.setBlocking(false);
            selector.register(listener, Events.READ, (Callback) this::accept);
        }

        int port() throws IOException {
            return ((InetSocketAddress) listener.localAddress()).getPort();
        }

        void serve() throws IOException {
            while (!stop.get()) {
                selector.select(Duration.ofMillis(100),
                        (key, events) -> ((Callback) key.data()).handle(key, events));
            }
        }

        private void accept(SelectorKey key, int events) throws IOException {
            Socket.Accepted accepted;
            while ((accepted = listener.accept()) != null) {
                Socket socket = accepted.socket();
                socket.setBlocking(false);
                Connection connection = new Connection(socket);
                selector.register(socket, Events.READ, (Callback) (k, e) -> serviceConnection(connection, k, e));
            }
        }

        private void serviceConnection(Connection connection, SelectorKey key, int events) throws IOException {
            if ((events & Events.READ) != 0) {
                int n = connection.socket.recv(buffer);
                if (n == 0) {
                    selector.unregister(connection.socket);
                    connection.socket.close();
                    return;
                }
                if (n > 0) {
                    connection.queue.add(ByteBuffer.wrap(Arrays.copyOf(buffer, n)));
                    selector.modify(connection.socket, Events.ALL, key.data());
                }
            }
            if ((events & Events.WRITE) != 0) {
                while (!connection.queue.isEmpty()) {
                    ByteBuffer next = connection.queue.peek();
                    int sent = connection.socket.send(next);
                    if (sent == Socket.WOULD_BLOCK) {
                        return;
                    }
                    if (!next.hasRemaining()) {
                        connection.queue.poll();
                    }
                }
                selector.modify(connection.socket, Events.READ, key.data());
            }
        }

        @Override
        public void close() throws IOException {
            for (SelectorKey key : List.copyOf(selector.getMap().values())) {
                if (key.fileobj() instanceof Socket socket) {
                    socket.close();
                }
            }
            selector.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void fiftyConcurrentClientsGetEveryByteBack(Backend backend) throws Exception {
        try (EchoServer server = new EchoServer(backend);
             ExecutorService clients = Executors.newFixedThreadPool(CLIENTS)) {
            int port = server.port();
            Future<?> serving = Executors.newSingleThreadExecutor().submit(() -> {
                server.serve();
                return null;
            });
            List<Future<byte[][]>> results = new ArrayList<>();
            for (int c = 0; c < CLIENTS; c++) {
                int seed = c;
                results.add(clients.submit(() -> runClient(port, seed)));
            }
            for (Future<byte[][]> result : results) {
                byte[][] sentAndReceived = result.get();
                assertThat(sentAndReceived[1]).isEqualTo(sentAndReceived[0]);
            }
            server.stop.set(true);
            serving.get();
        }
    }

    private static byte[][] runClient(int port, int seed) throws IOException {
        byte[] payload = new byte[BYTES_PER_CLIENT];
        new Random(seed).nextBytes(payload);
        byte[] echoed = new byte[payload.length];
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    OutputStream out = socket.getOutputStream();
                    for (int offset = 0; offset < payload.length; offset += 1000) {
                        out.write(payload, offset, Math.min(1000, payload.length - offset));
                    }
                    out.flush();
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            new DataInputStream(socket.getInputStream()).readFully(echoed);
            try {
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return new byte[][] {payload, echoed};
    }
}
