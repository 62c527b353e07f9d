package io.selectors4j.bench;

import io.selectors4j.select.Poll;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;

/**
 * The cost of registration churn on a {@link Poll} holding {@code registered} descriptor numbers: one
 * unregister and one register per operation, going round all of them. It must not grow with
 * {@code registered}. The numbers are never polled, so they need not be open.
 */
public class PollRegistrationBenchmark extends BenchmarkSettings {
    private static final int FIRST_NUMBER = 1_000_000;

    @Param({"100", "50000"})
    public int registered;

    private Poll poll;
    private int next;

    @Setup(Level.Trial)
    public void setUp() {
        poll = new Poll();
        for (int i = 0; i < registered; i++) {
            poll.register(FIRST_NUMBER + i, Poll.POLLIN);
        }
    }

    @Benchmark
    public void unregisterAndRegister() {
        int fd = FIRST_NUMBER + next;
        next = next + 1 == registered ? 0 : next + 1;
        poll.unregister(fd);
        poll.register(fd, Poll.POLLIN);
    }
}
