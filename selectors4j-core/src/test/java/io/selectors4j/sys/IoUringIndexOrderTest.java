package io.selectors4j.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import io.selectors4j.testkit.Needs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The ring indexes' protocol under real concurrency: another thread's kernel context writes
 * completions into a ring while its owner reads them without any system call, by the acquire-ordered
 * tail alone, and gives slots back by the release-ordered head alone. On x86 the hardware orders
 * these accesses anyway; what this catches is a missing publication (a head never written, a tail
 * read once and cached) and a compiler reordering of slot reads around the index accesses.
 */
@Timeout(30)
class IoUringIndexOrderTest {
    private static final int MESSAGES = 100_000;
    private static final int SLOTS = 256;
    /** Fewer messages in flight than completion slots: no overflow unless a head goes unpublished. */
    private static final int WINDOW = SLOTS - 32;
    private static final long LIMIT = Duration.ofSeconds(15).toNanos();

    @BeforeAll
    static void needsIoUring() {
        Needs.ioUring();
    }

    @Test
    void aReaderSpinningOnTheTailSeesEveryCompletionAnotherThreadPosts() throws Exception {
        // No SINGLE_ISSUER or DEFER_TASKRUN: messages are then posted straight into this ring by the
        // sender's thread, concurrently with the reads below, instead of on this thread's next enter.
        try (IoUring target = IoUring.open(32, SLOTS, 0)) {
            int targetFd = target.fd();
            AtomicLong consumed = new AtomicLong();
            long start = System.nanoTime();
            CompletableFuture<Void> sender = Rings.onThread(() -> {
                try (IoUring ring = Rings.open(32, 64)) {
                    int sent = 0;
                    while (sent < MESSAGES) {
                        int room = (int) Math.min(WINDOW - (sent - consumed.get()), MESSAGES - sent);
                        if (room <= 0) {
                            Thread.yield(); // two cores, often shared: let the reader run
                            checkTime(start);
                            continue;
                        }
                        for (int i = 0; i < Math.min(room, 32); i++, sent++) {
                            ring.sqe().msgRing(targetFd, sent, sent, sent).flags(IoUringAbi.IOSQE_CQE_SKIP_SUCCESS);
                        }
                        ring.submit();
                        if (ring.ready() > 0) {
                            ring.reap((userData, result, flags) -> fail("message " + userData + " failed: " + result));
                        }
                    }
                    return null;
                }
            });
            long[] next = {0};
            while (next[0] < MESSAGES) {
                if (target.ready() == 0) {
                    Thread.yield();
                    checkTime(start);
                    continue;
                }
                target.reap((userData, result, flags) -> {
                    if (userData != next[0] || result != (int) userData) {
                        fail("expected message " + next[0] + ", read user data " + userData + " and result " + result);
                    }
                    next[0]++;
                });
                consumed.set(next[0]);
            }
            sender.get(10, TimeUnit.SECONDS);
            assertThat(target.overflowPending()).isFalse();
            assertThat(target.droppedCompletions()).isZero();
        }
    }

    private static void checkTime(long start) {
        if (System.nanoTime() - start > LIMIT) {
            fail("no progress: a completion or a freed slot was never seen");
        }
    }
}
