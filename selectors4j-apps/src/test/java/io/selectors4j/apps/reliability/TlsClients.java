package io.selectors4j.apps.reliability;

import io.selectors4j.testkit.Clients;
import java.io.IOException;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * The JDK's TLS client sockets that the hostile TLS tests build on, trusting the server's certificate:
 * handshakes done on a connection given, and the well-behaved client that measures round trips.
 */
final class TlsClients {
    private TlsClients() {
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

    /** TLS over {@code plain} (which closes with it), its handshake done. */
    static SSLSocket handshaken(SSLContext trusting, Socket plain) throws IOException {
        SSLSocket tls = (SSLSocket) trusting.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true);
        tls.startHandshake();
        return tls;
    }

    /** A well-behaved TLS echo client on a new connection to {@code port}, {@code size} bytes a request. */
    static LatencyProbe probe(SSLContext trusting, int port, int size) throws IOException {
        return new LatencyProbe(handshaken(trusting, Clients.connect(port)), size);
    }
}
