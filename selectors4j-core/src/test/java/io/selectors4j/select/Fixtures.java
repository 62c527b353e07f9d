package io.selectors4j.select;

import io.selectors4j.net.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.Callable;

/** Real descriptors for the tests: connected TCP sockets on loopback and timing helpers. */
final class Fixtures {
    private Fixtures() {
    }

    /** A connected TCP pair on 127.0.0.1: client first, accepted server side second. */
    static Socket.Pair tcpPair() throws IOException {
        try (Socket listener = Socket.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1)) {
            Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress());
            return new Socket.Pair(client, listener.accept().socket());
        }
    }

    /** Milliseconds {@code action} took. */
    static <T> Timed<T> timed(Callable<T> action) throws Exception {
        long start = System.nanoTime();
        T value = action.call();
        return new Timed<>(value, (System.nanoTime() - start) / 1_000_000.0);
    }

    /** A result with the milliseconds it took. */
    record Timed<T>(T value, double millis) {
    }
}
