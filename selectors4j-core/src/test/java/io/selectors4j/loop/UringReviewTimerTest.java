package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of the io_uring loop's wait: timers reach the kernel as the wait's timeout, and wake-ups from
 * other threads must not be lost between the check and the enter. An idle loop must sleep whatever its
 * timers' deadlines are: one that spins burns a core for nothing.
 */
class UringReviewTimerTest {
    /** CPU time an idle loop may spend over {@link #IDLE}: far above a sleeping loop's, far below a spinning one's. */
    private static final long IDLE_CPU_NANOS = 200_000_000L;
    private static final Duration IDLE = Duration.ofSeconds(1);

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aTimerAtTheFarthestDeadlineLetsTheLoopSleep(LoopBackend backend) throws Exception {
        assertIdleLoopSleeps(backend, Long.MAX_VALUE - 1);
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aTimerCenturiesAwayLetsTheLoopSleep(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            running.call(() -> running.loop.callLater(Duration.ofDays(100 * 365), () -> { }));
            assertThat(idleCpu(running)).as("loop thread CPU over an idle second").isLessThan(IDLE_CPU_NANOS);
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void zeroAndNegativeDelaysRunAtTheNextIterationInOrder(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<String> order = new CompletableFuture<>();
            StringBuilder ran = new StringBuilder();
            running.call(() -> {
                running.loop.callLater(Duration.ofSeconds(-5), () -> ran.append('a'));
                running.loop.callLater(Duration.ZERO, () -> ran.append('b'));
                running.loop.callAt(Long.MIN_VALUE, () -> ran.append('c'));
                running.loop.callLater(Duration.ofMillis(30), () -> order.complete(ran.append('d').toString()));
                return null;
            });
            // an overdue deadline is the earliest, then the two due now in the order they were made
            assertThat(order.get(20, TimeUnit.SECONDS)).isEqualTo("cabd");
        }
    }

    /** A thread hands over one task at a time and waits for it: a wake-up lost with the loop asleep hangs it. */
    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void noWakeUpIsLostBetweenTheCheckAndTheWait(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            running.call(() -> running.loop.callLater(Duration.ofHours(1), () -> { })); // a timed wait
            for (int i = 0; i < 20_000; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                running.loop.callSoon(ran::countDown);
                assertThat(ran.await(5, TimeUnit.SECONDS)).as("hand-over %d ran", i).isTrue();
            }
        }
    }

    private static void assertIdleLoopSleeps(LoopBackend backend, long deadline) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            running.call(() -> running.loop.callAt(deadline, () -> { }));
            assertThat(idleCpu(running)).as("loop thread CPU over an idle second").isLessThan(IDLE_CPU_NANOS);
            CountDownLatch woken = new CountDownLatch(1);
            running.loop.callSoon(woken::countDown);
            assertThat(woken.await(5, TimeUnit.SECONDS)).as("a hand-over still wakes it").isTrue();
        }
    }

    private static long idleCpu(RunningLoop running) throws Exception {
        long id = running.call(() -> Thread.currentThread().threadId());
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long before = threads.getThreadCpuTime(id);
        Thread.sleep(IDLE.toMillis()); // measuring idleness over a span of time, not synchronising
        return threads.getThreadCpuTime(id) - before;
    }
}
