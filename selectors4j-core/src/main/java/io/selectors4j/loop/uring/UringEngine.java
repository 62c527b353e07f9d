package io.selectors4j.loop.uring;

import io.selectors4j.NativeIOException;
import io.selectors4j.sys.AcceptAddress;
import io.selectors4j.sys.BufferRing;
import io.selectors4j.sys.CompletionHandler;
import io.selectors4j.sys.CompletionToken;
import io.selectors4j.sys.EventFd;
import io.selectors4j.sys.IoUring;
import io.selectors4j.sys.IoUringAbi;
import io.selectors4j.sys.SendGather;
import io.selectors4j.sys.Sqe;
import io.selectors4j.sys.UringMemory;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One event loop's io_uring: the ring, opened disabled on the thread that opens the loop (so a refusal
 * is thrown there) and enabled by the thread that runs it, its one issuer; the loop's provided-buffer
 * ring; the table of slots whose owners receive completions by token; and the loop's wait.
 *
 * <p>{@link #waitAndReap} is the iteration's one {@code io_uring_enter}: it submits every entry written
 * since the last one and waits, for one completion at most {@code timeoutNanos} (the time to the
 * loop's next timer), then hands every completion to its owner. Another thread wakes a sleeping loop
 * by signalling an eventfd whose counter a read in the ring waits for; the signal costs a system call
 * only when the loop is asleep (a three-state flag, as the readiness loop's).
 *
 * <p>What the loop drives by readiness (descriptor watches, connects in progress, datagram
 * endpoints) are one-shot polls in this ring too, owned by the loop's {@code UringReadiness}.
 *
 * <p>Loop thread only, but for {@link #wakeup()}.
 */
public final class UringEngine implements CompletionHandler, AutoCloseable {
    /**
     * System properties, read when a loop opens, that size its ring: submission slots (a full queue is
     * submitted mid-batch, one more call), completion slots (well above the connections a loop serves:
     * a full queue ends multishot receives, which then cost a re-arm each), provided receive buffers
     * (a power of two of them; 256 by default) and their size (64 KiB by default and at most: a bulk
     * connection receives one per turn, as much as a readiness loop's read).
     */
    public static final String ENTRIES = "selectors4j.io_uring.entries";
    public static final String CQ_ENTRIES = "selectors4j.io_uring.cq-entries";
    public static final String BUFFERS = "selectors4j.io_uring.buffers";
    public static final String BUFFER_SIZE = "selectors4j.io_uring.buffer-size";

    /** A held receive's length goes in 16 bits beside its buffer id. */
    private static final int MAX_BUFFER_SIZE = 64 * 1024;

    private static final int OP_WAKE = 1;
    private static final int OP_IGNORED = 2;

    private static final int RUNNING = 0;
    private static final int BLOCKED = 1;
    private static final int WOKEN = 2;

    private final IoUring ring;
    private final BufferRing buffers;
    private final ByteBuffer[] views;
    private final EventFd wakeFd;
    private final AtomicInteger wakeState = new AtomicInteger(RUNNING);
    private Thread issuer;
    private boolean wakeArmed;
    private boolean recycled;
    private boolean reaping;
    /** What the fault paths have done, for diagnostics and tests. */
    private long fullQueues;
    private long overflows;
    private long starvedReceives;
    private boolean closed;

    private CompletionOwner[] owners = new CompletionOwner[64];
    private int[] generations = new int[64];
    private int[] freeSlots = new int[64];
    private int freeCount;
    private int slotCount;
    /** Owners that asked to act once the batch of completions is reaped (their sends, their receives). */
    private final ArrayDeque<CompletionOwner> afterBatch = new ArrayDeque<>();
    /** Owners waiting for receive buffers to come back (ENOBUFS), armed again once some have. */
    private final ArrayDeque<CompletionOwner> starved = new ArrayDeque<>();
    /** msghdr and iovec arrays of gathered sends (one per send in flight, reused) and listeners' peer buffers. */
    private final UringMemory lent = new UringMemory();
    private final ArrayDeque<SendGather> gathers = new ArrayDeque<>();
    private final ArrayDeque<AcceptAddress> acceptAddresses = new ArrayDeque<>();
    private int acceptAddressesMade;

    private UringEngine(IoUring ring, BufferRing buffers, EventFd wakeFd) {
        this.ring = ring;
        this.buffers = buffers;
        this.wakeFd = wakeFd;
        views = new ByteBuffer[buffers.count()];
        ByteBuffer all = buffers.memory().asByteBuffer();
        for (int id = 0; id < views.length; id++) {
            views[id] = all.slice(id * buffers.bufferSize(), buffers.bufferSize()).asReadOnlyBuffer();
        }
    }

    /**
     * Opens the ring on the calling thread, disabled until {@link #start()}.
     *
     * @throws IOException io_uring is missing, forbidden or lacks what the loop needs: the message
     *                     says why in one line
     */
    public static UringEngine open() throws IOException {
        IoUring ring = IoUring.open(Integer.getInteger(ENTRIES, 1024), Integer.getInteger(CQ_ENTRIES, 16384),
                IoUringAbi.SETUP_R_DISABLED
                | IoUringAbi.SETUP_SINGLE_ISSUER | IoUringAbi.SETUP_DEFER_TASKRUN | IoUringAbi.SETUP_SUBMIT_ALL);
        EventFd wakeFd = null;
        try {
            String missing = ring.probe().missingForServer();
            if (missing != null) {
                throw new IOException(missing);
            }
            wakeFd = new EventFd(false);
            int bufferSize = Integer.getInteger(BUFFER_SIZE, MAX_BUFFER_SIZE);
            if (bufferSize > MAX_BUFFER_SIZE) {
                throw new IllegalArgumentException(BUFFER_SIZE + " is at most " + MAX_BUFFER_SIZE + ": " + bufferSize);
            }
            BufferRing buffers = new BufferRing(ring, 0, Integer.getInteger(BUFFERS, 256), bufferSize);
            return new UringEngine(ring, buffers, wakeFd);
        } catch (IOException | RuntimeException e) {
            if (wakeFd != null) {
                wakeFd.close();
            }
            ring.close();
            throw e;
        }
    }

    /**
     * Enables the ring on the calling thread, which becomes its one issuer; the loop's {@code run()}
     * calls it each time. Only the first thread may run the loop: a single-issuer ring refuses any other.
     *
     * @throws IllegalStateException another thread ran the loop before
     */
    public void start() throws NativeIOException {
        checkIssuer();
        if (issuer == null) {
            ring.enable();
            issuer = Thread.currentThread();
        }
    }

    /**
     * Refuses a thread other than the one that ran the loop first, before it takes the loop over.
     *
     * @throws IllegalStateException another thread ran the loop before
     */
    public void checkIssuer() {
        Thread first = issuer;
        if (first != null && first != Thread.currentThread()) {
            throw new IllegalStateException("an io_uring event loop runs on one thread only: it ran on "
                    + first.getName());
        }
    }

    /** Whether completions are being handed over: a send written now goes with the batch's sends. */
    public boolean isReaping() {
        return reaping;
    }

    /** Whether the calling thread is the ring's issuer (the loop thread once the loop has run). */
    public boolean isIssuer() {
        return issuer == Thread.currentThread();
    }

    /**
     * The iteration's one system call: submits what is written and waits for a completion, at most
     * {@code timeoutNanos} (negative: until one comes; 0: not at all), then hands every completion over,
     * runs the owners' after-batch work and gives the recycled buffers back.
     */
    public void waitAndReap(long timeoutNanos) throws NativeIOException {
        if (!wakeArmed) {
            wakeArmed = true;
            ring.sqe().read(wakeFd.fd(), wakeFd.counterAddress(), Long.BYTES, CompletionToken.of(OP_WAKE, 0, 0));
        }
        finishBatch(); // sends written by callbacks since the last reap go with this call
        boolean sleep = timeoutNanos != 0 && wakeState.compareAndSet(RUNNING, BLOCKED);
        try {
            if (!sleep) {
                ring.submitAndWait(0);
            } else if (timeoutNanos < 0) {
                ring.submitAndWait(1);
            } else {
                ring.submitAndWait(1, timeoutNanos, 0);
            }
        } finally {
            wakeState.set(RUNNING);
        }
        reaping = true;
        try {
            do {
                if (ring.overflowPending()) {
                    overflows++;
                    ring.submitAndWait(0); // moves what the kernel kept (FEAT_NODROP) into the ring
                }
                ring.reap(this);
                finishBatch();
            } while (ring.ready() > 0 || ring.overflowPending());
        } finally {
            reaping = false;
        }
    }

    /** Once a batch is reaped: the owners' deferred work, then the buffers back to the kernel. */
    private void finishBatch() {
        for (int n = afterBatch.size(); n > 0; n--) {
            afterBatch.poll().afterBatch();
        }
        if (recycled) {
            recycled = false;
            buffers.publish();
            for (int n = starved.size(); n > 0; n--) {
                starved.poll().buffersReturned();
            }
        }
    }

    /** Wakes the loop if it sleeps in {@link #waitAndReap}, else makes its next wait return at once; any thread. */
    public void wakeup() {
        while (true) {
            int current = wakeState.get();
            if (current == WOKEN) {
                return;
            }
            if (wakeState.compareAndSet(current, WOKEN)) {
                if (current == BLOCKED) {
                    try {
                        wakeFd.signal();
                    } catch (NativeIOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                }
                return;
            }
        }
    }

    @Override
    public void complete(long userData, int result, int flags) {
        int operation = CompletionToken.operation(userData);
        switch (operation) {
            case OP_WAKE -> wakeArmed = false; // the read took the counter: armed again before the next wait
            case OP_IGNORED -> {
                // a cancel's or a close's own completion: what it acted on reports for itself
            }
            default -> {
                int slot = CompletionToken.slot(userData);
                if (slot < slotCount && owners[slot] != null
                        && CompletionToken.generation(userData) == generations[slot]) {
                    owners[slot].complete(operation, result, flags);
                } else if (BufferRing.hasBuffer(flags)) {
                    recycle(BufferRing.bufferId(flags)); // received for an owner already gone
                }
            }
        }
    }

    // ---- for the owners ----

    /** A slot for {@code owner}, whose tokens carry the slot's current generation. */
    public int attach(CompletionOwner owner) {
        int slot;
        if (freeCount > 0) {
            slot = freeSlots[--freeCount];
        } else {
            slot = slotCount++;
            if (slot == owners.length) {
                owners = Arrays.copyOf(owners, slot * 2);
                generations = Arrays.copyOf(generations, slot * 2);
                freeSlots = Arrays.copyOf(freeSlots, slot * 2);
            }
        }
        owners[slot] = owner;
        return slot;
    }

    /**
     * Frees {@code slot} once its owner has seen the last completion of every operation it submitted:
     * the slot's next owner has the next generation, so anything late for this one is recognised stale.
     */
    public void detach(int slot) {
        owners[slot] = null;
        generations[slot] = (generations[slot] + 1) & (CompletionToken.GENERATIONS - 1);
        freeSlots[freeCount++] = slot;
    }

    /** The token of {@code operation} (8 to 255: the owner's own codes) for the owner of {@code slot}. */
    public long token(int operation, int slot) {
        return CompletionToken.of(operation, slot, generations[slot]);
    }

    /** The token of an operation whose completion nobody needs (a cancel, a close). */
    public static long ignored() {
        return CompletionToken.of(OP_IGNORED, 0, 0);
    }

    /** The next submission entry; a full queue is submitted first, and the entry asked for again. */
    public Sqe sqe() {
        Sqe next = ring.nextSqe();
        if (next != null) {
            return next;
        }
        fullQueues++;
        try {
            return ring.sqe();
        } catch (NativeIOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Submits what is written and runs the completion work the kernel deferred, without waiting: for a
     * cancel that must act before the caller goes on (a listening socket about to be closed). The
     * completions are handed over with the iteration's.
     */
    public void submitNow() {
        try {
            ring.submitAndWait(0);
        } catch (NativeIOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * Calls {@code owner.afterBatch()} once the batch of completions being reaped is handed over, or
     * before the next wait when asked outside a batch: a send gathers everything written meanwhile.
     */
    public void afterBatch(CompletionOwner owner) {
        afterBatch.add(owner);
    }

    /** Calls {@code owner.buffersReturned()} once received buffers have gone back to the kernel (after ENOBUFS). */
    public void whenBuffersReturn(CompletionOwner owner) {
        starvedReceives++;
        starved.add(owner);
    }

    /** How often a full submission queue was submitted mid-batch. */
    public long fullSubmissionQueues() {
        return fullQueues;
    }

    /** How often completions waited in the kernel's overflow list (a full completion queue). */
    public long completionOverflows() {
        return overflows;
    }

    /** How often a receive ended with ENOBUFS (every provided buffer in use) and waited for buffers. */
    public long starvedReceives() {
        return starvedReceives;
    }

    /** A gather for one send (its {@code msghdr} and iovecs); give it back when the send completes. */
    public SendGather takeGather() {
        SendGather gather = gathers.poll();
        return gather != null ? gather : lent.newSendGather();
    }

    /** A gather whose send has completed. */
    public void giveGather(SendGather gather) {
        gathers.push(gather);
    }

    /**
     * Where a listener's accepts write their peer's address, until {@link #giveAcceptAddress}: the
     * native memory is the loop's, kept for the next listener, freed with the loop.
     */
    public AcceptAddress takeAcceptAddress() {
        AcceptAddress address = acceptAddresses.poll();
        if (address == null) {
            address = lent.newAcceptAddress();
            acceptAddressesMade++;
        }
        return address;
    }

    /** How many accept addresses the loop's memory holds: as many as listeners accepted at once. */
    public int acceptAddressesMade() {
        return acceptAddressesMade;
    }

    /** An accept address whose listener has let its last accept go. */
    public void giveAcceptAddress(AcceptAddress address) {
        acceptAddresses.push(address);
    }

    /** The provided-buffer group receives select from. */
    public int bufferGroup() {
        return buffers.group();
    }

    /** The size of each receive buffer: a receive that fills one has more waiting. */
    public int bufferSize() {
        return buffers.bufferSize();
    }

    /** The read-only view of the {@code length} bytes received into buffer {@code id}, valid until it is recycled. */
    public ByteBuffer received(int id, int length) {
        ByteBuffer view = views[id];
        view.limit(length).position(0);
        return view;
    }

    /** Hands buffer {@code id} back to the kernel with the iteration's one publish. */
    public void recycle(int id) {
        buffers.recycle(id);
        recycled = true;
    }

    /**
     * Closes the ring (the kernel cancels what is still in flight), the buffers and the wake-up
     * descriptor. Idempotent.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        ring.close();
        buffers.close();
        wakeFd.close();
        lent.close();
    }
}
