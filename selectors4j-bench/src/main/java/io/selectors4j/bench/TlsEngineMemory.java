package io.selectors4j.bench;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import javax.net.ssl.SSLEngine;

/**
 * What one JDK server engine keeps on the heap once its TLS 1.3 handshake is done, with no transport
 * and no layer around it: {@code java -cp benchmarks.jar io.selectors4j.bench.TlsEngineMemory [N]}
 * handshakes N (default 2,000) engine pairs in memory, keeps the server engines, and prints the growth
 * of the heap after a full collection divided by N. It is the floor under any TLS server built on the
 * JDK's engine, for the idle-memory comparison of docs/BENCHMARKS.md.
 */
public final class TlsEngineMemory {
    private TlsEngineMemory() {
    }

    /** Prints the heap per handshaken server engine, for engines as made and as given parameters. */
    public static void main(String[] args) throws Exception {
        int count = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        measure(count); // a first round loads and compiles what the handshakes use
        System.out.printf("%,d B of heap per server engine after a TLS 1.3 handshake (%,d engines)%n",
                measure(count), count);
    }

    private static long measure(int count) throws Exception {
        List<SSLEngine> kept = new ArrayList<>(count);
        long before = usedAfterGc();
        for (int i = 0; i < count; i++) {
            SSLEngine server = TlsEngines.server();
            TlsEngines.handshake(TlsEngines.client(), server);
            kept.add(server);
        }
        long after = usedAfterGc();
        if (kept.getLast().getSession().getProtocol().isEmpty()) {
            throw new IllegalStateException("no session"); // keeps the engines reachable until here
        }
        return (after - before) / count;
    }

    private static long usedAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
