package io.selectors4j.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

/**
 * The measuring hook of a Java server under comparison: for each line {@code stats} read on standard
 * input it prints {@code alloc-bytes N}, the bytes the JVM's threads have allocated on the heap since
 * it started, on standard output. The runner reads it at both ends of the measured window. A daemon
 * thread; end of input ends it.
 */
final class StatsHook {
    private StatsHook() {
    }

    static void start() {
        Thread.ofPlatform().daemon().name("stats-hook").start(StatsHook::answer);
    }

    private static void answer() {
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.strip().equals("stats")) {
                    System.out.println("alloc-bytes " + threads.getTotalThreadAllocatedBytes());
                    System.out.flush();
                }
            }
        } catch (IOException e) {
            // Standard input closed under us: nobody is asking any more.
        }
    }
}
