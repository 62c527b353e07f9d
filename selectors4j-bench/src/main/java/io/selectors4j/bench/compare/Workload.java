package io.selectors4j.bench.compare;

import java.util.List;

/**
 * One traffic pattern of the comparison.
 *
 * @param id          a letter: a to f for plain servers, t and h for TLS ones, g on request
 * @param title       what it is, for the tables
 * @param connections connections the load generator opens
 * @param size        bytes per message
 * @param pipeline    messages in flight per connection
 * @param threads     server loops and load-generator threads
 * @param pinned      server on CPU 0 and load generator on CPU 1; otherwise both unpinned
 * @param tls         over TLS 1.3 with TLS_AES_128_GCM_SHA256 (the load generator offers only that suite),
 *                    for the TLS servers only
 * @param reconnect   a new connection per request: connect, full handshake, one echo, close
 */
record Workload(String id, String title, int connections, int size, int pipeline, int threads, boolean pinned,
                boolean tls, boolean reconnect) {

    /** The TLS 1.3 cipher suite of the TLS workloads. */
    static final String TLS_SUITE = "TLS_AES_128_GCM_SHA256";

    Workload(String id, String title, int connections, int size, int pipeline, int threads, boolean pinned) {
        this(id, title, connections, size, pipeline, threads, pinned, false, false);
    }

    /**
     * The workloads (a) to (f) for plain servers, (t) and (h) for TLS ones; (d) gets as many connections
     * as {@code manyConnections}.
     */
    static List<Workload> all(int manyConnections) {
        return List.of(
                new Workload("a", "100 connections x 1 KiB ping-pong", 100, 1024, 1, 1, true),
                new Workload("b", "1 connection x 64 B", 1, 64, 1, 1, true),
                new Workload("c", "100 connections x 64 B, pipelined 16 deep", 100, 64, 16, 1, true),
                new Workload("d", String.format("%,d connections x 1 KiB", manyConnections), manyConnections, 1024, 1,
                        1, true),
                new Workload("e", "10 connections x 100 KiB", 10, 100 * 1024, 1, 1, true),
                new Workload("f", "100 connections x 1 KiB, 2 loops/threads each, unpinned", 100, 1024, 1, 2, false),
                new Workload("t", "TLS 1.3, AES-128-GCM: 100 connections x 1 KiB ping-pong", 100, 1024, 1, 1, true,
                        true, false),
                new Workload("h", "TLS handshakes: 16 at a time, each a new connection, a full handshake (ECDSA "
                        + "P-256, X25519), one 64 B echo and an orderly close", 16, 64, 1, 1, true, true, true));
    }

    /**
     * The workloads run only when named ({@code --workloads g}): (g) 10 connections x 1 KiB, a light
     * load under which a server wakes with few completions ready, the case io_uring's batching must get
     * right.
     */
    static List<Workload> onRequest() {
        return List.of(new Workload("g", "10 connections x 1 KiB ping-pong", 10, 1024, 1, 1, true));
    }
}
