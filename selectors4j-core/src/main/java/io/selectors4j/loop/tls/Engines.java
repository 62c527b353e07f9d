package io.selectors4j.loop.tls;

import io.selectors4j.loop.TlsSettings;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * Makes the {@link SSLEngine}s of one {@link TlsSettings}. The parameters are worked out once: an
 * engine is given only what differs from the context's defaults, through one {@link SSLParameters}
 * shared by all, because the JDK makes an engine its own lists of versions and cipher suites whenever
 * they are set, and an idle connection would keep them (about 340 bytes each).
 */
final class Engines {
    private final TlsSettings settings;
    private final SSLParameters changes;

    /**
     * @throws IllegalArgumentException settings the context cannot meet: no version or cipher suite of
     *                                  them supported
     */
    Engines(TlsSettings settings) {
        this.settings = settings;
        SSLEngine probe = settings.context().createSSLEngine();
        probe.setUseClientMode(settings.isClient());
        SSLParameters defaults = probe.getSSLParameters();
        changes = new SSLParameters();
        String[] protocols = enabled(settings.protocols(), probe.getSupportedProtocols(), "TLS version");
        if (!Arrays.equals(protocols, defaults.getProtocols())) {
            changes.setProtocols(protocols);
        }
        if (settings.cipherSuites() != null) {
            String[] suites = enabled(settings.cipherSuites(), probe.getSupportedCipherSuites(), "cipher suite");
            if (!Arrays.equals(suites, defaults.getCipherSuites())) {
                changes.setCipherSuites(suites);
            }
        }
        if (!settings.applicationProtocols().isEmpty()) {
            changes.setApplicationProtocols(settings.applicationProtocols().toArray(String[]::new));
        }
        switch (settings.clientAuth()) {
            case NEED -> changes.setNeedClientAuth(true);
            case WANT -> changes.setWantClientAuth(true);
            case NONE -> changes.setNeedClientAuth(false);
        }
        if (settings.isClient() && settings.hostnameVerification()) {
            changes.setEndpointIdentificationAlgorithm("HTTPS");
        }
        // What a fresh SSLParameters would otherwise reset: the engine's own values.
        changes.setUseCipherSuitesOrder(defaults.getUseCipherSuitesOrder());
        changes.setMaximumPacketSize(defaults.getMaximumPacketSize());
        changes.setEnableRetransmissions(defaults.getEnableRetransmissions());
    }

    TlsSettings settings() {
        return settings;
    }

    /**
     * A client engine for a connection to {@code address}: the settings' server name (or the address's
     * host) for SNI, hostname verification and session resumption.
     *
     * @throws IllegalArgumentException hostname verification with no name to verify
     */
    SSLEngine client(SocketAddress address) {
        String host = settings.serverName();
        int port = -1;
        if (address instanceof InetSocketAddress inet) {
            if (host == null) {
                host = inet.getHostString();
            }
            port = inet.getPort();
        }
        if (settings.hostnameVerification() && host == null) {
            throw new IllegalArgumentException("hostname verification needs a server name: give one in "
                    + "TlsSettings.client or turn verification off");
        }
        SSLEngine engine = host == null ? settings.context().createSSLEngine()
                : settings.context().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        engine.setSSLParameters(changes);
        return engine;
    }

    /** A server engine. */
    SSLEngine server() {
        SSLEngine engine = settings.context().createSSLEngine();
        engine.setUseClientMode(false);
        engine.setSSLParameters(changes);
        return engine;
    }

    /** The wanted names this engine supports, in the wanted order; refuses a list of none. */
    private static String[] enabled(List<String> wanted, String[] supported, String what) {
        List<String> known = Arrays.asList(supported);
        List<String> result = new ArrayList<>();
        for (String name : wanted) {
            if (known.contains(name)) {
                result.add(name);
            }
        }
        if (result.isEmpty()) {
            throw new IllegalArgumentException("no " + what + " of " + wanted + " is supported by this SSLContext");
        }
        return result.toArray(String[]::new);
    }
}
