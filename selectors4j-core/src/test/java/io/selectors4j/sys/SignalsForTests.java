package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;

/**
 * Test support: a do-nothing handler for a signal the JVM leaves alone, installed without
 * {@code SA_RESTART} so that a blocked system call really fails with EINTR, and delivery of that
 * signal to one chosen thread.
 */
public final class SignalsForTests {
    /** Window size change: ignored by default, unused by the JVM. */
    public static final int SIGWINCH = 28;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final StructLayout SIGACTION = MemoryLayout.structLayout(
            ADDRESS.withName("sa_handler"),
            MemoryLayout.sequenceLayout(16, JAVA_LONG).withName("sa_mask"),
            JAVA_INT.withName("sa_flags"),
            MemoryLayout.paddingLayout(4),
            ADDRESS.withName("sa_restorer"));
    private static final MethodHandle SIGACTION_CALL =
            downcall("sigaction", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle GETTID = downcall("gettid", FunctionDescriptor.of(JAVA_INT));
    private static final MethodHandle TGKILL =
            downcall("tgkill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    private static final MethodHandle GETPID = downcall("getpid", FunctionDescriptor.of(JAVA_INT));
    /** {@code int abs(int)}: harmless as a signal handler, it returns at once. */
    private static final MemorySegment NO_OP_HANDLER = LINKER.defaultLookup().find("abs").orElseThrow();

    private SignalsForTests() {
    }

    /**
     * Installs the do-nothing handler for {@code signal} without {@code SA_RESTART}.
     *
     * @return puts the previous action back when closed
     */
    public static AutoCloseable installNoOpHandler(int signal) throws Throwable {
        Arena arena = Arena.ofShared();
        MemorySegment action = arena.allocate(SIGACTION);
        MemorySegment previous = arena.allocate(SIGACTION);
        action.set(ADDRESS, Structs.offset(SIGACTION, "sa_handler"), NO_OP_HANDLER);
        check((int) SIGACTION_CALL.invokeExact(signal, action, previous), "sigaction");
        return () -> {
            try {
                check((int) SIGACTION_CALL.invokeExact(signal, previous, MemorySegment.NULL), "sigaction");
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            } finally {
                arena.close();
            }
        };
    }

    /** The kernel thread id of the calling thread. */
    public static int gettid() throws Throwable {
        return (int) GETTID.invokeExact();
    }

    /** Sends {@code signal} to thread {@code tid} of this process. */
    public static void tgkill(int tid, int signal) throws Throwable {
        check((int) TGKILL.invokeExact((int) GETPID.invokeExact(), tid, signal), "tgkill");
    }

    private static void check(int result, String call) {
        if (result != 0) {
            throw new IllegalStateException(call + " failed");
        }
    }

    @SuppressWarnings("restricted")
    private static MethodHandle downcall(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LINKER.defaultLookup().find(name).orElseThrow(), descriptor);
    }
}
