package io.selectors4j.apps.bench;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Runs a {@link LoadPlan}: starts one {@link LoadWorker} thread per selector or event loop, waits until every connection
 * is up, starts them together, tells the {@link Listener} about the phases and the progress once a
 * second, and gathers what they measured.
 */
final class LoadGenerator {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    /** Told about the run as it goes, on the thread that called {@link #run}. */
    interface Listener {
        /** Every worker is connected; the warm-up begins. */
        void warmup();

        /** The measured window opens. */
        void measuring();

        /** The measured window has closed; no connection is closed yet. */
        void windowClosed();

        /**
         * Once a second: seconds since the start, messages completed in the last second and all so far,
         * and whether that second was (at least partly) warm-up.
         */
        void progress(long second, long lastSecond, long total, boolean warmup);
    }

    private final LoadPlan plan;

    LoadGenerator(LoadPlan plan) {
        this.plan = plan;
    }

    /** Runs the plan to the end of its measured window; fails when a worker cannot connect. */
    Measurement run(Listener listener) throws IOException, InterruptedException {
        Payload payload = new Payload();
        CountDownLatch connected = new CountDownLatch(plan.threads());
        CountDownLatch go = new CountDownLatch(1);
        CountDownLatch finished = new CountDownLatch(plan.threads());
        CountDownLatch release = new CountDownLatch(1);
        long[] startAt = {-1};
        LoadWorker.Start start = new LoadWorker.Start() {
            @Override
            public long connectedAwaitStart() throws InterruptedException {
                connected.countDown();
                go.await();
                return startAt[0];
            }

            @Override
            public void windowClosed(boolean await) throws InterruptedException {
                finished.countDown();
                if (await) {
                    release.await();
                }
            }
        };
        List<LoadWorker> workers = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < plan.threads(); i++) {
            LoadWorker worker = plan.onLoop() ? new LoopWorker(plan, payload, i, start)
                    : new Worker(plan, payload, i, start);
            workers.add(worker);
            threads.add(Thread.ofPlatform().name("s4j-bench-" + i).start(worker));
        }
        try {
            while (!connected.await(50, TimeUnit.MILLISECONDS)) {
                if (failure(workers) != null) {
                    break;
                }
            }
            IOException failure = failure(workers);
            if (failure != null) {
                workers.forEach(LoadWorker::stop);
                go.countDown();
                throw failure;
            }
            startAt[0] = System.nanoTime();
            go.countDown();
            listener.warmup();
            follow(workers, finished, startAt[0], listener);
            listener.windowClosed();
        } finally {
            workers.forEach(LoadWorker::stop);
            go.countDown();
            release.countDown();
            for (Thread thread : threads) {
                thread.join();
            }
        }
        IOException failure = failure(workers);
        if (failure != null) {
            throw failure;
        }
        Histogram latencies = new Histogram(TimeUnit.HOURS.toNanos(1), 3);
        List<WorkerTally> tallies = new ArrayList<>();
        for (LoadWorker worker : workers) {
            latencies.add(worker.latencies());
            tallies.add(worker.tally());
        }
        return new Measurement(plan, latencies, tallies);
    }

    /** Tells the phases and the progress until every worker's window has closed. */
    private void follow(List<LoadWorker> workers, CountDownLatch finished, long startAt, Listener listener)
            throws InterruptedException {
        long measureStart = startAt + plan.warmupNanos();
        boolean measuring = false;
        long second = 1;
        long lastTotal = 0;
        while (finished.getCount() > 0) {
            long now = System.nanoTime();
            if (!measuring && now >= measureStart) {
                measuring = true;
                listener.measuring();
            }
            long tick = startAt + second * SECOND;
            if (now >= tick) {
                long total = workers.stream().mapToLong(LoadWorker::progress).sum();
                listener.progress(second, total - lastTotal, total, tick - SECOND < measureStart);
                lastTotal = total;
                second++;
                continue;
            }
            long wake = measuring ? tick : Math.min(tick, measureStart);
            finished.await(Math.max(1, wake - now), TimeUnit.NANOSECONDS);
        }
        if (!measuring) {
            listener.measuring();
        }
    }

    private static IOException failure(List<LoadWorker> workers) {
        for (LoadWorker worker : workers) {
            Exception failure = worker.tally().failure;
            if (failure instanceof IOException io) {
                return io;
            }
        }
        return null;
    }
}
