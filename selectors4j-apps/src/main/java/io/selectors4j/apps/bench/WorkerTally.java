package io.selectors4j.apps.bench;

import java.lang.management.ManagementFactory;

/**
 * What one {@link LoadWorker} counted over the measured window: requests, bad echoes, lost connections,
 * and its own thread's CPU time and allocation. Written by the worker's thread, read after it ends.
 */
final class WorkerTally {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    long requests;
    long mismatches;
    long connectionErrors;
    /** What stopped the worker, if anything did. */
    volatile Exception failure;
    /** The first mismatch or connection error, told in words. */
    String firstProblem;
    long cpuNanos;
    long userNanos;
    long allocatedBytes;

    private long cpuAtStart;
    private long userAtStart;
    private long allocatedAtStart;

    /** Notes the first problem; later ones are only counted. */
    void firstProblem(String problem) {
        if (firstProblem == null) {
            firstProblem = problem;
        }
    }

    /** Reads the calling thread's counters as the measured window opens. */
    void startCounters() {
        cpuAtStart = THREADS.getCurrentThreadCpuTime();
        userAtStart = THREADS.getCurrentThreadUserTime();
        allocatedAtStart = THREADS.getCurrentThreadAllocatedBytes();
    }

    /** Reads the calling thread's counters as the measured window closes. */
    void stopCounters() {
        cpuNanos = THREADS.getCurrentThreadCpuTime() - cpuAtStart;
        userNanos = THREADS.getCurrentThreadUserTime() - userAtStart;
        allocatedBytes = THREADS.getCurrentThreadAllocatedBytes() - allocatedAtStart;
    }
}
