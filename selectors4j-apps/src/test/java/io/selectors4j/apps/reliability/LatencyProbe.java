package io.selectors4j.apps.reliability;

import io.selectors4j.testkit.Clients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import org.HdrHistogram.Histogram;

/**
 * A well-behaved echo client, over TCP or TLS, that measures its round trips with HdrHistogram: it
 * sends a small request, waits for the whole echo, checks it, and records the time.
 */
final class LatencyProbe implements AutoCloseable {
    private final Socket socket;
    private final byte[] request;
    private final byte[] reply;

    /** A probe on a new TCP connection to {@code port}, {@code size} bytes a request. */
    LatencyProbe(int port, int size) throws IOException {
        this(Clients.connect(port), size);
    }

    /** A probe on {@code socket}, connected (and for TLS, {@link TlsClients#handshaken}); it closes it. */
    LatencyProbe(Socket socket, int size) {
        this.socket = socket;
        this.request = new byte[size];
        this.reply = new byte[size];
    }

    /** Makes round trips for {@code duration} and returns their latency histogram in microseconds. */
    Histogram roundTrips(Duration duration) throws IOException {
        long end = System.nanoTime() + duration.toNanos();
        Histogram histogram = new Histogram(60_000_000L, 3);
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        for (int i = 0; System.nanoTime() < end; i++) {
            Arrays.fill(request, (byte) i);
            long start = System.nanoTime();
            out.write(request);
            out.flush();
            int n = 0;
            while (n < reply.length) {
                int r = in.read(reply, n, reply.length - n);
                if (r < 0) {
                    throw new AssertionError("the server closed the well-behaved client");
                }
                n += r;
            }
            histogram.recordValue(Math.max(1, (System.nanoTime() - start) / 1_000));
            if (!Arrays.equals(request, reply)) {
                throw new AssertionError("the echo differs from the request at round trip " + i);
            }
        }
        return histogram;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
