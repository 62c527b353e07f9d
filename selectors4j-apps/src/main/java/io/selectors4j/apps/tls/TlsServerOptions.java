package io.selectors4j.apps.tls;

import io.selectors4j.apps.common.EventLog;
import io.selectors4j.apps.common.SecondsConverter;
import io.selectors4j.loop.TlsSettings;
import io.selectors4j.net.PythonText;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The TLS options of the loop-based servers ({@code serve}, {@code chat-server}): a certificate and key
 * from PEM files, or a throw-away self-signed certificate, and the handshake's time bound.
 */
public final class TlsServerOptions {
    @Option(names = "--tls-cert", paramLabel = "FILE",
            description = "Speak TLS with this PEM certificate chain (the server's own certificate first); "
                    + "needs --tls-key (default: none, plain TCP).")
    private Path certificate;

    @Option(names = "--tls-key", paramLabel = "FILE",
            description = "The PEM private key of --tls-cert: unencrypted PKCS#8, PKCS#1 (RSA) or SEC1 (EC) "
                    + "(default: none).")
    private Path key;

    @Option(names = "--tls-self-signed",
            description = "Speak TLS with a throw-away certificate made at start-up for localhost, 127.0.0.1, "
                    + "::1 and --host; its SHA-256 fingerprint is printed.")
    private boolean selfSigned;

    @Option(names = "--tls-handshake-timeout", paramLabel = "SECONDS", defaultValue = "60",
            converter = SecondsConverter.class,
            description = "Drop a client whose TLS handshake has not completed within this time, above 0 and "
                    + "up to 1000000 (default: ${DEFAULT-VALUE}).")
    private Duration handshakeTimeout;

    /** The line that tells which certificate is served, once {@link #settings} has made it. */
    private String announcement;

    /** Whether a TLS option was given. */
    public boolean enabled() {
        return selfSigned || certificate != null || key != null;
    }

    /**
     * The server settings the options ask for, {@code null} for plain TCP; {@link #announce} then tells
     * which certificate is served.
     *
     * @throws ParameterException options that do not go together
     * @throws IOException        a PEM file that cannot be read, as one line
     */
    public TlsSettings settings(CommandSpec spec, String host) throws IOException {
        if (!enabled()) {
            return null;
        }
        if (selfSigned && (certificate != null || key != null)) {
            throw new ParameterException(spec.commandLine(),
                    "--tls-self-signed makes its own certificate: give it without --tls-cert and --tls-key");
        }
        if (!selfSigned && (certificate == null || key == null)) {
            throw new ParameterException(spec.commandLine(), "--tls-cert and --tls-key go together");
        }
        Credentials credentials = selfSigned ? SelfSigned.make(host) : Credentials.read(certificate, key);
        TlsSettings settings;
        try {
            settings = TlsSettings.server(credentials.serverContext());
        } catch (IllegalArgumentException e) {
            throw new IOException(key + ": " + e.getMessage(), e);
        }
        announcement = "TLS: " + (selfSigned ? "self-signed certificate made now for " : "certificate for ")
                + names(credentials) + ", SHA-256 fingerprint " + credentials.fingerprint();
        return settings.withHandshakeTimeout(handshakeTimeout);
    }

    /**
     * Prints which certificate is served and its SHA-256 fingerprint (compare it with {@code openssl
     * s_client -connect HOST:PORT | openssl x509 -noout -fingerprint -sha256}); nothing for plain TCP.
     */
    public void announce(EventLog log) {
        if (announcement != null) {
            log.line(announcement);
        }
    }

    /**
     * {@code settings} for one service, whose failed handshakes are logged as events with
     * {@code prefix}: {@code echo: ('127.0.0.1', 50312): handshake failed: Received fatal alert: ...}.
     */
    public static TlsSettings forService(TlsSettings settings, EventLog log, String prefix) {
        if (settings == null) {
            return null;
        }
        return settings.withHandshakeFailureListener((peer, error) -> {
            if (log.eventsShown()) {
                log.event(prefix + PythonText.address(peer) + ": " + error.getMessage());
            }
        });
    }

    private static String names(Credentials credentials) {
        try {
            var alternatives = credentials.chain().getFirst().getSubjectAlternativeNames();
            if (alternatives != null && !alternatives.isEmpty()) {
                return String.join(", ", alternatives.stream()
                        .map(entry -> String.valueOf(entry.get(1)).replace("0:0:0:0:0:0:0:1", "::1")).toList());
            }
        } catch (java.security.cert.CertificateParsingException e) {
            // fall back on the subject
        }
        return credentials.chain().getFirst().getSubjectX500Principal().getName();
    }
}
