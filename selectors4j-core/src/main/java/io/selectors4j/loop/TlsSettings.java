package io.selectors4j.loop;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.function.BiConsumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/**
 * How a server or a client speaks TLS, with the JDK's {@link javax.net.ssl.SSLEngine}: asyncio's
 * {@code ssl=} argument. Immutable; each {@code with...} method returns a changed copy. Pass it to
 * {@link EventLoop#listen(SocketAddress, java.util.function.Supplier, ServerOptions, TlsSettings)},
 * {@link LoopGroup#listen(SocketAddress, java.util.function.Supplier, ServerOptions, TlsSettings)} or
 * {@link EventLoop#connect(SocketAddress, java.util.function.Supplier, Duration, TlsSettings)}.
 *
 * <p>The protocol sees plaintext through the usual {@link Protocol}/{@link Transport} calls, as
 * asyncio's does: its {@code connectionMade} runs once the handshake has completed, with a
 * {@link TlsTransport} that tells what was agreed. A connection whose handshake fails never reaches
 * the protocol: a client's {@code connect} future fails with an {@link javax.net.ssl.SSLHandshakeException}
 * whose message starts with {@code handshake failed: }; a server tells its
 * {@linkplain #withHandshakeFailureListener handshake-failure listener} (by default a
 * {@link System.Logger} entry at DEBUG, as a server on the internet sees many).
 *
 * <p>Defaults: TLS 1.3 and 1.2 only, the context's cipher suites, hostname verification on for
 * clients, no client authentication, no ALPN, a handshake timeout of 60 s and a shutdown timeout of
 * 30 s (asyncio's), delegated tasks (the handshake's certificate and key work) on virtual threads so the
 * loop never waits for them. Renegotiation (TLS 1.2) is always refused.
 */
public final class TlsSettings {
    /** The handshake must complete within this time by default (asyncio's {@code ssl_handshake_timeout}). */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(60);
    /** The close_notify exchange must complete within this time by default ({@code ssl_shutdown_timeout}). */
    public static final Duration DEFAULT_SHUTDOWN_TIMEOUT = Duration.ofSeconds(30);
    /** The protocol versions enabled by default: TLS 1.3 and 1.2. */
    public static final List<String> DEFAULT_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");

    /** Whether a server asks its clients for a certificate. */
    public enum ClientAuth {
        /** No client certificate is asked for. */
        NONE,
        /** A certificate is asked for; a client without one is still accepted. */
        WANT,
        /** A client without a valid certificate is refused. */
        NEED
    }

    private final SSLContext context;
    private final boolean client;
    private final String serverName;
    private final boolean hostnameVerification;
    private final List<String> applicationProtocols;
    private final ClientAuth clientAuth;
    private final Duration handshakeTimeout;
    private final Duration shutdownTimeout;
    private final List<String> protocols;
    private final List<String> cipherSuites;
    private final Executor taskExecutor;
    private final BiConsumer<SocketAddress, SSLException> handshakeFailureListener;

    private TlsSettings(SSLContext context, boolean client, String serverName, boolean hostnameVerification,
            List<String> applicationProtocols, ClientAuth clientAuth, Duration handshakeTimeout,
            Duration shutdownTimeout, List<String> protocols, List<String> cipherSuites, Executor taskExecutor,
            BiConsumer<SocketAddress, SSLException> handshakeFailureListener) {
        this.context = context;
        this.client = client;
        this.serverName = serverName;
        this.hostnameVerification = hostnameVerification;
        this.applicationProtocols = applicationProtocols;
        this.clientAuth = clientAuth;
        this.handshakeTimeout = handshakeTimeout;
        this.shutdownTimeout = shutdownTimeout;
        this.protocols = protocols;
        this.cipherSuites = cipherSuites;
        this.taskExecutor = taskExecutor;
        this.handshakeFailureListener = handshakeFailureListener;
    }

    /** Settings for a server whose certificate and key are in {@code context}'s key managers. */
    public static TlsSettings server(SSLContext context) {
        return new TlsSettings(Objects.requireNonNull(context, "context"), false, null, false, List.of(),
                ClientAuth.NONE, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT, DEFAULT_PROTOCOLS, null, null,
                null);
    }

    /**
     * Settings for a client that trusts what {@code context}'s trust managers trust (an
     * {@code SSLContext.getDefault()} trusts the JDK's CA certificates). {@code serverName} is sent for
     * SNI and checked against the server's certificate; {@code null} takes the host of the address
     * connected to (its name, or its IP address, which is then matched but not sent as SNI).
     */
    public static TlsSettings client(SSLContext context, String serverName) {
        return new TlsSettings(Objects.requireNonNull(context, "context"), true, serverName, true, List.of(),
                ClientAuth.NONE, DEFAULT_HANDSHAKE_TIMEOUT, DEFAULT_SHUTDOWN_TIMEOUT, DEFAULT_PROTOCOLS, null, null,
                null);
    }

    /** The context engines are made from. */
    public SSLContext context() {
        return context;
    }

    /** Whether these are client settings. */
    public boolean isClient() {
        return client;
    }

    /** The name sent for SNI and verified (clients); {@code null} for the host connected to. */
    public String serverName() {
        return serverName;
    }

    /** Whether a client checks that the server's certificate names the server (on by default). */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** The ALPN protocols offered (clients) or accepted in order of preference (servers); empty for none. */
    public List<String> applicationProtocols() {
        return applicationProtocols;
    }

    /** Whether a server asks for client certificates. */
    public ClientAuth clientAuth() {
        return clientAuth;
    }

    /** How long a handshake may take before the connection is dropped. */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** How long a close waits for the peer's close_notify before it resets the connection. */
    public Duration shutdownTimeout() {
        return shutdownTimeout;
    }

    /** The TLS versions enabled, such as {@code TLSv1.3}. */
    public List<String> protocols() {
        return protocols;
    }

    /** The cipher suites enabled, or {@code null} for the context's defaults. */
    public List<String> cipherSuites() {
        return cipherSuites;
    }

    /** Where delegated tasks run, or {@code null} for a virtual thread each. */
    public Executor taskExecutor() {
        return taskExecutor;
    }

    /** Told of each failed server handshake, or {@code null} for a DEBUG log entry. */
    public BiConsumer<SocketAddress, SSLException> handshakeFailureListener() {
        return handshakeFailureListener;
    }

    /**
     * These settings with hostname verification on or off (clients). Off, any certificate the trust
     * managers accept is taken, whatever name it carries: for tests and private networks only.
     */
    public TlsSettings withHostnameVerification(boolean value) {
        requireClient("hostname verification");
        return new TlsSettings(context, client, serverName, value, applicationProtocols, clientAuth,
                handshakeTimeout, shutdownTimeout, protocols, cipherSuites, taskExecutor, handshakeFailureListener);
    }

    /**
     * These settings with ALPN: a client offers {@code names}; a server picks the first of {@code names}
     * that the client offers, and refuses a client that offers ALPN but none of them.
     */
    public TlsSettings withApplicationProtocols(String... names) {
        List<String> list = List.of(names);
        for (String name : list) {
            if (name.isEmpty()) {
                throw new IllegalArgumentException("an ALPN protocol name cannot be empty");
            }
        }
        return new TlsSettings(context, client, serverName, hostnameVerification, list, clientAuth,
                handshakeTimeout, shutdownTimeout, protocols, cipherSuites, taskExecutor, handshakeFailureListener);
    }

    /** These settings with client authentication (servers). */
    public TlsSettings withClientAuth(ClientAuth value) {
        Objects.requireNonNull(value, "value");
        if (client) {
            throw new IllegalArgumentException("client authentication is a server setting");
        }
        return new TlsSettings(context, client, serverName, hostnameVerification, applicationProtocols, value,
                handshakeTimeout, shutdownTimeout, protocols, cipherSuites, taskExecutor, handshakeFailureListener);
    }

    /**
     * These settings with another handshake timeout: a connection whose handshake has not completed by
     * then is reset and its slot freed.
     *
     * @throws IllegalArgumentException a timeout that is not positive
     */
    public TlsSettings withHandshakeTimeout(Duration value) {
        return new TlsSettings(context, client, serverName, hostnameVerification, applicationProtocols, clientAuth,
                positive(value, "handshake timeout"), shutdownTimeout, protocols, cipherSuites, taskExecutor,
                handshakeFailureListener);
    }

    /**
     * These settings with another shutdown timeout: after a close, the time allowed for the queue to
     * drain and the peer's close_notify to arrive before the connection is reset.
     *
     * @throws IllegalArgumentException a timeout that is not positive
     */
    public TlsSettings withShutdownTimeout(Duration value) {
        return new TlsSettings(context, client, serverName, hostnameVerification, applicationProtocols, clientAuth,
                handshakeTimeout, positive(value, "shutdown timeout"), protocols, cipherSuites, taskExecutor,
                handshakeFailureListener);
    }

    /**
     * These settings with other TLS versions, such as {@code "TLSv1.3"} alone.
     *
     * @throws IllegalArgumentException an empty list
     */
    public TlsSettings withProtocols(String... names) {
        List<String> list = List.of(names);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("at least one TLS version is needed");
        }
        return new TlsSettings(context, client, serverName, hostnameVerification, applicationProtocols, clientAuth,
                handshakeTimeout, shutdownTimeout, list, cipherSuites, taskExecutor, handshakeFailureListener);
    }

    /**
     * These settings with only the cipher suites {@code names} (JSSE names, such as
     * {@code TLS_AES_128_GCM_SHA256}).
     *
     * @throws IllegalArgumentException an empty list
     */
    public TlsSettings withCipherSuites(String... names) {
        List<String> list = List.of(names);
        if (list.isEmpty()) {
            throw new IllegalArgumentException("at least one cipher suite is needed");
        }
        return new TlsSettings(context, client, serverName, hostnameVerification, applicationProtocols, clientAuth,
                handshakeTimeout, shutdownTimeout, protocols, list, taskExecutor, handshakeFailureListener);
    }

    /**
     * These settings with delegated tasks run by {@code executor} instead of a virtual thread each. The
     * loop never runs them itself: a slow certificate check then holds one connection, not the loop.
     */
    public TlsSettings withTaskExecutor(Executor executor) {
        return new TlsSettings(context, client, serverName, hostnameVerification, applicationProtocols, clientAuth,
                handshakeTimeout, shutdownTimeout, protocols, cipherSuites, Objects.requireNonNull(executor, "executor"),
                handshakeFailureListener);
    }

    /**
     * These settings with {@code listener} told, on the loop thread, of every server connection whose
     * handshake failed (the peer's address and an exception whose message is one line such as
     * {@code handshake failed: Received fatal alert: unknown_ca}). It must not block.
     */
    public TlsSettings withHandshakeFailureListener(BiConsumer<SocketAddress, SSLException> listener) {
        if (client) {
            throw new IllegalArgumentException("a client's handshake failure fails its connect future");
        }
        return new TlsSettings(context, client, serverName, hostnameVerification, applicationProtocols, clientAuth,
                handshakeTimeout, shutdownTimeout, protocols, cipherSuites, taskExecutor,
                Objects.requireNonNull(listener, "listener"));
    }

    @Override
    public String toString() {
        return (client ? "TLS client" : "TLS server") + " settings " + protocols
                + (serverName != null ? " for " + serverName : "")
                + (applicationProtocols.isEmpty() ? "" : " ALPN " + applicationProtocols);
    }

    private void requireClient(String what) {
        if (!client) {
            throw new IllegalArgumentException(what + " is a client setting");
        }
    }

    private static Duration positive(Duration value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException("the " + what + " must be positive, not " + value);
        }
        return value;
    }
}
