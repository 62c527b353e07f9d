package io.selectors4j.apps.tls;

import io.selectors4j.loop.TlsSettings;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The TLS options of the clients ({@code echo-client}, {@code chat-client}, {@code bench}): TLS with the
 * JDK's trust store, with the certificates of a PEM file, or with no check at all.
 */
public final class TlsClientOptions {
    @Option(names = "--tls", description = "Speak TLS, checking the server's certificate against the JDK's "
            + "trust store and the host name.")
    private boolean tls;

    @Option(names = "--tls-ca", paramLabel = "FILE",
            description = "Trust the certificates in this PEM file (a CA, or the server's own) instead of the "
                    + "JDK's trust store; implies --tls (default: none, the JDK's trust store).")
    private Path ca;

    @Option(names = "--tls-insecure",
            description = "Accept any certificate for any name, unchecked (implies --tls): anyone on the way "
                    + "can read and change the traffic. For tests only.")
    private boolean insecure;

    /** Whether TLS was asked for. */
    public boolean enabled() {
        return tls || ca != null || insecure;
    }

    /**
     * The client settings for {@code host} the options ask for, {@code null} for plain TCP; with
     * {@code --tls-insecure}, a warning on {@code err}.
     *
     * @throws ParameterException {@code --tls-ca} with {@code --tls-insecure}
     * @throws IOException        a CA file that cannot be read, as one line
     */
    public TlsSettings settings(CommandSpec spec, String host) throws IOException {
        if (!enabled()) {
            return null;
        }
        if (insecure && ca != null) {
            throw new ParameterException(spec.commandLine(), "--tls-ca and --tls-insecure contradict each other: "
                    + "give one");
        }
        PrintWriter err = spec.commandLine().getErr();
        if (insecure) {
            err.println("WARNING: --tls-insecure: the server's certificate is NOT checked; anyone on the way can "
                    + "read and change this traffic");
            err.flush();
            return TlsSettings.client(trustingEverything(), host).withHostnameVerification(false);
        }
        if (ca != null) {
            return TlsSettings.client(context(trusting(Credentials.certificates(ca), ca)), host);
        }
        try {
            return TlsSettings.client(SSLContext.getDefault(), host);
        } catch (GeneralSecurityException e) {
            throw new IOException("the JDK's default TLS context is not available: " + e.getMessage(), e);
        }
    }

    private static TrustManager[] trusting(List<X509Certificate> certificates, Path file) throws IOException {
        if (certificates.isEmpty()) {
            throw new IOException(file + ": no certificate in it");
        }
        try {
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            for (int i = 0; i < certificates.size(); i++) {
                store.setCertificateEntry("ca-" + i, certificates.get(i));
            }
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(store);
            return factory.getTrustManagers();
        } catch (GeneralSecurityException e) {
            throw new IOException(file + ": cannot trust its certificates: " + e.getMessage(), e);
        }
    }

    /** What {@code --tls-insecure} asks for: a client context that accepts any certificate. */
    static SSLContext trustingEverything() throws IOException {
        return context(new TrustManager[] {new TrustingEverything()});
    }

    private static SSLContext context(TrustManager[] trust) throws IOException {
        try {
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, trust, null);
            return context;
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot set up TLS: " + e.getMessage(), e);
        }
    }

    /** What {@code --tls-insecure} trusts: anything. */
    private static final class TrustingEverything extends X509ExtendedTrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) {
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
