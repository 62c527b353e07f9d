package io.selectors4j.loop.tls;

import io.selectors4j.loop.TlsSettings;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Makes the {@link SSLEngine} of one connection as its {@link TlsSettings} say. */
final class Engines {
    private Engines() {
    }

    /**
     * A client engine for a connection to {@code address}: the settings' server name (or the address's
     * host) for SNI, hostname verification and session resumption.
     */
    static SSLEngine client(TlsSettings settings, SocketAddress address) {
        String host = settings.serverName();
        int port = -1;
        if (address instanceof InetSocketAddress inet) {
            if (host == null) {
                host = inet.getHostString();
            }
            port = inet.getPort();
        }
        SSLEngine engine = host == null ? settings.context().createSSLEngine()
                : settings.context().createSSLEngine(host, port);
        engine.setUseClientMode(true);
        SSLParameters parameters = parameters(settings, engine);
        if (settings.hostnameVerification()) {
            if (host == null) {
                throw new IllegalArgumentException("hostname verification needs a server name: give one in "
                        + "TlsSettings.client or turn verification off");
            }
            parameters.setEndpointIdentificationAlgorithm("HTTPS");
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    /** A server engine. */
    static SSLEngine server(TlsSettings settings) {
        SSLEngine engine = settings.context().createSSLEngine();
        engine.setUseClientMode(false);
        SSLParameters parameters = parameters(settings, engine);
        switch (settings.clientAuth()) {
            case NEED -> parameters.setNeedClientAuth(true);
            case WANT -> parameters.setWantClientAuth(true);
            case NONE -> parameters.setNeedClientAuth(false);
        }
        engine.setSSLParameters(parameters);
        return engine;
    }

    private static SSLParameters parameters(TlsSettings settings, SSLEngine engine) {
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setProtocols(enabled(settings.protocols(), engine.getSupportedProtocols(), "TLS version"));
        if (settings.cipherSuites() != null) {
            parameters.setCipherSuites(enabled(settings.cipherSuites(), engine.getSupportedCipherSuites(),
                    "cipher suite"));
        }
        if (!settings.applicationProtocols().isEmpty()) {
            parameters.setApplicationProtocols(settings.applicationProtocols().toArray(String[]::new));
        }
        return parameters;
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
