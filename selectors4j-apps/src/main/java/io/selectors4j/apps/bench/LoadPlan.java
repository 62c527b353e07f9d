package io.selectors4j.apps.bench;

import io.selectors4j.loop.LoopBackend;
import io.selectors4j.loop.TlsSettings;
import java.util.Objects;
import java.net.InetSocketAddress;

/**
 * What one load run does: where, how many connections, how big each message, for how long, how many
 * messages in flight per connection, and at what fixed rate (0: as fast as the echoes come back).
 *
 * @param target        the echo server
 * @param connections   number of connections, spread over the threads
 * @param size          bytes per message
 * @param warmupNanos   run before measuring, not recorded
 * @param durationNanos the measured window
 * @param pipeline      messages in flight per connection
 * @param rate          requests per second over all connections, or 0 for a closed loop
 * @param threads       worker threads, each with its own selector
 * @param tls           TLS client settings, or {@code null} for plain TCP
 * @param reconnect     a new connection for every request (connect, handshake, one echo, close), with
 *                      {@code connections} of them under way at once
 * @param backend       what each load thread waits with: its selector's backend, or io_uring, which
 *                      runs every thread on an event loop
 */
record LoadPlan(InetSocketAddress target, int connections, int size, long warmupNanos, long durationNanos,
                int pipeline, double rate, int threads, TlsSettings tls, boolean reconnect, LoopBackend backend) {

    LoadPlan {
        Objects.requireNonNull(backend, "backend");
        if (connections < 1 || size < 1 || pipeline < 1 || threads < 1 || durationNanos <= 0
                || warmupNanos < 0 || rate < 0) {
            throw new IllegalArgumentException("invalid load plan");
        }
        if ((tls != null || reconnect || backend == LoopBackend.IO_URING) && rate > 0) {
            throw new IllegalArgumentException("a fixed rate is not offered with TLS, --reconnect or io_uring");
        }
        if (threads > connections) {
            throw new IllegalArgumentException("more threads (" + threads + ") than connections (" + connections + ")");
        }
    }

    /** The plan without TLS or reconnecting: for tests of the plain load. */
    LoadPlan(InetSocketAddress target, int connections, int size, long warmupNanos, long durationNanos, int pipeline,
            double rate, int threads) {
        this(target, connections, size, warmupNanos, durationNanos, pipeline, rate, threads, null, false,
                LoopBackend.best());
    }

    /**
     * Whether the run goes through an event loop ({@link LoopWorker}) rather than a selector: with TLS,
     * {@code --reconnect}, or io_uring, which has no selector.
     */
    boolean onLoop() {
        return tls != null || reconnect || backend.selectorBackend().isEmpty();
    }

    /** How connections are made, in words: {@code tcp}, {@code tls}, with {@code , new connection per request}. */
    String mode() {
        return (tls == null ? "tcp" : "tls") + (reconnect ? ", new connection per request" : "");
    }

    /** The connections worker {@code worker} of {@link #threads()} drives: round-robin shares. */
    int connectionsOf(int worker) {
        return connections / threads + (worker < connections % threads ? 1 : 0);
    }

    /** The fixed rate worker {@code worker} keeps, in proportion to its connections; 0 for a closed loop. */
    double rateOf(int worker) {
        return rate * connectionsOf(worker) / connections;
    }
}
