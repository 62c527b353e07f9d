package io.selectors4j.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.testkit.Needs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Where io_uring is missing or forbidden, opening a ring fails with one line saying why. The failure
 * is forced with {@link IoUringRefusal#FORCE_PROPERTY}, since io_uring works on the test machines.
 */
class IoUringRefusalTest {

    @AfterEach
    void clearForcedFailure() {
        System.clearProperty(IoUringRefusal.FORCE_PROPERTY);
    }

    @Test
    void forbiddenIoUringRefusesToOpenWithOneLineSayingWhy() {
        System.setProperty(IoUringRefusal.FORCE_PROPERTY, "EPERM");
        assertThatThrownBy(() -> Rings.open(8, 0)).isInstanceOfSatisfying(NativeIOException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EPERM);
            assertThat(e.call()).isEqualTo("io_uring_setup");
            assertThat(e.getMessage()).doesNotContain("\n")
                    .startsWith("io_uring_setup: [Errno 1] EPERM: Operation not permitted (io_uring is ")
                    .contains("forced by the system property selectors4j.io_uring.setup-error");
        });
    }

    @Test
    void aKernelWithoutIoUringRefusesWithEnosys() {
        System.setProperty(IoUringRefusal.FORCE_PROPERTY, "ENOSYS");
        assertThatThrownBy(() -> Rings.open(8, 0)).isInstanceOfSatisfying(NativeIOException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.ENOSYS);
            assertThat(e.getMessage()).doesNotContain("\n").contains("this kernel has no io_uring");
        });
    }

    @Test
    void theForcedErrnoMayBeANumber() {
        System.setProperty(IoUringRefusal.FORCE_PROPERTY, "38");
        assertThatThrownBy(() -> Rings.open(8, 0)).isInstanceOfSatisfying(NativeIOException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.ENOSYS));
    }

    @Test
    void anUnknownForcedErrnoIsAMistakeNotARefusal() {
        System.setProperty(IoUringRefusal.FORCE_PROPERTY, "ENOPE");
        assertThatThrownBy(() -> Rings.open(8, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ENOPE");
    }

    @Test
    void eachWayOfForbiddingIoUringIsNamed() {
        assertThat(IoUringRefusal.reason(Errno.EPERM, "2")).contains("switched off").contains("io_uring_disabled = 2");
        assertThat(IoUringRefusal.reason(Errno.EPERM, "1")).contains("kernel.io_uring_group");
        assertThat(IoUringRefusal.reason(Errno.EPERM, "0")).contains("seccomp");
        assertThat(IoUringRefusal.reason(Errno.EPERM, null)).contains("seccomp");
        assertThat(IoUringRefusal.reason(Errno.ENOMEM, "0")).contains("ulimit -l");
    }

    @Test
    void aRingTheKernelRefusesOnEveryTryIsRefusedWithEinval() {
        Needs.ioUring();
        // 0 entries is invalid whatever the flags: every fallback is tried and refused
        assertThatThrownBy(() -> Rings.open(0, 0)).isInstanceOfSatisfying(NativeIOException.class, e -> {
            assertThat(e.errno()).isEqualTo(Errno.EINVAL);
            assertThat(e.getMessage()).contains("every set of setup flags tried");
        });
    }

    @Test
    void aKernelLackingWhatTheBackendNeedsIsNamedInOneLine() {
        boolean[] ops = new boolean[IoUringAbi.PROBE_OPS];
        ops[IoUringAbi.OP_ACCEPT] = true;
        String missing = new IoUringProbe(IoUringAbi.FEAT_NODROP, ops).missingForServer();
        assertThat(missing).doesNotContain("\n").startsWith("io_uring on this kernel lacks FEAT_EXT_ARG")
                .contains("OP_RECV").doesNotContain("OP_ACCEPT").doesNotContain("FEAT_NODROP")
                .endsWith("Linux 6.0 or newer has them all");
    }
}
