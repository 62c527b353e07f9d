package io.selectors4j.apps.bench;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.Histogram;

/**
 * One load thread's share of a run: {@link Worker} on a selector for plain connections kept open,
 * {@link LoopWorker} on an event loop for TLS and for a new connection per request. This class holds
 * what both do the same way: the run's order (connect, wait for the common start, drive the measured
 * window, wait until every worker's window has closed, let the connections go) and what they measure.
 *
 * <p>The plan's connections are dealt to the workers in turn, so worker {@code w}'s connection
 * {@code k} is connection {@code w + k * threads} of the run, and connection {@code w} its first.
 */
abstract class LoadWorker implements Runnable {
    /** The moment every worker starts together, set once all are connected. */
    interface Start {
        /**
         * Tells that this worker is connected and waits for the common start time
         * ({@link System#nanoTime()}); a negative answer means the run was called off.
         */
        long connectedAwaitStart() throws InterruptedException;

        /**
         * Tells that this worker's measured window has closed, or that it stopped; {@code await} then
         * waits until every worker's has, so that no connection closes inside another's window.
         */
        void windowClosed(boolean await) throws InterruptedException;
    }

    /** How long a worker waits for its connections (and their handshakes) to be made. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(60);

    final LoadPlan plan;
    final Payload payload;
    /** Which worker this is, from 0; also the number of its first connection. */
    final int index;
    final Histogram latencies = new Histogram(TimeUnit.HOURS.toNanos(1), 3);
    /** Messages completed so far, written by the worker's thread now and then. */
    final AtomicLong progress = new AtomicLong();
    final WorkerTally tally = new WorkerTally();
    volatile boolean stopped;
    private final Start start;

    LoadWorker(LoadPlan plan, Payload payload, int index, Start start) {
        this.plan = plan;
        this.payload = payload;
        this.index = index;
        this.start = start;
    }

    /** Calls the run off from another thread: a worker still connecting gives up at once. */
    final void stop() {
        stopped = true;
        wakeUp();
    }

    /** Messages completed so far, warm-up included, read by the progress line from another thread. */
    final long progress() {
        return progress.get();
    }

    /** What this worker measured; valid once its thread has ended. */
    final WorkerTally tally() {
        return tally;
    }

    /** The latencies of the measured window; valid once its thread has ended. */
    final Histogram latencies() {
        return latencies;
    }

    /** The run's number of this worker's connection {@code slot}, as the messages name it. */
    final int connectionNumber(int slot) {
        return index + slot * plan.threads();
    }

    @Override
    public final void run() {
        try {
            open();
            try {
                measure();
            } finally {
                close();
            }
        } catch (IOException e) {
            tally.failure = e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void measure() throws IOException, InterruptedException {
        boolean released = false;
        try {
            connectAll();
            long startAt = stopped ? -1 : start.connectedAwaitStart();
            if (startAt >= 0) {
                drive(startAt);
                released = true;
                start.windowClosed(true);
            }
        } finally {
            if (!released) {
                start.windowClosed(false);
            }
            letGo();
        }
    }

    /** Opens what this worker waits on: its selector or its event loop. */
    abstract void open() throws IOException;

    /** Closes what {@link #open} opened, as the run ends. */
    abstract void close();

    /** Wakes the worker's thread from its wait, so that it sees {@link #stopped}. */
    abstract void wakeUp();

    /** Opens the connections that the measured window uses, or fails the run. */
    abstract void connectAll() throws IOException;

    /** Sends and receives from {@code startAt}, the common start, to the end of the measured window. */
    abstract void drive(long startAt) throws IOException;

    /** Ends every connection as the run ends, without counting it as a problem. */
    abstract void letGo();
}
