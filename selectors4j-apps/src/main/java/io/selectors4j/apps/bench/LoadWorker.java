package io.selectors4j.apps.bench;

import org.HdrHistogram.Histogram;

/**
 * One load thread's share of a run: {@link Worker} on a selector for plain connections kept open,
 * {@link LoopWorker} on an event loop for TLS and for a new connection per request.
 */
interface LoadWorker extends Runnable {
    /** Calls the run off from another thread: a worker still connecting gives up at once. */
    void stop();

    /** Messages completed so far, warm-up included, read by the progress line from another thread. */
    long progress();

    /** What this worker measured; valid once its thread has ended. */
    WorkerTally tally();

    /** The latencies of the measured window; valid once its thread has ended. */
    Histogram latencies();
}
