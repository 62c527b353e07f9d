package io.selectors4j.sys;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The per-thread scratch keeps its 64 KiB bounce buffer for the calls that copy, and only those. */
class ThreadScratchTest {

    private static <T> T onNewThread(ThrowingSupplier<T> body) throws Exception {
        AtomicReference<Object> result = new AtomicReference<>();
        Thread thread = Thread.ofPlatform().start(() -> {
            try {
                result.set(body.get());
            } catch (Throwable e) {
                result.set(e);
            }
        });
        thread.join();
        if (result.get() instanceof Throwable e) {
            throw new AssertionError(e);
        }
        @SuppressWarnings("unchecked")
        T value = (T) result.get();
        return value;
    }

    @FunctionalInterface
    private interface ThrowingSupplier<T> {
        T get() throws Exception;
    }

    @Test
    void nonBlockingCallsOnArraysAtOffsetZeroAndOnNativeMemoryNeverAllocateTheBounceBuffer() throws Exception {
        int[] fds = SocketCalls.socketpair(Platform.AF_UNIX, Platform.SOCK_STREAM);
        try {
            boolean allocated = onNewThread(() -> {
                CallContext context = new CallContext();
                byte[] data = {1, 2, 3};
                assertThat(Transfers.array(Transfers.SEND, fds[0], context, data, 0, 3, false, 0)).isEqualTo(3);
                assertThat(Transfers.array(Transfers.RECV, fds[1], context, new byte[8], 0, 8, false, 0))
                        .isEqualTo(3);
                assertThat(Transfers.array(Transfers.RECV, fds[1], context, new byte[8], 0, 8, false, 0))
                        .isEqualTo(Transfers.WOULD_BLOCK);
                assertThat(Transfers.buffer(Transfers.RECV, fds[1], context, java.nio.ByteBuffer.allocateDirect(8),
                        false, 0)).isEqualTo(Transfers.WOULD_BLOCK);
                return ThreadScratch.get().hasBounce();
            });
            assertThat(allocated).isFalse();
            boolean afterBlocking = onNewThread(() -> {
                CallContext context = new CallContext();
                Transfers.array(Transfers.SEND, fds[0], context, new byte[4], 1, 3, true, 0);
                return ThreadScratch.get().hasBounce();
            });
            assertThat(afterBlocking).isTrue();
        } finally {
            FileCalls.close(fds[0]);
            FileCalls.close(fds[1]);
        }
    }

    @Test
    void aContextHandsEachThreadItsOwnScratch() throws Exception {
        CallContext shared = new CallContext();
        ThreadScratch mine = shared.scratch();
        assertThat(mine.owner).isSameAs(Thread.currentThread());
        assertThat(shared.scratch()).isSameAs(mine);
        ThreadScratch theirs = onNewThread(shared::scratch);
        assertThat(theirs).isNotSameAs(mine);
        assertThat(theirs.callState.address()).isNotEqualTo(mine.callState.address());
        assertThat(shared.scratch()).as("refreshed for this thread").isSameAs(mine);
    }
}
