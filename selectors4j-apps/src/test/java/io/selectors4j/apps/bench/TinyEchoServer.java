package io.selectors4j.apps.bench;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An echo server for the load generator's tests: blocking sockets, a virtual thread per connection,
 * on 127.0.0.1. Its {@link Behaviour} decides what each connection sends back, so a test can make it
 * echo faithfully, corrupt a byte, hang up, or hold bytes back.
 */
final class TinyEchoServer implements AutoCloseable {

    /** What a connection does with its input stream and output stream. */
    interface Behaviour {
        void serve(InputStream in, OutputStream out) throws IOException;
    }

    /** Thrown by a behaviour to end its connection with a reset (RST) rather than a close (FIN). */
    static final class Reset extends IOException {
        private static final long serialVersionUID = 1L;
    }

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<Socket> accepted = new ConcurrentLinkedQueue<>();
    private final AtomicInteger connectionsWithData = new AtomicInteger();

    TinyEchoServer(Behaviour behaviour) throws IOException {
        this(InetAddress.getLoopbackAddress(), behaviour);
    }

    private TinyEchoServer(InetAddress address, Behaviour behaviour) throws IOException {
        listener = new ServerSocket(0, 4096, address);
        threads.execute(() -> acceptLoop(behaviour));
    }

    /** Echoes every byte as it comes. */
    static TinyEchoServer echo() throws IOException {
        return new TinyEchoServer(batches(1));
    }

    /** Echoes every byte as it comes, listening on {@code address}. */
    static TinyEchoServer echoOn(InetAddress address) throws IOException {
        return new TinyEchoServer(address, batches(1));
    }

    /** Echoes faithfully except stream byte {@code position} of every connection, which it flips. */
    static TinyEchoServer corruptingAt(long position) throws IOException {
        return new TinyEchoServer((in, out) -> {
            byte[] buffer = new byte[8192];
            long seen = 0;
            for (int n; (n = in.read(buffer)) > 0; seen += n) {
                if (position >= seen && position < seen + n) {
                    buffer[(int) (position - seen)] ^= 0x5a;
                }
                out.write(buffer, 0, n);
            }
        });
    }

    /** Echoes the first {@code bytes} of every connection, then closes it. */
    static TinyEchoServer closingAfter(long bytes) throws IOException {
        return new TinyEchoServer((in, out) -> {
            for (long left = bytes; left > 0; left--) {
                int b = in.read();
                if (b < 0) {
                    return;
                }
                out.write(b);
            }
        });
    }

    /** Echoes the first {@code bytes} of every connection, then resets it. */
    static TinyEchoServer resettingAfter(long bytes) throws IOException {
        return new TinyEchoServer((in, out) -> {
            for (long left = bytes; left > 0; left--) {
                out.write(in.read());
            }
            throw new Reset();
        });
    }

    /** Greets every connection with a byte nobody asked for, then echoes. */
    static TinyEchoServer speakingFirst() throws IOException {
        return new TinyEchoServer((in, out) -> {
            out.write('!');
            batches(1).serve(in, out);
        });
    }

    /** Holds back its first echo for {@code millis} (a stalled server), then echoes as it comes. */
    static TinyEchoServer stallingFirst(long millis) throws IOException {
        return new TinyEchoServer((in, out) -> {
            int first = in.read();
            try {
                Thread.sleep(millis); // the stall under test, not a wait for anything
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            out.write(first);
            batches(1).serve(in, out);
        });
    }

    /** Sends nothing back until it holds {@code batch} bytes, then sends them all: echo in batches. */
    static TinyEchoServer echoingInBatchesOf(int batch) throws IOException {
        return new TinyEchoServer(batches(batch));
    }

    private static Behaviour batches(int batch) {
        return (in, out) -> {
            byte[] buffer = new byte[Math.max(batch, 8192)];
            int held = 0;
            for (int n; (n = in.read(buffer, held, (batch == 1 ? buffer.length : batch) - held)) > 0; ) {
                held += n;
                if (held >= batch) {
                    out.write(buffer, 0, held);
                    held = 0;
                }
            }
        };
    }

    /** How many connections have sent this server at least one byte. */
    int connectionsWithData() {
        return connectionsWithData.get();
    }

    /** {@code in}, counting its connection in {@link #connectionsWithData} at its first byte. */
    private InputStream counting(InputStream in) {
        return new FilterInputStream(in) {
            private boolean counted;

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n = super.read(b, off, len);
                if (n > 0 && !counted) {
                    counted = true;
                    connectionsWithData.incrementAndGet();
                }
                return n;
            }

            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0 && !counted) {
                    counted = true;
                    connectionsWithData.incrementAndGet();
                }
                return b;
            }
        };
    }

    int port() {
        return listener.getLocalPort();
    }

    String target() {
        String host = listener.getInetAddress().getHostAddress();
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port();
    }

    private void acceptLoop(Behaviour behaviour) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                accepted.add(socket);
                threads.execute(() -> {
                    try (socket) {
                        try {
                            behaviour.serve(counting(socket.getInputStream()), socket.getOutputStream());
                        } catch (Reset e) {
                            socket.setSoLinger(true, 0);
                        }
                    } catch (IOException e) {
                        // The load generator closed the connection at the end of its run.
                    }
                });
            } catch (IOException e) {
                return;
            }
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        threads.close();
    }
}
