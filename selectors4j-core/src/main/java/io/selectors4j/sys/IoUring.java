package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * An io_uring instance: the submission and completion rings shared with the kernel, and the three
 * system calls that drive them ({@code io_uring_setup}, {@code io_uring_enter},
 * {@code io_uring_register}, through {@code syscall(2)}).
 *
 * <p>The rings are memory the kernel reads and writes concurrently, so their indexes follow its
 * protocol: the completion tail (written by the kernel) and the submission head (advanced by the
 * kernel) are read with acquire ordering, so the entries behind them are seen complete; the
 * submission tail and the completion head (ours) are written with release ordering, so the kernel
 * sees an entry's contents before the index that hands it over, and never reuses a completion slot
 * before we have read it. Everything else in the rings is plain memory.
 *
 * <p>One thread drives a ring: writing entries, submitting, waiting and reaping are not thread-safe,
 * and a ring opened with {@code SETUP_SINGLE_ISSUER} refuses submissions from any other thread than
 * the one that opened it (EEXIST), or, opened with {@code SETUP_R_DISABLED}, the one that calls
 * {@link #enable()}. {@link #close()} may be called from any thread once that thread has stopped.
 */
public final class IoUring implements AutoCloseable {
    private static final VarHandle INDEX = JAVA_INT.varHandle();

    private static final long PARAM_SQ_ENTRIES = Structs.offset(Structs.IO_URING_PARAMS, "sq_entries");
    private static final long PARAM_CQ_ENTRIES = Structs.offset(Structs.IO_URING_PARAMS, "cq_entries");
    private static final long PARAM_FLAGS = Structs.offset(Structs.IO_URING_PARAMS, "flags");
    private static final long PARAM_FEATURES = Structs.offset(Structs.IO_URING_PARAMS, "features");

    private static final long CQE_SIZE = Structs.IO_URING_CQE.byteSize();
    private static final long CQE_USER_DATA = Structs.offset(Structs.IO_URING_CQE, "user_data");
    private static final long CQE_RES = Structs.offset(Structs.IO_URING_CQE, "res");
    private static final long CQE_FLAGS = Structs.offset(Structs.IO_URING_CQE, "flags");

    private static final long WAIT_ARG_SIZE = Structs.IO_URING_GETEVENTS_ARG.byteSize();
    private static final long WAIT_MIN_USEC = Structs.offset(Structs.IO_URING_GETEVENTS_ARG, "min_wait_usec");
    private static final long WAIT_TS = Structs.offset(Structs.IO_URING_GETEVENTS_ARG, "ts");
    private static final long TS_SEC = Structs.offset(Structs.KERNEL_TIMESPEC, "tv_sec");
    private static final long TS_NSEC = Structs.offset(Structs.KERNEL_TIMESPEC, "tv_nsec");

    /** The timeout that stands for none when a minimum wait needs one: a year. */
    private static final long NO_LIMIT_NANOS = 365L * 24 * 3600 * 1_000_000_000L;

    private static final long PROBE_SIZE =
            Structs.IO_URING_PROBE.byteSize() + IoUringAbi.PROBE_OPS * Structs.IO_URING_PROBE_OP.byteSize();

    private final int fd;
    private final int setupFlags;
    private final IoUringProbe probe;
    private final Arena arena;
    private final MemorySegment state;
    private final MemorySegment sqRing;
    private final MemorySegment cqRing;
    private final MemorySegment sqes;
    private final MemorySegment waitArg;
    private final MemorySegment timespec;
    private final long sqHead;
    private final long sqTail;
    private final long sqFlags;
    private final long cqHead;
    private final long cqTail;
    private final long cqOverflow;
    private final long cqes;
    private final int sqMask;
    private final int sqEntries;
    private final int cqMask;
    private final int cqEntries;
    private final Sqe entry;
    /** Entries written so far (published to the kernel at the next enter). */
    private int localSqTail;
    /** Completions consumed so far (published after each reap). */
    private int localCqHead;
    private boolean closed;

    private IoUring(int fd, MemorySegment params, Arena arena, MemorySegment state) throws NativeIOException {
        this.fd = fd;
        this.arena = arena;
        this.state = state;
        setupFlags = params.get(JAVA_INT, PARAM_FLAGS);
        int features = params.get(JAVA_INT, PARAM_FEATURES);
        sqEntries = params.get(JAVA_INT, PARAM_SQ_ENTRIES);
        cqEntries = params.get(JAVA_INT, PARAM_CQ_ENTRIES);
        long sqArray = param(params, "sq_off", "array");
        long cqArray = param(params, "cq_off", "cqes");
        long sqSize = sqArray + (long) sqEntries * Integer.BYTES;
        long cqSize = cqArray + cqEntries * CQE_SIZE;
        if ((features & IoUringAbi.FEAT_SINGLE_MMAP) != 0) {
            sqRing = MappedMemory.shared(arena, state, fd, IoUringAbi.OFF_SQ_RING, Math.max(sqSize, cqSize));
            cqRing = sqRing;
        } else {
            sqRing = MappedMemory.shared(arena, state, fd, IoUringAbi.OFF_SQ_RING, sqSize);
            cqRing = MappedMemory.shared(arena, state, fd, IoUringAbi.OFF_CQ_RING, cqSize);
        }
        sqes = MappedMemory.shared(arena, state, fd, IoUringAbi.OFF_SQES, sqEntries * Sqe.SIZE);
        sqHead = param(params, "sq_off", "head");
        sqTail = param(params, "sq_off", "tail");
        sqFlags = param(params, "sq_off", "flags");
        sqMask = sqRing.get(JAVA_INT, param(params, "sq_off", "ring_mask"));
        cqHead = param(params, "cq_off", "head");
        cqTail = param(params, "cq_off", "tail");
        cqOverflow = param(params, "cq_off", "overflow");
        cqes = cqArray;
        cqMask = cqRing.get(JAVA_INT, param(params, "cq_off", "ring_mask"));
        // Entry i always goes in slot i: the index array is written once, not per submission.
        for (int i = 0; i < sqEntries; i++) {
            sqRing.setAtIndex(JAVA_INT, sqArray / Integer.BYTES + i, i);
        }
        localSqTail = sqRing.get(JAVA_INT, sqTail);
        localCqHead = cqRing.get(JAVA_INT, cqHead);
        entry = new Sqe(sqes);
        waitArg = arena.allocate(Structs.IO_URING_GETEVENTS_ARG);
        timespec = arena.allocate(Structs.KERNEL_TIMESPEC);
        probe = readProbe(features);
    }

    /**
     * Opens a ring of {@code entries} submission slots (a power of two, rounded up by the kernel) and
     * {@code cqEntries} completion slots (0 for the kernel's default, twice the submission slots),
     * with {@code setupFlags} ({@code IoUringAbi.SETUP_*}). A kernel that does not know a flag refuses
     * setup with EINVAL; the newest flags are then dropped in turn (DEFER_TASKRUN gives way to
     * COOP_TASKRUN, then SINGLE_ISSUER goes, then COOP_TASKRUN and SUBMIT_ALL): see
     * {@link #setupFlags()} for what was granted. Supported operations and features are probed at once
     * ({@link #probe()}).
     *
     * @throws NativeIOException where io_uring is missing or forbidden, its message saying why in one
     *                           line ({@link IoUringRefusal}); also when the rings cannot be mapped
     */
    public static IoUring open(int entries, int cqEntries, int setupFlags) throws NativeIOException {
        int forced = IoUringRefusal.forcedErrno();
        if (forced != 0) {
            throw IoUringRefusal.refusal(forced, true);
        }
        int wanted = setupFlags | (cqEntries > 0 ? IoUringAbi.SETUP_CQSIZE : 0);
        Arena arena = Arena.ofShared();
        int fd = -1;
        try {
            MemorySegment state = Libc.newCallState(arena);
            MemorySegment params = arena.allocate(Structs.IO_URING_PARAMS);
            for (int flags : flagsToTry(wanted)) {
                params.fill((byte) 0);
                params.set(JAVA_INT, PARAM_FLAGS, flags);
                params.set(JAVA_INT, PARAM_CQ_ENTRIES, cqEntries);
                fd = Libc.ioUringSetup(state, entries, params);
                if (fd >= 0 || Libc.errno(state) != Errno.EINVAL) {
                    break;
                }
            }
            if (fd < 0) {
                throw IoUringRefusal.refusal(Libc.errno(state), false);
            }
            return new IoUring(fd, params, arena, state);
        } catch (NativeIOException | RuntimeException | Error e) {
            if (fd >= 0) {
                Libc.close(fd);
            }
            arena.close();
            throw e;
        }
    }

    /** The setup flags to try in turn: as asked, then without the newest ones (see {@link #open}). */
    static int[] flagsToTry(int wanted) {
        int[] tries = new int[4];
        int count = 0;
        tries[count++] = wanted;
        int flags = wanted;
        if ((flags & IoUringAbi.SETUP_DEFER_TASKRUN) != 0) {
            flags = flags & ~IoUringAbi.SETUP_DEFER_TASKRUN | IoUringAbi.SETUP_COOP_TASKRUN;
            tries[count++] = flags;
        }
        if ((flags & IoUringAbi.SETUP_SINGLE_ISSUER) != 0) {
            flags &= ~IoUringAbi.SETUP_SINGLE_ISSUER;
            tries[count++] = flags;
        }
        int oldest = IoUringAbi.SETUP_COOP_TASKRUN | IoUringAbi.SETUP_SUBMIT_ALL;
        if ((flags & oldest) != 0) {
            flags &= ~oldest;
            tries[count++] = flags;
        }
        return Arrays.copyOf(tries, count);
    }

    private static long param(MemorySegment params, String struct, String field) {
        return Integer.toUnsignedLong(params.get(JAVA_INT, Structs.offset(Structs.IO_URING_PARAMS, struct, field)));
    }

    /** The kernel's probe; before Linux 5.6, which has none, every operation reads as unsupported. */
    private IoUringProbe readProbe(int features) {
        try (Arena scratch = Arena.ofConfined()) {
            MemorySegment answer = scratch.allocate(PROBE_SIZE, Long.BYTES);
            try {
                register(IoUringAbi.REGISTER_PROBE, answer.address(), IoUringAbi.PROBE_OPS);
            } catch (NativeIOException noProbe) {
                answer.fill((byte) 0);
            }
            return IoUringProbe.fromKernel(features, answer);
        }
    }

    /** The ring's descriptor: the target of another ring's {@link Sqe#msgRing}. */
    public int fd() {
        return fd;
    }

    /** The setup flags in force: those asked for, less any the kernel did not know. */
    public int setupFlags() {
        return setupFlags;
    }

    /** The kernel's features and supported operations. */
    public IoUringProbe probe() {
        return probe;
    }

    /** The number of submission slots. */
    public int submissionEntries() {
        return sqEntries;
    }

    /** The number of completion slots. */
    public int completionEntries() {
        return cqEntries;
    }

    /**
     * Starts a ring opened with {@code SETUP_R_DISABLED}; with {@code SETUP_SINGLE_ISSUER}, the calling
     * thread becomes the one allowed to submit. So a loop can open its ring on the thread that creates
     * it (and report a refusal there) and drive it from its own thread.
     */
    public void enable() throws NativeIOException {
        register(IoUringAbi.REGISTER_ENABLE_RINGS, 0, 0);
    }

    /**
     * The next free submission entry, zeroed, or {@code null} when the submission queue is full (submit,
     * then ask again).
     */
    public Sqe nextSqe() {
        int head = (int) INDEX.getAcquire(sqRing, sqHead);
        if (localSqTail - head >= sqEntries) {
            return null;
        }
        Sqe next = entry.at((localSqTail & sqMask) * Sqe.SIZE);
        localSqTail++;
        return next;
    }

    /**
     * The next free submission entry; when the queue is full, what it holds is submitted first. The
     * kernel takes every entry at once (no SQPOLL thread), so one submit always makes room.
     *
     * @throws NativeIOException when that submit fails (EBUSY, EAGAIN: reap completions, then retry)
     */
    public Sqe sqe() throws NativeIOException {
        Sqe next = nextSqe();
        if (next == null) {
            submit();
            next = nextSqe();
            if (next == null) {
                throw new NativeIOException("io_uring_enter", Errno.EBUSY, "the kernel took no submission");
            }
        }
        return next;
    }

    /** Entries written and not yet taken by the kernel. */
    public int unsubmitted() {
        return localSqTail - (int) INDEX.getAcquire(sqRing, sqHead);
    }

    /** Hands every written entry to the kernel, without waiting; returns how many it took. */
    public int submit() throws NativeIOException {
        int pending = publishSubmissions();
        if (pending == 0) {
            return 0;
        }
        return checked(Libc.ioUringEnter(state, fd, pending, 0, 0, 0, 0), false);
    }

    /**
     * Submits every written entry and waits, in the same system call, until {@code waitFor}
     * completions are ready (0: does not wait, but still runs the completion work a
     * {@code DEFER_TASKRUN} ring defers until asked). Returns how many entries were submitted.
     */
    public int submitAndWait(int waitFor) throws NativeIOException {
        int pending = publishSubmissions();
        return checked(Libc.ioUringEnter(state, fd, pending, waitFor, IoUringAbi.ENTER_GETEVENTS, 0, 0), true);
    }

    /**
     * As {@link #submitAndWait(int)}, returning after {@code timeoutNanos} at the latest (negative: no
     * limit). With {@code minWaitMicros} > 0 (needs {@code FEAT_MIN_TIMEOUT}) the kernel waits that long
     * for {@code waitFor} completions and then returns as soon as one is ready: a batch with a bounded
     * delay. A timeout or a signal just returns; the completions ready are in the ring.
     */
    public int submitAndWait(int waitFor, long timeoutNanos, int minWaitMicros) throws NativeIOException {
        if (timeoutNanos < 0 && minWaitMicros <= 0) {
            return submitAndWait(waitFor);
        }
        // Without a timeout the kernel would take the minimum wait for the whole wait and return with
        // nothing ready: "no limit" is a very long timeout instead.
        long timeout = timeoutNanos < 0 ? NO_LIMIT_NANOS : timeoutNanos;
        waitArg.set(JAVA_INT, WAIT_MIN_USEC, Math.max(0, minWaitMicros));
        timespec.set(JAVA_LONG, TS_SEC, timeout / 1_000_000_000L);
        timespec.set(JAVA_LONG, TS_NSEC, timeout % 1_000_000_000L);
        waitArg.set(JAVA_LONG, WAIT_TS, timespec.address());
        int pending = publishSubmissions();
        int flags = IoUringAbi.ENTER_GETEVENTS | IoUringAbi.ENTER_EXT_ARG;
        return checked(Libc.ioUringEnter(state, fd, pending, waitFor, flags, waitArg.address(), WAIT_ARG_SIZE), true);
    }

    /** Publishes the written entries with release ordering; returns how many the kernel has not taken. */
    private int publishSubmissions() {
        INDEX.setRelease(sqRing, sqTail, localSqTail);
        return localSqTail - (int) INDEX.getAcquire(sqRing, sqHead);
    }

    private int checked(int result, boolean waiting) throws NativeIOException {
        if (result >= 0) {
            return result;
        }
        int errno = Libc.errno(state);
        if (waiting && (errno == Errno.ETIME || errno == Errno.EINTR)) {
            return 0; // the wait ended without its count; what is ready is in the ring
        }
        throw new NativeIOException("io_uring_enter", errno);
    }

    /** Completions ready in the ring and not yet reaped. */
    public int ready() {
        return (int) INDEX.getAcquire(cqRing, cqTail) - localCqHead;
    }

    /**
     * Hands every ready completion to {@code handler}, in order, then gives their slots back to the
     * kernel. The handler may write submission entries. If it throws, the completions before the
     * failing one stay consumed and the rest are handed over by the next call.
     *
     * @return the number of completions handed over
     */
    public int reap(CompletionHandler handler) {
        int tail = (int) INDEX.getAcquire(cqRing, cqTail);
        int start = localCqHead;
        int head = start;
        try {
            while (head != tail) {
                long cqe = cqes + (head & cqMask) * CQE_SIZE;
                long userData = cqRing.get(JAVA_LONG, cqe + CQE_USER_DATA);
                int result = cqRing.get(JAVA_INT, cqe + CQE_RES);
                int flags = cqRing.get(JAVA_INT, cqe + CQE_FLAGS);
                head++;
                handler.complete(userData, result, flags);
            }
        } finally {
            localCqHead = head;
            INDEX.setRelease(cqRing, cqHead, head);
        }
        return head - start;
    }

    /**
     * Whether completions wait in the kernel's overflow list because the ring was full (never lost:
     * {@code FEAT_NODROP}); the next {@link #submitAndWait} moves them into the ring.
     */
    public boolean overflowPending() {
        return ((int) INDEX.getAcquire(sqRing, sqFlags) & IoUringAbi.SQ_CQ_OVERFLOW) != 0;
    }

    /** Completions the kernel could not keep (always 0 with {@code FEAT_NODROP} unless memory ran out). */
    public int droppedCompletions() {
        return (int) INDEX.getAcquire(cqRing, cqOverflow);
    }

    /** {@code io_uring_register(opcode, arg, count)}; {@code arg} is an address the caller keeps alive. */
    int register(int opcode, long arg, int count) throws NativeIOException {
        int result;
        do {
            result = Libc.ioUringRegister(state, fd, opcode, arg, count);
        } while (result < 0 && Libc.errno(state) == Errno.EINTR);
        return Libc.check(state, result, "io_uring_register");
    }

    /**
     * Closes the ring: the kernel cancels what is still in flight, and the mappings go. Idempotent.
     * Memory that operations in flight write into (buffers, a provided-buffer ring) must outlive this.
     */
    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            Libc.close(state, fd); // released even when it reports an error; nothing to do about one
            arena.close();
        }
    }
}
