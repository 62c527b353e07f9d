package io.selectors4j.sys;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Why io_uring cannot be used here, as one line built from the errno of {@code io_uring_setup}, and
 * the switch that makes setup fail on purpose so that the refusal path can be tested on a machine
 * where io_uring works.
 */
public final class IoUringRefusal {
    /**
     * System property naming an errno ({@code EPERM}, {@code ENOSYS}, or a number) that every
     * {@link IoUring#open} then fails with, without calling the kernel: for tests of the refusal.
     */
    public static final String FORCE_PROPERTY = "selectors4j.io_uring.setup-error";

    private static final Path DISABLED_SETTING = Path.of("/proc/sys/kernel/io_uring_disabled");
    private static final int LAST_ERRNO = 133;

    private IoUringRefusal() {
    }

    /** The errno {@link #FORCE_PROPERTY} asks for, or 0 when it is not set. */
    static int forcedErrno() {
        String value = System.getProperty(FORCE_PROPERTY);
        if (value == null || value.isBlank()) {
            return 0;
        }
        String wanted = value.strip();
        if (wanted.chars().allMatch(Character::isDigit)) {
            return Integer.parseInt(wanted);
        }
        for (int errno = 1; errno <= LAST_ERRNO; errno++) {
            if (Errno.name(errno).equals(wanted)) {
                return errno;
            }
        }
        throw new IllegalArgumentException(FORCE_PROPERTY + ": not an errno name or number: " + value);
    }

    /** The failure of {@code io_uring_setup} with {@code errno}, its message saying why in one line. */
    static NativeIOException refusal(int errno, boolean forced) {
        String reason = reason(errno, disabledSetting());
        if (forced) {
            reason += "; forced by the system property " + FORCE_PROPERTY;
        }
        return new NativeIOException("io_uring_setup", errno, reason);
    }

    /**
     * Why setup failed with {@code errno}, given the value of {@code kernel.io_uring_disabled}
     * ({@code null} where the kernel has no such setting).
     */
    static String reason(int errno, String disabledSetting) {
        return switch (errno) {
            case Errno.EPERM -> switch (disabledSetting == null ? "" : disabledSetting) {
                case "2" -> "io_uring is switched off on this machine: kernel.io_uring_disabled = 2";
                case "1" -> "io_uring is limited to the group kernel.io_uring_group names:"
                        + " kernel.io_uring_disabled = 1";
                default -> "io_uring is forbidden to this process by a seccomp filter or security module,"
                        + " as container runtimes' default profiles do";
            };
            case Errno.ENOSYS -> "this kernel has no io_uring: built without it, older than 5.1,"
                    + " or hidden by a seccomp filter";
            case Errno.ENOMEM -> "no memory for the rings: before Linux 5.12 they count against the"
                    + " locked-memory limit, ulimit -l";
            case Errno.EINVAL -> "the kernel refused the ring's size and every set of setup flags tried";
            case Errno.EMFILE, Errno.ENFILE -> "no descriptor left for the ring";
            default -> "io_uring cannot be set up here";
        };
    }

    private static String disabledSetting() {
        try {
            return Files.readString(DISABLED_SETTING).strip();
        } catch (IOException | SecurityException absent) {
            return null;
        }
    }
}
