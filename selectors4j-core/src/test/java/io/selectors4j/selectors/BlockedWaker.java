package io.selectors4j.selectors;

import io.selectors4j.sys.TestWaits;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Test helper: calls {@link Selector#wakeup()} from another thread as soon as the thread that started
 * it is really blocked in the kernel (read from /proc), so a test proves that a wake-up ends a wait
 * that had begun. {@link #join()} waits for that thread and fails if the owner never blocked.
 */
final class BlockedWaker {
    private final Thread thread;
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    private BlockedWaker(Selector selector) {
        int owner = TestWaits.currentThreadId();
        thread = Thread.ofPlatform().start(() -> {
            try {
                TestWaits.untilBlockedInKernel(owner, Duration.ofSeconds(10));
            } catch (Throwable e) {
                failure.set(e);
            }
            selector.wakeup();
        });
    }

    /** Starts waiting for the calling thread to block, then wakes {@code selector}. */
    static BlockedWaker whenBlocked(Selector selector) {
        return new BlockedWaker(selector);
    }

    /** Waits for the waking thread; throws if the owner never blocked. */
    void join() throws InterruptedException {
        thread.join();
        if (failure.get() != null) {
            throw new AssertionError("the owner never blocked", failure.get());
        }
    }
}
