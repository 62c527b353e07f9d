package io.selectors4j.apps.bench;

import org.HdrHistogram.Histogram;

/**
 * The figures of one load run, as {@code --json} writes them (and {@code --csv}, flattened).
 *
 * @param target             the server, {@code HOST:PORT}
 * @param connections        connections driven
 * @param size               bytes per message
 * @param pipeline           messages in flight per connection
 * @param rate               the fixed rate asked for in requests per second, 0 for a closed loop
 * @param threads            load threads
 * @param mode               how connections are made: {@code tcp} or {@code tls}, and whether each request
 *                           has a new one
 * @param warmupSeconds      warm-up, not measured
 * @param durationSeconds    the measured window
 * @param requests           messages fully echoed in the window
 * @param requestsPerSecond  requests over the window
 * @param megabytesPerSecond payload echoed back per second, in 10^6 bytes
 * @param latencyMicros      percentiles of the time from a message's (intended) start to its full echo
 * @param mismatches         connections that got a wrong byte back (each closed at the first one)
 * @param connectionErrors   connections the server closed or reset
 * @param firstProblem       the first mismatch or lost connection in words, or null
 * @param client             what the load generator itself cost
 */
public record BenchResult(String target, int connections, int size, int pipeline, double rate, int threads,
                          String mode, double warmupSeconds, double durationSeconds, long requests, double requestsPerSecond,
                          double megabytesPerSecond, Latency latencyMicros, long mismatches, long connectionErrors,
                          String firstProblem, Client client) {

    /** Latency percentiles and the maximum, in microseconds. */
    public record Latency(double p50, double p90, double p99, double p999, double max, double mean) {
    }

    /**
     * The load generator's own cost over the window, summed over its threads.
     *
     * @param userSeconds              CPU time in user mode
     * @param systemSeconds            CPU time in the kernel
     * @param cores                    CPU time over the window: 1.0 is one core kept busy
     * @param allocatedBytesPerRequest heap allocated by the load threads per request
     */
    public record Client(double userSeconds, double systemSeconds, double cores, double allocatedBytesPerRequest) {
    }

    /** Whether every byte came back right on every connection. */
    public boolean clean() {
        return mismatches == 0 && connectionErrors == 0;
    }

    static BenchResult of(Measurement measurement) {
        LoadPlan plan = measurement.plan();
        double seconds = plan.durationNanos() / 1e9;
        long requests = measurement.requests();
        Histogram h = measurement.latencies();
        Latency latency = new Latency(micros(h.getValueAtPercentile(50)), micros(h.getValueAtPercentile(90)),
                micros(h.getValueAtPercentile(99)), micros(h.getValueAtPercentile(99.9)), micros(h.getMaxValue()),
                h.getTotalCount() == 0 ? 0 : h.getMean() / 1000.0);
        long cpu = 0;
        long user = 0;
        long allocated = 0;
        for (WorkerTally tally : measurement.tallies()) {
            cpu += tally.cpuNanos;
            user += tally.userNanos;
            allocated += tally.allocatedBytes;
        }
        Client client = new Client(user / 1e9, (cpu - user) / 1e9, cpu / 1e9 / seconds,
                requests == 0 ? 0 : (double) allocated / requests);
        return new BenchResult(Targets.text(plan.target()), plan.connections(), plan.size(), plan.pipeline(),
                plan.rate(), plan.threads(), plan.mode(), plan.warmupNanos() / 1e9, seconds, requests, requests / seconds,
                requests * (double) plan.size() / seconds / 1e6, latency, measurement.mismatches(),
                measurement.connectionErrors(), measurement.firstProblem(), client);
    }

    private static double micros(long nanos) {
        return nanos / 1000.0;
    }
}
