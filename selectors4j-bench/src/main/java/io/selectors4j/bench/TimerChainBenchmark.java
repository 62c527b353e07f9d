package io.selectors4j.bench;

import io.selectors4j.loop.EventLoop;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * A chain of 1,000 zero-delay timers on a running {@link EventLoop}: each link, run by the loop,
 * schedules the next with {@code callLater(Duration.ZERO, ...)}. The time per chain is what a due
 * timer costs the loop; a loop that slept even 1 ms per overdue timer would take over a second.
 * (TimerTest.aChainOfZeroDelayTimersNeverSleeps checks the same chain by context switches, not time.)
 */
@OutputTimeUnit(TimeUnit.MICROSECONDS)
public class TimerChainBenchmark extends BenchmarkSettings {
    private static final int LINKS = 1_000;

    private EventLoop loop;
    private Thread loopThread;
    private CountDownLatch done;
    private int left;
    private final Runnable link = this::link;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        loop = EventLoop.open();
        loopThread = Thread.ofPlatform().name("bench-loop").start(loop::run);
    }

    private void link() {
        if (--left == 0) {
            done.countDown();
        } else {
            loop.callLater(Duration.ZERO, link);
        }
    }

    /** One chain, from the first timer handed to the loop to the last one's run. */
    @Benchmark
    public void chainOfAThousandZeroDelayTimers() throws InterruptedException {
        CountDownLatch chain = new CountDownLatch(1);
        loop.callSoon(() -> {
            done = chain;
            left = LINKS;
            loop.callLater(Duration.ZERO, link);
        });
        if (!chain.await(1, TimeUnit.MINUTES)) {
            throw new IllegalStateException("the chain did not finish in a minute");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        loop.stop();
        loopThread.join();
        loop.close();
    }
}
