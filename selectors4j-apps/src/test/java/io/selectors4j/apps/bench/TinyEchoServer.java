package io.selectors4j.apps.bench;

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

    private final ServerSocket listener;
    private final ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
    private final Queue<Socket> accepted = new ConcurrentLinkedQueue<>();

    TinyEchoServer(Behaviour behaviour) throws IOException {
        listener = new ServerSocket(0, 4096, InetAddress.getLoopbackAddress());
        threads.execute(() -> acceptLoop(behaviour));
    }

    /** Echoes every byte as it comes. */
    static TinyEchoServer echo() throws IOException {
        return new TinyEchoServer(batches(1));
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

    int port() {
        return listener.getLocalPort();
    }

    String target() {
        return "127.0.0.1:" + port();
    }

    private void acceptLoop(Behaviour behaviour) {
        while (!listener.isClosed()) {
            try {
                Socket socket = listener.accept();
                socket.setTcpNoDelay(true);
                accepted.add(socket);
                threads.execute(() -> {
                    try (socket) {
                        behaviour.serve(socket.getInputStream(), socket.getOutputStream());
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
