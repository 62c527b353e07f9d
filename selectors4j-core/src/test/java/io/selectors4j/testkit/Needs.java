package io.selectors4j.testkit;

import io.selectors4j.NativeIOException;
import io.selectors4j.ResourceLimits;
import io.selectors4j.sys.IoUring;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;

/**
 * What a test needs from the machine, and one rule when it is missing. A missing tool or too few
 * descriptors fails the test under {@code CI=true}, naming what is missing, so that a green CI run
 * means every test ran; elsewhere the test is skipped with the same message. A missing IPv6 loopback
 * is always a skip: some CI containers have no {@code ::1}, and that is the network's fault, not
 * the suite's.
 */
public final class Needs {
    /**
     * Names tools (comma-separated) that the tests must see as missing even if installed: the way to
     * check the rule above without uninstalling anything ({@code S4J_TEST_HIDE_TOOLS=tmux}).
     */
    public static final String HIDE_TOOLS = "S4J_TEST_HIDE_TOOLS";
    /** Folders searched after {@code PATH}: rdate lives in /usr/sbin, often not on a user's PATH. */
    private static final List<String> SYSTEM_FOLDERS = List.of("/usr/local/sbin", "/usr/sbin", "/sbin");
    /** The Debian package of each tool the suite uses, for the message. */
    private static final Map<String, String> PACKAGES = Map.of(
            "tmux", "tmux", "rdate", "rdate", "python3", "python3", "openssl", "openssl", "bash", "bash",
            "kill", "procps");
    private static volatile Boolean ipv6;

    private Needs() {
    }

    /** Whether the tests run on CI ({@code CI=true}), where nothing may be skipped for want of a tool. */
    public static boolean onCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }

    /**
     * The executable {@code tool}, found on {@code PATH} or in the system folders; when it is missing,
     * fails the test on CI and skips it elsewhere, with a message naming the tool and its package.
     */
    public static Path tool(String tool) {
        Optional<Path> found = find(tool);
        if (found.isEmpty()) {
            missing(tool + " is not installed (Debian: apt-get install " + PACKAGES.getOrDefault(tool, tool)
                    + "); bin/test installs it when CI=true");
        }
        return found.orElseThrow();
    }

    /** The executable {@code tool} if it is installed and not hidden by {@link #HIDE_TOOLS}. */
    public static Optional<Path> find(String tool) {
        String hidden = System.getenv(HIDE_TOOLS);
        if (hidden != null && Arrays.asList(hidden.split(",")).contains(tool)) {
            return Optional.empty();
        }
        List<String> folders = new ArrayList<>();
        String path = System.getenv("PATH");
        if (path != null) {
            folders.addAll(Arrays.asList(path.split(":")));
        }
        folders.addAll(SYSTEM_FOLDERS);
        return folders.stream().filter(folder -> !folder.isEmpty()).map(folder -> Path.of(folder, tool))
                .filter(Files::isExecutable).findFirst();
    }

    /**
     * Raises this process's soft open-files limit to its hard limit, then checks that at least
     * {@code needed} descriptors are allowed; below that the test fails on CI and is skipped elsewhere.
     * Returns the soft limit now in force. Child processes started afterwards inherit it.
     */
    public static long openFiles(long needed) {
        long soft;
        long hard;
        try {
            soft = ResourceLimits.raiseOpenFiles(Long.MAX_VALUE);
            hard = ResourceLimits.openFiles().hard();
        } catch (NativeIOException e) {
            throw new IllegalStateException("cannot read or raise the open-files limit", e);
        }
        if (soft < needed) {
            missing("the open-files limit is " + soft + " (hard " + hard + "); this test needs " + needed
                    + " descriptors (raise it with ulimit -n, as bin/test does when CI=true)");
        }
        return soft;
    }

    /**
     * The IPv6 loopback address {@code ::1}; the test is skipped (on CI too) where it cannot be bound.
     * The probe runs once per JVM.
     */
    public static InetAddress ipv6Loopback() {
        InetAddress loopback;
        try {
            loopback = InetAddress.getByName("::1");
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
        if (ipv6 == null) {
            ipv6 = canBind(loopback);
        }
        Assumptions.assumeTrue(ipv6, "no IPv6 loopback (::1) on this machine: skipped");
        return loopback;
    }

    private static boolean canBind(InetAddress address) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(address, 0));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * A kernel that lets this process use io_uring; where it is missing or forbidden (seccomp in a
     * container, {@code kernel.io_uring_disabled}), the rule above with the kernel's one-line reason.
     */
    public static void ioUring() {
        try {
            IoUring.open(2, 0, 0).close();
        } catch (NativeIOException e) {
            missing("io_uring is not available here: " + e.getMessage());
        }
    }

    /** The one rule: fail on CI, skip elsewhere, with {@code message} either way. */
    private static void missing(String message) {
        if (onCi()) {
            Assertions.fail("CI=true and " + message);
        }
        Assumptions.abort(message);
    }
}
