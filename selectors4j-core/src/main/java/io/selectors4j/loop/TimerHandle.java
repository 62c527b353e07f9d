package io.selectors4j.loop;

/**
 * A task scheduled with {@link EventLoop#callLater} or {@link EventLoop#callAt}, asyncio's
 * {@code TimerHandle}. Every method may be called from any thread.
 */
public interface TimerHandle {
    /**
     * Cancels the task if it has neither run nor been cancelled: returns {@code true} when this call
     * cancelled it.
     */
    boolean cancel();

    /** Whether {@link #cancel()} succeeded on this handle. */
    boolean isCancelled();

    /** When the task is due, on the clock of {@link EventLoop#time()}. */
    long deadline();
}
