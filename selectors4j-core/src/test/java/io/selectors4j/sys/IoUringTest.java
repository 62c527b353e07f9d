package io.selectors4j.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.testkit.ThreadWaits;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.selectors4j.testkit.Needs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The ring itself: setup, probe, submission and completion, full queues, threads. */
@Timeout(20)
class IoUringTest {
    private static final Duration WAIT = Duration.ofSeconds(5);

    @BeforeAll
    static void needsIoUring() {
        Needs.ioUring();
    }

    @Test
    void opensWithTheLoopFlagsAndFindsWhatTheBackendNeeds() throws Exception {
        try (IoUring ring = Rings.open(64, 0)) {
            assertThat(ring.setupFlags() & Rings.LOOP_FLAGS).as("Linux 6.1+ grants them all")
                    .isEqualTo(Rings.LOOP_FLAGS);
            assertThat(ring.submissionEntries()).isEqualTo(64);
            assertThat(ring.completionEntries()).isEqualTo(128);
            IoUringProbe probe = ring.probe();
            assertThat(probe.hasFeature(IoUringAbi.FEAT_NODROP | IoUringAbi.FEAT_EXT_ARG)).isTrue();
            assertThat(probe.supports(IoUringAbi.OP_RECV)).isTrue();
            assertThat(probe.supports(255)).isFalse();
            assertThat(probe.missingForServer()).isNull();
        }
    }

    @Test
    void aLargerCompletionQueueIsGrantedOnRequest() throws Exception {
        try (IoUring ring = Rings.open(8, 1024)) {
            assertThat(ring.completionEntries()).isEqualTo(1024);
        }
    }

    @Test
    void everyCompletionCarriesItsUserDataExactlyOnceInOrder() throws Exception {
        try (IoUring ring = Rings.open(8, 0)) {
            List<Long> seen = new ArrayList<>();
            for (int round = 0; round < 100; round++) {
                for (int i = 0; i < 8; i++) {
                    ring.sqe().nop(CompletionToken.of(1, round * 8 + i, round));
                }
                ring.submitAndWait(8);
                ring.reap((userData, result, flags) -> {
                    assertThat(result).isZero();
                    seen.add(userData);
                });
            }
            assertThat(seen).hasSize(800);
            for (int i = 0; i < 800; i++) {
                assertThat(CompletionToken.slot(seen.get(i))).isEqualTo(i);
                assertThat(CompletionToken.generation(seen.get(i))).isEqualTo(i / 8);
            }
        }
    }

    @Test
    void aFullSubmissionQueueGivesNoEntryUntilItIsSubmitted() throws Exception {
        try (IoUring ring = Rings.open(4, 0)) {
            for (int i = 0; i < 4; i++) {
                Sqe entry = ring.nextSqe();
                assertThat(entry).isNotNull();
                entry.nop(i);
            }
            assertThat(ring.nextSqe()).as("four of four slots written").isNull();
            assertThat(ring.unsubmitted()).isEqualTo(4);
            assertThat(ring.submit()).isEqualTo(4);
            assertThat(ring.nextSqe()).isNotNull();
        }
    }

    @Test
    void sqeSubmitsAFullQueueAndRetries() throws Exception {
        try (IoUring ring = Rings.open(4, 64)) {
            for (int i = 0; i < 50; i++) {
                ring.sqe().nop(i);
            }
            List<Rings.Completion> done = Rings.await(ring, 50, WAIT);
            assertThat(done).extracting(Rings.Completion::userData)
                    .containsExactlyElementsOf(java.util.stream.LongStream.range(0, 50).boxed().toList());
        }
    }

    @Test
    void completionsBeyondAFullCompletionQueueWaitInTheKernelAndNoneIsLost() throws Exception {
        try (IoUring ring = Rings.open(4, 8)) {
            assertThat(ring.probe().hasFeature(IoUringAbi.FEAT_NODROP)).isTrue();
            for (int i = 0; i < 40; i++) {
                ring.sqe().nop(i);
            }
            ring.submit();
            assertThat(ring.ready()).as("the ring holds 8").isEqualTo(8);
            assertThat(ring.overflowPending()).as("32 wait in the overflow list").isTrue();
            List<Long> seen = new ArrayList<>();
            while (seen.size() < 40) {
                int before = seen.size();
                ring.submitAndWait(0); // moves overflowed completions into the ring
                ring.reap((userData, result, flags) -> seen.add(userData));
                assertThat(seen.size()).as("progress on every round").isGreaterThan(before);
            }
            assertThat(seen).containsExactlyElementsOf(java.util.stream.LongStream.range(0, 40).boxed().toList());
            assertThat(ring.overflowPending()).isFalse();
            assertThat(ring.droppedCompletions()).isZero();
        }
    }

    @Test
    void aWaitWithATimeoutReturnsWithNothingReady() throws Exception {
        try (IoUring ring = Rings.open(4, 0)) {
            assertThat(ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(20), 0)).isZero();
            assertThat(ring.ready()).isZero();
            ring.sqe().nop(7);
            assertThat(ring.submitAndWait(1, 0, 0)).as("submitted, then waited zero").isEqualTo(1);
            assertThat(ring.ready()).isEqualTo(1);
        }
    }

    @Test
    void aMinimumWaitStillReturnsWhatIsReady() throws Exception {
        try (IoUring ring = Rings.open(4, 0)) {
            if (!ring.probe().hasFeature(IoUringAbi.FEAT_MIN_TIMEOUT)) {
                return; // before Linux 6.12
            }
            ring.sqe().nop(1);
            // asks for 4 but only 1 will come: after the minimum wait, the one ready is enough
            ring.submitAndWait(4, TimeUnit.SECONDS.toNanos(10), 1_000);
            assertThat(ring.ready()).isEqualTo(1);
        }
    }

    @Test
    void aMinimumWaitWithoutATimeoutWaitsForACompletion() throws Exception {
        try (IoUring ring = Rings.open(4, 0); EventFd wakeUp = new EventFd(); Arena arena = Arena.ofConfined()) {
            if (!ring.probe().hasFeature(IoUringAbi.FEAT_MIN_TIMEOUT)) {
                return; // before Linux 6.12
            }
            MemorySegment counter = arena.allocate(Long.BYTES);
            ring.sqe().read(wakeUp.fd(), counter.address(), Long.BYTES, 1);
            int waiter = ThreadWaits.currentThreadId();
            CompletableFuture<Void> signaller = Rings.onThread(() -> {
                ThreadWaits.untilBlockedInKernel(waiter, Duration.ofSeconds(5));
                Thread.sleep(20); // twenty times the minimum wait: the behaviour under test, not a hand-over
                wakeUp.signal();
                return null;
            });
            ring.submitAndWait(1, -1, 1_000);
            assertThat(ring.ready()).as("the wait ended with the completion, not at the minimum wait").isEqualTo(1);
            signaller.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSingleIssuerRingRefusesSubmissionsFromAnotherThread() throws Exception {
        try (IoUring ring = Rings.open(4, 0)) {
            CompletableFuture<Void> other = Rings.onThread(() -> {
                ring.nextSqe().nop(1);
                assertThatThrownBy(ring::submit).isInstanceOfSatisfying(NativeIOException.class,
                        e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
                return null;
            });
            other.get(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void aRingOpenedDisabledBelongsToTheThreadThatEnablesIt() throws Exception {
        try (IoUring ring = IoUring.open(4, 0, Rings.LOOP_FLAGS | IoUringAbi.SETUP_R_DISABLED)) {
            CompletableFuture<Rings.Completion> loopThread = Rings.onThread(() -> {
                ring.enable();
                ring.sqe().nop(42);
                return Rings.awaitOne(ring, WAIT);
            });
            assertThat(loopThread.get(5, TimeUnit.SECONDS).userData()).isEqualTo(42);
            ring.nextSqe().nop(43);
            assertThatThrownBy(ring::submit).as("the opening thread is not the issuer")
                    .isInstanceOfSatisfying(NativeIOException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.EEXIST));
        }
    }

    @Test
    void closingReleasesTheDescriptorAndIsIdempotent() throws Exception {
        IoUring ring = Rings.open(4, 0);
        Path link = Path.of("/proc/self/fd", Integer.toString(ring.fd()));
        assertThat(Files.readSymbolicLink(link).toString()).contains("io_uring");
        ring.close();
        ring.close();
        assertThat(Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)).isFalse();
    }

    @Test
    void flagsTheKernelDoesNotKnowAreDroppedNewestFirst() {
        int wanted = Rings.LOOP_FLAGS | IoUringAbi.SETUP_CQSIZE;
        assertThat(IoUring.flagsToTry(wanted)).containsExactly(
                wanted,
                IoUringAbi.SETUP_SINGLE_ISSUER | IoUringAbi.SETUP_COOP_TASKRUN | IoUringAbi.SETUP_SUBMIT_ALL
                        | IoUringAbi.SETUP_CQSIZE,
                IoUringAbi.SETUP_COOP_TASKRUN | IoUringAbi.SETUP_SUBMIT_ALL | IoUringAbi.SETUP_CQSIZE,
                IoUringAbi.SETUP_CQSIZE);
        assertThat(IoUring.flagsToTry(0)).containsExactly(0);
    }
}
