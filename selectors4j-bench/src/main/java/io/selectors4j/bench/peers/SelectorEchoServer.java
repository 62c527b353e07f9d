package io.selectors4j.bench.peers;

import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Events;
import io.selectors4j.selectors.ReadyKeyConsumer;
import io.selectors4j.selectors.Selector;
import io.selectors4j.selectors.SelectorKey;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * Our echo written directly on the selectors API, as in the README: {@code SelectorEchoServer PORT
 * [THREADS]}. Each of THREADS loops owns an epoll {@link Selector} and an {@code SO_REUSEPORT}
 * listener; a read goes into the loop's one buffer and is sent back at once; what the socket does not
 * take waits in the connection's own buffer, which stops its reading until it is sent. The layer the
 * event loop is measured against.
 */
public final class SelectorEchoServer {
    private static final int BUFFER = 64 * 1024;

    private SelectorEchoServer() {
    }

    /** Starts the loops and serves until the process is killed. */
    public static void main(String[] args) throws IOException, InterruptedException {
        PeerArguments arguments = PeerArguments.parse("SelectorEchoServer", args, 0);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), arguments.port());
        Thread[] loops = new Thread[arguments.threads()];
        for (int i = 0; i < loops.length; i++) {
            Loop loop = new Loop(address);
            loops[i] = Thread.ofPlatform().name("s4j-selector-echo-" + i).start(loop::run);
        }
        StatsHook.start();
        arguments.announce();
        for (Thread loop : loops) {
            loop.join();
        }
    }

    /** One connection: its socket and the bytes it still owes the peer. */
    private static final class Connection {
        final Socket socket;
        ByteBuffer pending;

        Connection(Socket socket) {
            this.socket = socket;
        }
    }

    /** One selector with its own listener; the selector hands each ready key to {@link #accept}. */
    private static final class Loop implements ReadyKeyConsumer {
        private final Selector selector;
        private final Socket listener;
        private final byte[] buffer = new byte[BUFFER];

        Loop(InetSocketAddress address) throws IOException {
            selector = Selector.open();
            listener = Socket.tcp4(true);
            listener.setReuseAddress(true);
            listener.setReusePort(true);
            listener.bind(address);
            listener.listen(4096);
            selector.register(listener, Events.READ, null);
        }

        void run() {
            try {
                while (true) {
                    selector.select(-1L, this);
                }
            } catch (IOException e) {
                System.err.println("SelectorEchoServer: " + e);
                System.exit(2);
            }
        }

        @Override
        public void accept(SelectorKey key, int events) {
            if (key.data() == null) {
                acceptAll();
                return;
            }
            Connection connection = (Connection) key.data();
            try {
                if ((events & Events.WRITE) != 0) {
                    flush(connection);
                } else {
                    echo(connection);
                }
            } catch (IOException e) {
                close(connection);
            }
        }

        private void acceptAll() {
            try {
                for (int i = 0; i < 64; i++) {
                    Socket.Accepted accepted = listener.accept(true);
                    if (accepted == null) {
                        return;
                    }
                    Socket socket = accepted.socket();
                    socket.setTcpNoDelay(true);
                    selector.register(socket, Events.READ, new Connection(socket));
                }
            } catch (IOException e) {
                System.err.println("SelectorEchoServer: accept: " + e.getMessage());
            }
        }

        private void echo(Connection connection) throws IOException {
            int n = connection.socket.recv(buffer);
            if (n == Socket.WOULD_BLOCK) {
                return;
            }
            if (n == 0) {
                close(connection);
                return;
            }
            int sent = connection.socket.send(buffer, 0, n);
            int done = sent == Socket.WOULD_BLOCK ? 0 : sent;
            if (done < n) {
                connection.pending = ByteBuffer.allocate(n - done).put(buffer, done, n - done).flip();
                selector.modify(connection.socket, Events.WRITE, connection);
            }
        }

        private void flush(Connection connection) throws IOException {
            connection.socket.send(connection.pending);
            if (!connection.pending.hasRemaining()) {
                connection.pending = null;
                selector.modify(connection.socket, Events.READ, connection);
            }
        }

        private void close(Connection connection) {
            try {
                connection.socket.close(); // removes its key
            } catch (IOException e) {
                // already gone
            }
        }
    }
}
