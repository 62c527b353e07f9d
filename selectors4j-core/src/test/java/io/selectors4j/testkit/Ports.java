package io.selectors4j.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** Free loopback ports for servers that take a fixed port number (see {@link ChildJvm#startServer}). */
public final class Ports {
    /** Which protocols the port must be free for. */
    public enum Kind { TCP, TCP_AND_UDP }

    private Ports() {
    }

    /** A port free on 127.0.0.1 right now (it may be taken again before it is used: callers retry). */
    public static int free(Kind kind) {
        for (int attempt = 0; attempt < 20; attempt++) {
            try (ServerSocket tcp = new ServerSocket()) {
                tcp.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
                int port = tcp.getLocalPort();
                if (kind == Kind.TCP) {
                    return port;
                }
                try (DatagramSocket udp = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
                    return port;
                } catch (IOException taken) {
                    // UDP has it; try another.
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("no free port for TCP and UDP in 20 tries");
    }
}
