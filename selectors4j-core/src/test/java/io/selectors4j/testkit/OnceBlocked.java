package io.selectors4j.testkit;

import io.selectors4j.selectors.Selector;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs an action on another thread (a wake-up, a send) as soon as the thread that started it is really
 * blocked in the kernel (read from /proc), so a test proves that the action ends a wait that had begun
 * rather than one about to begin. {@link #join()} waits for that thread and fails if the owner never
 * blocked or the action failed.
 *
 * <p>Start it on the thread that is about to block, just before the blocking call.
 */
public final class OnceBlocked {
    /** What to do once the owner is blocked. */
    @FunctionalInterface
    public interface Action {
        void run() throws Exception;
    }

    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final AtomicBoolean blockedFirst = new AtomicBoolean();

    private OnceBlocked(Action action, Action fallback) {
        int owner = ThreadWaits.currentThreadId();
        thread = Thread.ofPlatform().name("once-blocked").start(() -> {
            try {
                ThreadWaits.untilBlockedInKernel(owner, Duration.ofSeconds(10));
                blockedFirst.set(true);
                action.run();
            } catch (Throwable e) {
                failure.set(e);
                try {
                    fallback.run(); // so that the owner's wait ends and the test reports the failure
                } catch (Exception ignored) {
                    // the failure above is what the test reports
                }
            }
        });
    }

    /** Runs {@code action} once the calling thread blocks; if that fails, runs it anyway so the wait ends. */
    public static OnceBlocked run(Action action) {
        return new OnceBlocked(action, action);
    }

    /** Runs {@code action} once the calling thread blocks; on failure wakes {@code selector} so the test ends. */
    public static OnceBlocked run(Selector selector, Action action) {
        return new OnceBlocked(action, selector::wakeup);
    }

    /** Wakes {@code selector} once the calling thread blocks. */
    public static OnceBlocked wakeup(Selector selector) {
        return new OnceBlocked(selector::wakeup, selector::wakeup);
    }

    /** Waits for the helper thread; throws if the owner never blocked or the action failed. */
    public void join() throws InterruptedException {
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError(blockedFirst.get() ? "the action failed" : "the owner never blocked",
                    failure.get());
        }
    }
}
