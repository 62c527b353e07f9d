package io.selectors4j.apps.echo;

import io.selectors4j.apps.common.Addresses;
import io.selectors4j.apps.common.PortConverter;
import io.selectors4j.apps.tls.Link;
import io.selectors4j.loop.TlsSettings;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.io.PrintWriter;
import picocli.CommandLine.Option;

/** The echo clients' {@code --host} and {@code --port}, and their first line and connection. */
final class EchoServerAddress {

    @Option(names = "--host", defaultValue = "localhost", paramLabel = "HOST",
            description = "Server to connect to (default: ${DEFAULT-VALUE}).")
    private String host;

    @Option(names = "--port", defaultValue = "10000", paramLabel = "PORT", converter = PortConverter.class,
            description = "Server port (default: ${DEFAULT-VALUE}).")
    private int port;

    /** Prints {@code connecting to HOST port PORT}, the classic clients' first line. */
    void announce(PrintWriter out) {
        out.println("connecting to " + host + " port " + port);
        out.flush();
    }

    /** A blocking connection to the server, or a one-line failure. */
    Socket connect() throws IOException {
        return Addresses.connect(host, port);
    }

    /** A connection to the server speaking TLS when {@code tls} is not {@code null}, or a one-line failure. */
    Link connect(TlsSettings tls) throws IOException {
        return Link.connect(host, port, tls);
    }

    /** The host name as given, for TLS's server name. */
    String host() {
        return host;
    }
}
