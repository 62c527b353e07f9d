package io.selectors4j.select;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.net.Pipe;
import io.selectors4j.sys.SignalsForTests;
import io.selectors4j.testkit.Proc;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A signal whose handler returns (installed without SA_RESTART, so the wait really fails with EINTR)
 * neither shortens nor ends a wait: it goes on for the whole timeout and reports nothing.
 */
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class SignalInterruptionTest {
    private static final long TIMEOUT_MILLIS = 300;
    private static final int SIGNALS = 3;
    private static AutoCloseable handler;

    @BeforeAll
    static void installHandler() throws Throwable {
        handler = SignalsForTests.installNoOpHandler(SignalsForTests.SIGWINCH);
    }

    @AfterAll
    static void restoreHandler() throws Exception {
        handler.close();
    }

    @Test
    void selectWaitsTheWholeTimeout() throws Throwable {
        try (Pipe pipe = Pipe.open()) {
            List<Pipe.End> none = List.of();
            var result = interruptedWait(() -> Select.select(List.of(pipe.source()), none, none,
                    Duration.ofMillis(TIMEOUT_MILLIS)));
            assertThat(result.readable()).isEmpty();
        }
    }

    @Test
    void selectSetWaitsTheWholeTimeout() throws Throwable {
        try (Pipe pipe = Pipe.open(); SelectSet set = new SelectSet()) {
            set.add(pipe.source().fileno(), true, false, true);
            assertThat(interruptedWait(() -> set.select(TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MILLIS)))).isZero();
        }
    }

    @Test
    void pollWaitsTheWholeTimeout() throws Throwable {
        try (Pipe pipe = Pipe.open()) {
            Poll poll = new Poll();
            poll.register(pipe.source(), Poll.POLLIN);
            assertThat(interruptedWait(() -> poll.poll(TIMEOUT_MILLIS))).isEmpty();
        }
    }

    @Test
    void epollWaitsTheWholeTimeout() throws Throwable {
        try (Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            epoll.register(pipe.source(), Epoll.EPOLLIN);
            assertThat(interruptedWait(() -> epoll.poll(Duration.ofMillis(TIMEOUT_MILLIS)))).isEmpty();
            assertThat(interruptedWait(() -> epoll.pollReady(TIMEOUT_MILLIS, 8))).isZero();
        }
    }

    /**
     * Runs {@code wait} on a new platform thread, signals that thread several times while it sleeps in
     * the kernel, and checks that the wait still lasted the whole timeout.
     */
    private static <T> T interruptedWait(Callable<T> wait) throws Throwable {
        CountDownLatch ready = new CountDownLatch(1);
        int[] tid = new int[1];
        CompletableFuture<Fixtures.Timed<T>> outcome = new CompletableFuture<>();
        Thread waiter = Thread.ofPlatform().start(() -> {
            try {
                tid[0] = SignalsForTests.gettid();
                ready.countDown();
                outcome.complete(Fixtures.timed(wait));
            } catch (Throwable t) {
                outcome.completeExceptionally(t);
            }
        });
        ready.await();
        for (int i = 0; i < SIGNALS && !outcome.isDone(); i++) {
            awaitSleeping(tid[0], outcome);
            if (!outcome.isDone()) {
                SignalsForTests.tgkill(tid[0], SignalsForTests.SIGWINCH);
            }
            Thread.sleep(TIMEOUT_MILLIS / (2 * SIGNALS));
        }
        Fixtures.Timed<T> timed = outcome.get(10, TimeUnit.SECONDS);
        waiter.join();
        assertThat(timed.millis()).isGreaterThanOrEqualTo(TIMEOUT_MILLIS);
        return timed.value();
    }

    /** Spins until thread {@code tid} sleeps (is blocked in the wait) or the wait has ended. */
    private static void awaitSleeping(int tid, CompletableFuture<?> outcome) throws Exception {
        while (!outcome.isDone() && Proc.threadState(tid) != 'S') {
            Thread.onSpinWait();
        }
    }
}
