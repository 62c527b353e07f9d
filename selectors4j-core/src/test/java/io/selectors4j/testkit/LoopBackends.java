package io.selectors4j.testkit;

import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.LoopBackend;
import io.selectors4j.loop.LoopGroup;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The loop backends the loop tests run on, and the one way a test opens a loop or a group on one. The
 * sources are for {@code @MethodSource} and {@code @ParameterizedClass} (by the constants below):
 * {@link #all} for tests whose behaviour each backend implements on its own, {@link #epollAndIoUring}
 * for the rest (the three readiness selectors share the loop's code, so epoll stands for them), and
 * {@link #readiness} for tests of readiness mechanics (selector keys, interest sets) that io_uring has
 * not. Opening {@link LoopBackend#IO_URING} first checks that the kernel allows io_uring
 * ({@link Needs#ioUring}: a failure on CI, a skip elsewhere).
 *
 * <p>{@code -Ds4j.test.loop-backends=io_uring,poll} keeps only the backends named (case does not
 * matter) in every source: a way to run the suite on one backend while working on it.
 */
public final class LoopBackends {
    /** The system property that narrows every source to the backends it names. */
    public static final String ONLY = "s4j.test.loop-backends";
    /** {@code @MethodSource} of every backend. */
    public static final String ALL = "io.selectors4j.testkit.LoopBackends#all";
    /** {@code @MethodSource} of epoll and io_uring. */
    public static final String EPOLL_AND_IO_URING = "io.selectors4j.testkit.LoopBackends#epollAndIoUring";
    /** {@code @MethodSource} of the readiness selectors. */
    public static final String READINESS = "io.selectors4j.testkit.LoopBackends#readiness";

    private LoopBackends() {
    }

    /** Every loop backend: epoll, poll, select and io_uring. */
    public static Stream<LoopBackend> all() {
        return chosen(LoopBackend.values());
    }

    /** Epoll, standing for the readiness selectors, and io_uring. */
    public static Stream<LoopBackend> epollAndIoUring() {
        return chosen(LoopBackend.EPOLL, LoopBackend.IO_URING);
    }

    /** The readiness selectors: epoll, poll and select. */
    public static Stream<LoopBackend> readiness() {
        return chosen(LoopBackend.EPOLL, LoopBackend.POLL, LoopBackend.SELECT);
    }

    /** Whether a loop on {@code backend} waits with a selector (and so has one to look into). */
    public static boolean isReadiness(LoopBackend backend) {
        return backend.selectorBackend().isPresent();
    }

    /** A loop on {@code backend}, not running yet; for io_uring, only where the kernel allows it. */
    public static EventLoop open(LoopBackend backend) throws IOException {
        requireUsable(backend);
        return EventLoop.open(backend);
    }

    /** A group of {@code loops} running loops on {@code backend}; for io_uring, as {@link #open}. */
    public static LoopGroup openGroup(int loops, LoopBackend backend) throws IOException {
        requireUsable(backend);
        return LoopGroup.open(loops, backend);
    }

    /** Fails (on CI) or skips the test when {@code backend} is io_uring and the kernel refuses it. */
    public static void requireUsable(LoopBackend backend) {
        if (backend == LoopBackend.IO_URING) {
            Needs.ioUring();
        }
    }

    private static Stream<LoopBackend> chosen(LoopBackend... backends) {
        String only = System.getProperty(ONLY, "").trim();
        if (only.isEmpty()) {
            return Stream.of(backends);
        }
        List<String> names = Arrays.stream(only.split(",")).map(name -> name.trim().toUpperCase(Locale.ROOT)).toList();
        List<LoopBackend> kept = Stream.of(backends).filter(backend -> names.contains(backend.name())).toList();
        // a source must give at least one case: narrowed to none, the test runs on the first it lists
        return kept.isEmpty() ? Stream.of(backends[0]) : kept.stream();
    }
}
