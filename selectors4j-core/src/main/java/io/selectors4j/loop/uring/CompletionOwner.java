package io.selectors4j.loop.uring;

/**
 * Something of a loop with operations in flight on its ring (a connection, a listener): it holds a
 * slot of the {@link UringEngine}, and the completions whose token names that slot at its current
 * generation come to it. Stale completions (an older generation) never do.
 */
public interface CompletionOwner {
    /**
     * One completion of {@code operation} (the owner's own code, as given to {@link UringEngine#token}),
     * with the kernel's result and CQE flags.
     */
    void complete(int operation, int result, int flags);

    /** What the owner asked {@link UringEngine#afterBatch} for: the batch is reaped (gather and send). */
    default void afterBatch() {
    }

    /** What the owner asked {@link UringEngine#whenBuffersReturn} for: receive buffers are back (arm again). */
    default void buffersReturned() {
    }
}
