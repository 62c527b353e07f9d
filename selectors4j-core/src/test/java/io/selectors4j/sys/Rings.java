package io.selectors4j.sys;

import static org.assertj.core.api.Assertions.fail;

import io.selectors4j.NativeIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** Test helpers for io_uring: a ring set up as a loop would, and bounded waits for completions. */
final class Rings {
    /** The flags a loop asks for. */
    static final int LOOP_FLAGS =
            IoUringAbi.SETUP_SINGLE_ISSUER | IoUringAbi.SETUP_DEFER_TASKRUN | IoUringAbi.SETUP_SUBMIT_ALL;

    /** One completion as reaped. */
    record Completion(long userData, int result, int flags) {
        boolean more() {
            return (flags & IoUringAbi.CQE_F_MORE) != 0;
        }

        int bufferId() {
            return BufferRing.bufferId(flags);
        }
    }

    private Rings() {
    }

    /** A ring with the loop's flags, owned by the calling thread. */
    static IoUring open(int entries, int cqEntries) throws NativeIOException {
        return IoUring.open(entries, cqEntries, LOOP_FLAGS);
    }

    /** Submits what is written and collects completions until {@code count} have come, failing after {@code timeout}. */
    static List<Completion> await(IoUring ring, int count, Duration timeout) throws NativeIOException {
        List<Completion> seen = new ArrayList<>();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (seen.size() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("expected " + count + " completions within " + timeout + ", got " + seen.size() + ": " + seen);
            }
            ring.submitAndWait(1, left, 0);
            ring.reap((userData, result, flags) -> seen.add(new Completion(userData, result, flags)));
        }
        return seen;
    }

    /**
     * Submits, waits and hands completions to {@code handler} until {@code done} holds, failing with
     * {@code what} after {@code timeout}.
     */
    static void until(IoUring ring, CompletionHandler handler, java.util.function.BooleanSupplier done,
                      Duration timeout, java.util.function.Supplier<String> what) throws NativeIOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!done.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                fail("not done within " + timeout + ": " + what.get());
            }
            ring.submitAndWait(1, left, 0);
            ring.reap(handler);
        }
    }

    /** Runs {@code task} on a platform thread of its own (the common pool may have one thread). */
    static <T> java.util.concurrent.CompletableFuture<T> onThread(java.util.concurrent.Callable<T> task) {
        java.util.concurrent.CompletableFuture<T> result = new java.util.concurrent.CompletableFuture<>();
        Thread.ofPlatform().daemon().start(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable t) {
                result.completeExceptionally(t);
            }
        });
        return result;
    }

    /** Submits what is written and collects the one completion that comes. */
    static Completion awaitOne(IoUring ring, Duration timeout) throws NativeIOException {
        return await(ring, 1, timeout).getFirst();
    }
}
