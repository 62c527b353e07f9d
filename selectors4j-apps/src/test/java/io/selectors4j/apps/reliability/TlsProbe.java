package io.selectors4j.apps.reliability;

import io.selectors4j.testkit.Clients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.Arrays;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import org.HdrHistogram.Histogram;

/**
 * A well-behaved TLS echo client (the JDK's SSLSocket, trusting the server's certificate) that measures
 * its round trips, and the TLS clients the hostile tests build on.
 */
final class TlsProbe implements AutoCloseable {
    private final SSLSocket socket;
    private final byte[] request;
    private final byte[] reply;

    TlsProbe(SSLContext trusting, int port, int size) throws IOException {
        this.socket = handshaken(trusting, Clients.connect(port));
        this.request = new byte[size];
        this.reply = new byte[size];
    }

    /** A context that trusts {@code certificate} alone. */
    static SSLContext trusting(X509Certificate certificate) {
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            store.setCertificateEntry("server", certificate);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(store);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** TLS over {@code plain} (left open when the TLS socket closes), its handshake done. */
    static SSLSocket handshaken(SSLContext trusting, Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) trusting.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
        tls.startHandshake();
        return tls;
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
                    throw new AssertionError("the server closed the well-behaved TLS client");
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
