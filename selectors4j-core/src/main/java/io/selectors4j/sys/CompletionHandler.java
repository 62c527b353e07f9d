package io.selectors4j.sys;

/**
 * What {@link IoUring#reap} hands each completion to: the user data given at submission (a
 * {@link CompletionToken}), the result (a count, a descriptor, or a negated errno) and the CQE flags
 * ({@code IoUringAbi.CQE_F_*}, with a provided buffer's id in the upper 16 bits).
 */
@FunctionalInterface
public interface CompletionHandler {
    /** Handles one completion; it may write new submission entries on the same ring. */
    void complete(long userData, int result, int flags);
}
