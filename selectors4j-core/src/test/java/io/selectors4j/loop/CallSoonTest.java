package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Proc;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** callSoon from many threads, stop, run's guards and inLoop. */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class CallSoonTest {
    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    @Test
    void callSoonFromEightThreadsLosesNothingAndKeepsEachThreadsOrder() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            int threads = 8;
            int perThread = 20_000;
            int[] next = new int[threads];
            List<String> wrong = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(threads * perThread);
            CountDownLatch go = new CountDownLatch(1);
            List<Thread> senders = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                senders.add(Thread.ofPlatform().start(() -> {
                    try {
                        go.await();
                    } catch (InterruptedException e) {
                        return;
                    }
                    for (int i = 0; i < perThread; i++) {
                        int n = i;
                        running.loop.callSoon(() -> {
                            if (next[thread] != n) {
                                wrong.add("thread " + thread + " task " + n + " ran as " + next[thread]);
                            }
                            next[thread]++;
                            done.countDown();
                        });
                    }
                }));
            }
            go.countDown();
            for (Thread sender : senders) {
                sender.join();
            }
            assertThat(done.await(30, TimeUnit.SECONDS)).isTrue();
            assertThat(wrong).isEmpty();
        }
    }

    @Test
    void callSoonWakesASleepingLoop() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            for (int i = 0; i < 100; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                running.loop.callSoon(ran::countDown);
                assertThat(ran.await(20, TimeUnit.SECONDS)).isTrue();
            }
        }
    }

    @Test
    void tasksQueuedByATaskRunAfterThoseAlreadyQueued() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            List<String> order = new ArrayList<>();
            CountDownLatch done = new CountDownLatch(1);
            running.call(() -> {
                running.loop.callSoon(() -> {
                    order.add("first");
                    running.loop.callSoon(() -> {
                        order.add("third");
                        done.countDown();
                    });
                });
                running.loop.callSoon(() -> order.add("second"));
                return null;
            });
            assertThat(done.await(20, TimeUnit.SECONDS)).isTrue();
            assertThat(order).containsExactly("first", "second", "third");
        }
    }

    @Test
    void callSoonWhileTheLoopIsBusyWritesNoWakeup() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CountDownLatch busy = new CountDownLatch(1);
            CountDownLatch release = new CountDownLatch(1);
            running.loop.callSoon(() -> {
                busy.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            assertThat(busy.await(20, TimeUnit.SECONDS)).isTrue();
            long before = Proc.eventFdCounts();
            CountDownLatch ran = new CountDownLatch(1000);
            for (int i = 0; i < 1000; i++) {
                running.loop.callSoon(ran::countDown);
            }
            assertThat(Proc.eventFdCounts()).as("no eventfd write while the loop is not blocked").isEqualTo(before);
            release.countDown();
            assertThat(ran.await(20, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void inLoopRunGuardsAndStop() throws Exception {
        EventLoop loop = LoopBackends.open(backend);
        assertThat(loop.inLoop()).isFalse();
        assertThat(loop.isRunning()).isFalse();
        CountDownLatch started = new CountDownLatch(1);
        boolean[] insideIsLoop = new boolean[1];
        loop.callSoon(() -> {
            insideIsLoop[0] = loop.inLoop();
            started.countDown();
        });
        Thread thread = Thread.ofPlatform().start(loop::run);
        assertThat(started.await(20, TimeUnit.SECONDS)).isTrue();
        assertThat(insideIsLoop[0]).isTrue();
        assertThat(loop.isRunning()).isTrue();
        assertThatThrownBy(loop::run).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(loop::close).isInstanceOf(IllegalStateException.class);
        loop.stop();
        thread.join(20_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(loop.isRunning()).isFalse();
        loop.close();
        assertThat(loop.isClosed()).isTrue();
        assertThatThrownBy(loop::run).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void stopBeforeRunRunsOneIteration() throws Exception {
        try (EventLoop loop = LoopBackends.open(backend)) {
            boolean[] ran = new boolean[1];
            loop.callSoon(() -> ran[0] = true);
            loop.stop();
            loop.run();
            assertThat(ran[0]).isTrue();
        }
    }

    @Test
    void closeOnTheLoopThreadClosesWhenTheIterationEnds() throws Exception {
        EventLoop loop = LoopBackends.open(backend);
        loop.callSoon(loop::close);
        Thread thread = Thread.ofPlatform().start(loop::run);
        thread.join(20_000);
        assertThat(thread.isAlive()).isFalse();
        assertThat(loop.isClosed()).isTrue();
    }
}
