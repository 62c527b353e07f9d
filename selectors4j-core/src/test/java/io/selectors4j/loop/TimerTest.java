package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.net.Pipe;
import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Proc;
import io.selectors4j.testkit.ThreadWaits;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Timers: deadline order, ties in scheduling order, never early, cancellation, a bounded heap, deadlines
 * that saturate, and timers that cannot starve I/O.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class TimerTest {
    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    @Test
    void timersFireInDeadlineOrderWithTiesInSchedulingOrder() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            List<String> fired = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            running.call(() -> {
                long base = running.loop.time() + TimeUnit.MILLISECONDS.toNanos(100);
                running.loop.callAt(base + 2_000_000, () -> fired.add("c"));
                running.loop.callAt(base, () -> fired.add("a1"));
                running.loop.callAt(base + 1_000_000, () -> fired.add("b"));
                running.loop.callAt(base, () -> fired.add("a2"));
                running.loop.callAt(base, () -> fired.add("a3"));
                running.loop.callAt(base + 3_000_000, done::countDown);
                return null;
            });
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(fired).containsExactly("a1", "a2", "a3", "b", "c");
        }
    }

    @Test
    void aTimerNeverFiresEarly() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            int count = 200;
            AtomicInteger early = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(count + count / 2);
            for (int i = 0; i < count; i++) {
                long deadline = running.loop.time() + 137_000L * (i % 50) + 1;
                running.loop.callAt(deadline, () -> {
                    if (running.loop.time() - deadline < 0) {
                        early.incrementAndGet();
                    }
                    done.countDown();
                });
                if (i % 2 == 0) {
                    long delayed = System.nanoTime();
                    Duration delay = Duration.ofNanos(91_000L * (i % 30));
                    running.loop.callLater(delay, () -> {
                        if (System.nanoTime() - delayed < delay.toNanos()) {
                            early.incrementAndGet();
                        }
                        done.countDown();
                    });
                }
            }
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(early.get()).isZero();
        }
    }

    @Test
    void aCancelledTimerDoesNotRun() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            AtomicInteger ran = new AtomicInteger();
            CountDownLatch later = new CountDownLatch(1);
            // scheduled on the loop thread, so it cannot fire before the cancel however slow this machine is
            TimerHandle cancelled = running.call(() -> {
                TimerHandle handle = running.loop.callLater(Duration.ofMillis(50), ran::incrementAndGet);
                running.loop.callLater(Duration.ofMillis(150), later::countDown);
                assertThat(handle.cancel()).isTrue();
                return handle;
            });
            assertThat(cancelled.cancel()).as("a second cancel does nothing").isFalse();
            assertThat(cancelled.isCancelled()).isTrue();
            assertThat(later.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(ran.get()).isZero();

            CountDownLatch fired = new CountDownLatch(1);
            TimerHandle done = running.loop.callLater(Duration.ZERO, fired::countDown);
            assertThat(fired.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(done.cancel()).as("too late to cancel").isFalse();
            assertThat(done.isCancelled()).isFalse();
        }
    }

    @Test
    void manyThousandsOfTimersAllFireInOrder() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            int count = 50_000;
            int[] firedAt = new int[1];
            AtomicInteger outOfOrder = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(count);
            running.call(() -> {
                long base = running.loop.time() + TimeUnit.MILLISECONDS.toNanos(50);
                long[] last = {Long.MIN_VALUE};
                for (int i = 0; i < count; i++) {
                    long deadline = base + ((i * 7919L) % 1000) * 100_000L;
                    running.loop.callAt(deadline, () -> {
                        if (firedAt[0] > 0 && deadline - last[0] < 0) {
                            outOfOrder.incrementAndGet();
                        }
                        last[0] = deadline;
                        firedAt[0]++;
                        done.countDown();
                    });
                }
                return null;
            });
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(outOfOrder.get()).isZero();
            assertThat(running.call(running.loop::timerHeapSize)).isZero();
        }
    }

    @Test
    void cancelChurnKeepsTheHeapBounded() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            int rounds = 200;
            int perRound = 1000;
            int[] largest = new int[1];
            for (int round = 0; round < rounds; round++) {
                running.call(() -> {
                    for (int i = 0; i < perRound; i++) {
                        running.loop.callLater(Duration.ofHours(1), () -> {
                            throw new AssertionError("a cancelled timer ran");
                        }).cancel();
                    }
                    largest[0] = Math.max(largest[0], running.loop.timerHeapSize());
                    return null;
                });
            }
            // also from another thread: cancelled before the loop takes them in
            for (int i = 0; i < 10_000; i++) {
                running.loop.callLater(Duration.ofHours(1), () -> {
                }).cancel();
            }
            int after = running.call(running.loop::timerHeapSize);
            assertThat(largest[0]).as("200,000 cancelled timers leave a small heap").isLessThan(4 * perRound);
            assertThat(after).isLessThan(4 * perRound);
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void liveTimersSurviveAPurgeOfCancelledOnes() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            List<Integer> fired = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(10);
            running.call(() -> {
                for (int i = 0; i < 10; i++) {
                    int n = i;
                    running.loop.callLater(Duration.ofMillis(100 + i), () -> {
                        fired.add(n);
                        done.countDown();
                    });
                    for (int j = 0; j < 500; j++) {
                        running.loop.callLater(Duration.ofMillis(50), () -> {
                        }).cancel();
                    }
                }
                return null;
            });
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(fired).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        }
    }

    @Test
    void aChainOfZeroDelayTimersNeverSleeps() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            int links = 1000;
            CountDownLatch done = new CountDownLatch(1);
            AtomicInteger left = new AtomicInteger(links);
            Runnable[] link = new Runnable[1];
            link[0] = () -> {
                if (left.decrementAndGet() == 0) {
                    done.countDown();
                } else {
                    running.loop.callLater(Duration.ZERO, link[0]);
                }
            };
            int loopThread = running.call(ThreadWaits::currentThreadId);
            long switchesBefore = Proc.voluntaryContextSwitches(loopThread);
            running.loop.callSoon(() -> running.loop.callLater(Duration.ZERO, link[0]));
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            // A thread that blocks in the kernel, as a wait of even 1 ms per overdue timer does, is
            // switched out voluntarily: 1,000 links would give 1,000 switches. Not sleeping leaves the
            // loop's own waits before and after the chain, and the odd safepoint. (The time a chain
            // takes is TimerChainBenchmark's figure.)
            assertThat(Proc.voluntaryContextSwitches(loopThread) - switchesBefore)
                    .as("times the loop thread slept during a chain of %d zero-delay timers", links)
                    .isLessThan(links / 10);
        }
    }

    @Test
    void timersForeverDoNotHoldBackOverdueOnes() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            AtomicInteger foreverRan = new AtomicInteger();
            CountDownLatch overdue = new CountDownLatch(4);
            running.call(() -> {
                EventLoop loop = running.loop;
                loop.callLater(Duration.ofNanos(Long.MAX_VALUE), foreverRan::incrementAndGet);
                loop.callLater(Duration.ofSeconds(Long.MAX_VALUE), foreverRan::incrementAndGet); // beyond a long of nanoseconds
                loop.callAt(Long.MAX_VALUE, foreverRan::incrementAndGet);
                loop.callAt(loop.time() - TimeUnit.SECONDS.toNanos(1), overdue::countDown);
                loop.callAt(Long.MIN_VALUE, overdue::countDown);
                loop.callLater(Duration.ofSeconds(-5), overdue::countDown);
                return null;
            });
            // and from another thread, through the hand-over queue
            running.loop.callLater(Duration.ofNanos(Long.MAX_VALUE), foreverRan::incrementAndGet);
            running.loop.callAt(running.loop.time() - 1, overdue::countDown);
            assertThat(overdue.await(20, TimeUnit.SECONDS)).as("the overdue timers ran").isTrue();
            CountDownLatch soon = new CountDownLatch(1);
            running.loop.callLater(Duration.ofMillis(1), soon::countDown);
            assertThat(soon.await(20, TimeUnit.SECONDS)).as("a near timer still runs").isTrue();
            assertThat(foreverRan.get()).isZero();
            TimerHandle forever = running.call(() -> running.loop.callLater(Duration.ofNanos(Long.MAX_VALUE), () -> { }));
            assertThat(forever.deadline() - running.loop.time()).as("the deadline saturates, never wraps").isPositive();
        }
    }

    /**
     * A timer that re-arms itself at or before the present must not run again in the same round: the
     * loop would never get back to its sockets. Three ways to re-arm: at {@code time()}, one
     * millisecond in the past, and at its own (past) deadline, as a fixed-rate timer that fell behind does.
     */
    @Test
    void aTimerReArmingAtOrBeforeNowCannotStarveIo() throws Exception {
        for (String rearm : new String[] {"at time()", "in the past", "at its own deadline"}) {
            try (RunningLoop running = RunningLoop.start(backend); Pipe pipe = Pipe.open()) {
                pipe.source().setBlocking(false);
                AtomicBoolean keepGoing = new AtomicBoolean(true);
                AtomicLong rounds = new AtomicLong();
                CountDownLatch timerRuns = new CountDownLatch(1);
                CountDownLatch read = new CountDownLatch(1);
                running.call(() -> {
                    running.loop.addReader(pipe.source(), () -> {
                        read.countDown();
                        running.loop.removeReader(pipe.source());
                    });
                    Runnable[] timer = new Runnable[1];
                    long[] deadline = {running.loop.time()};
                    timer[0] = () -> {
                        rounds.incrementAndGet();
                        timerRuns.countDown();
                        if (!keepGoing.get()) {
                            return;
                        }
                        long now = running.loop.time();
                        deadline[0] = switch (rearm) {
                            case "at time()" -> now;
                            case "in the past" -> now - TimeUnit.MILLISECONDS.toNanos(1);
                            default -> deadline[0];
                        };
                        running.loop.callAt(deadline[0], timer[0]);
                    };
                    running.loop.callAt(deadline[0], timer[0]);
                    return null;
                });
                assertThat(timerRuns.await(20, TimeUnit.SECONDS)).as("%s: the timer runs", rearm).isTrue();
                pipe.sink().write(new byte[] {1});
                boolean served = read.await(20, TimeUnit.SECONDS);
                keepGoing.set(false);
                assertThat(served).as("%s: the pipe's reader ran while the timer kept re-arming", rearm).isTrue();
            }
        }
    }
}
