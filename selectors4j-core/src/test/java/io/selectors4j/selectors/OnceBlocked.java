package io.selectors4j.selectors;

import io.selectors4j.sys.TestWaits;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test helper: runs an action on another thread (a wake-up, a send) as soon as the thread that
 * started it is really blocked in the kernel (read from /proc), so a test proves that the action ends
 * a wait that had begun rather than one about to begin. {@link #join()} waits for that thread and
 * fails if the owner never blocked or the action failed.
 */
final class OnceBlocked {
    /** What to do once the owner is blocked. */
    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private OnceBlocked(Action action, Runnable fallback) {
        int owner = TestWaits.currentThreadId();
        thread = Thread.ofPlatform().start(() -> {
            try {
                TestWaits.untilBlockedInKernel(owner, Duration.ofSeconds(10));
                action.run();
            } catch (Throwable e) {
                failure.set(e);
                fallback.run();
            }
        });
    }

    /** Runs {@code action} once the calling thread blocks; on failure wakes {@code selector} so the test ends. */
    static OnceBlocked run(Selector selector, Action action) {
        return new OnceBlocked(action, selector::wakeup);
    }

    /** Wakes {@code selector} once the calling thread blocks. */
    static OnceBlocked wakeup(Selector selector) {
        return new OnceBlocked(selector::wakeup, selector::wakeup);
    }

    /** Waits for the helper thread; throws if the owner never blocked or the action failed. */
    void join() throws InterruptedException {
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError("the owner never blocked, or the action failed", failure.get());
        }
    }
}
