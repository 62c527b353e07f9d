package io.selectors4j.bench.peers;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.Socket;
import io.selectors4j.sys.BufferRing;
import io.selectors4j.sys.CompletionHandler;
import io.selectors4j.sys.CompletionToken;
import io.selectors4j.sys.FileCalls;
import io.selectors4j.sys.IoUring;
import io.selectors4j.sys.IoUringAbi;
import io.selectors4j.sys.Libc;
import io.selectors4j.sys.Platform;
import io.selectors4j.sys.Structs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * The feasibility echo of the io_uring backend: {@code UringEchoServer PORT [THREADS]}, each of
 * THREADS loops with its own ring and {@code SO_REUSEPORT} listener. It does what the completion
 * backend will do, and nothing else: multishot accept; multishot receive into a provided-buffer ring
 * (an idle connection holds no buffer); the received buffer itself is sent back, one send in flight
 * per connection and what arrives meanwhile gathered into one {@code sendmsg}; sends written after
 * the whole batch of completions is reaped; one {@code io_uring_enter} per iteration that submits
 * them and waits for the next batch. Completions carry tokens (operation, slot, generation).
 *
 * <p>It reaches into the library's unexported {@code io.selectors4j.sys} (possible on the class path
 * only): it is a measurement of the ring, made before the loop backend exists, and goes when
 * {@code s4j serve --backend io_uring} can be measured instead.
 *
 * <p>Settings, as system properties: {@code uring.flags} ({@code defer}: SINGLE_ISSUER,
 * DEFER_TASKRUN, SUBMIT_ALL, the default; {@code coop}: SINGLE_ISSUER, COOP_TASKRUN, SUBMIT_ALL;
 * {@code none}), {@code uring.waitNr} (completions to wait for, default 1), {@code uring.minWaitUs}
 * (with waitNr > 1: the longest wait for them before one is enough; 0 = none),
 * {@code uring.waitForSends} ({@code true}: wait for one completion more than the sends being
 * submitted, so that sends completing at once in the submit do not end the wait; needs a minimum
 * wait, default 50 µs, for a send that does not complete at once), {@code uring.buffers} and
 * {@code uring.bufferSize} (the provided-buffer ring, default 4,096 × 4 KiB).
 */
public final class UringEchoServer {
    private static final int ACCEPT = 1;
    private static final int RECV = 2;
    private static final int SEND = 3;
    private static final int IGNORED = 4;

    private static final int MSG_WAITALL = 0x100;
    private static final int MAX_GATHER = 64;
    /** Queued buffers at which a connection stops receiving, and at which it starts again. */
    private static final int PAUSE_AT = 32;
    private static final int RESUME_AT = 8;

    private UringEchoServer() {
    }

    /** Starts the loops and serves until the process is killed. */
    public static void main(String[] args) throws Exception {
        PeerArguments arguments = PeerArguments.parse("UringEchoServer", args, 0);
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), arguments.port());
        Settings settings = Settings.fromProperties();
        Thread[] loops = new Thread[arguments.threads()];
        for (int i = 0; i < loops.length; i++) {
            CompletableFuture<Void> started = new CompletableFuture<>();
            loops[i] = Thread.ofPlatform().name("uring-echo-" + i).start(() -> Loop.run(address, settings, started));
            try {
                started.join();
            } catch (RuntimeException e) {
                System.err.println("UringEchoServer: " + e.getCause().getMessage());
                System.exit(PeerArguments.UNAVAILABLE);
            }
        }
        StatsHook.start();
        arguments.announce();
        for (Thread loop : loops) {
            loop.join();
        }
    }

    /** What the measurement varies. */
    record Settings(int setupFlags, int waitNr, int minWaitMicros, boolean waitForSends, int buffers, int bufferSize) {
        static Settings fromProperties() {
            int flags = switch (System.getProperty("uring.flags", "defer")) {
                case "defer" -> IoUringAbi.SETUP_SINGLE_ISSUER | IoUringAbi.SETUP_DEFER_TASKRUN
                        | IoUringAbi.SETUP_SUBMIT_ALL;
                case "coop" -> IoUringAbi.SETUP_SINGLE_ISSUER | IoUringAbi.SETUP_COOP_TASKRUN
                        | IoUringAbi.SETUP_SUBMIT_ALL;
                case "none" -> 0;
                default -> throw new IllegalArgumentException("uring.flags: defer, coop or none");
            };
            boolean waitForSends = Boolean.getBoolean("uring.waitForSends");
            return new Settings(flags, Integer.getInteger("uring.waitNr", 1),
                    Integer.getInteger("uring.minWaitUs", waitForSends ? 50 : 0), waitForSends,
                    Integer.getInteger("uring.buffers", 4096), Integer.getInteger("uring.bufferSize", 4096));
        }
    }

    /** One thread's ring, listener and connections; the ring hands every completion to {@link #complete}. */
    private static final class Loop implements CompletionHandler {
        private static final int ARMED = 1;
        private static final int SENDING = 2;
        private static final int PAUSED = 4;
        private static final int STARVED = 8;
        private static final int CLOSING = 16;
        private static final int DIRTY = 32;

        private static final long MSG_IOV = Structs.offset(Structs.MSGHDR, "msg_iov");
        private static final long MSG_IOVLEN = Structs.offset(Structs.MSGHDR, "msg_iovlen");
        private static final long IOVEC_SIZE = Structs.IOVEC.byteSize();
        private static final long IOV_BASE = Structs.offset(Structs.IOVEC, "iov_base");
        private static final long IOV_LEN = Structs.offset(Structs.IOVEC, "iov_len");
        private static final long GATHER_SIZE = Structs.MSGHDR.byteSize() + MAX_GATHER * IOVEC_SIZE;

        private final Settings settings;
        private final IoUring ring;
        private final BufferRing buffers;
        private final Socket listener;
        private final Arena arena = Arena.ofShared();
        private final MemorySegment callState = Libc.newCallState(arena);
        private final MemorySegment one = arena.allocate(ValueLayout.JAVA_INT);
        private int spare;

        // Connections by slot. A slot's generation changes when it is freed, so the completions of
        // its last connection are recognised as stale by their token.
        private int[] fds = new int[1024];
        private int[] generations = new int[1024];
        private int[] states = new int[1024];
        /** Per slot: queued buffers as (id << 16 | length), oldest first, and how many are being sent. */
        private int[][] queues = new int[1024][];
        private int[] queueHeads = new int[1024];
        private int[] queueCounts = new int[1024];
        private int[] inFlight = new int[1024];
        private int[] inFlightBytes = new int[1024];
        private MemorySegment[] gathers = new MemorySegment[1024];
        private int[] freeSlots = new int[1024];
        private int freeCount;
        private int slotCount;
        private int[] dirty = new int[1024];
        private int dirtyCount;
        private int[] starved = new int[1024];
        private int starvedCount;
        private boolean recycled;
        /** Sends written since the last enter. */
        private int sendsWritten;

        private Loop(InetSocketAddress address, Settings settings) throws IOException {
            this.settings = settings;
            listener = Socket.tcp4(true);
            listener.setReuseAddress(true);
            listener.setReusePort(true);
            listener.bind(address);
            listener.listen(4096);
            ring = IoUring.open(2048, 16384, settings.setupFlags());
            String missing = ring.probe().missingForServer();
            if (missing != null) {
                throw new IOException(missing);
            }
            buffers = new BufferRing(ring, 0, settings.buffers(), settings.bufferSize());
            spare = openSpare();
            one.set(ValueLayout.JAVA_INT, 0, 1);
        }

        /** Opens the loop on this thread (a single-issuer ring belongs to its creator) and serves. */
        static void run(InetSocketAddress address, Settings settings, CompletableFuture<Void> started) {
            Loop loop;
            try {
                loop = new Loop(address, settings);
            } catch (IOException | RuntimeException e) {
                started.completeExceptionally(e);
                return;
            }
            started.complete(null);
            try {
                loop.serve();
            } catch (IOException | RuntimeException e) {
                System.err.println("UringEchoServer: " + e);
                System.exit(2);
            }
        }

        private void serve() throws IOException {
            armAccept();
            while (true) {
                int waitFor = settings.waitNr() + (settings.waitForSends() ? sendsWritten : 0);
                sendsWritten = 0;
                if (settings.minWaitMicros() > 0) {
                    ring.submitAndWait(waitFor, -1, settings.minWaitMicros());
                } else {
                    ring.submitAndWait(waitFor);
                }
                ring.reap(this);
                afterBatch();
            }
        }

        /** Once the batch is reaped: gathered sends, buffers back to the kernel, receives armed again. */
        private void afterBatch() throws NativeIOException {
            for (int i = 0; i < dirtyCount; i++) {
                int slot = dirty[i];
                states[slot] &= ~DIRTY;
                flush(slot);
            }
            dirtyCount = 0;
            if (recycled) {
                recycled = false;
                buffers.publish();
                for (int i = 0; i < starvedCount; i++) {
                    int slot = starved[i];
                    states[slot] &= ~STARVED;
                    if ((states[slot] & (ARMED | PAUSED | CLOSING)) == 0) {
                        armReceive(slot);
                    }
                }
                starvedCount = 0;
            }
        }

        @Override
        public void complete(long userData, int result, int flags) {
            try {
                int operation = CompletionToken.operation(userData);
                if (operation == ACCEPT) {
                    accepted(result, flags);
                    return;
                }
                int slot = CompletionToken.slot(userData);
                boolean current = operation != IGNORED && slot < slotCount
                        && CompletionToken.generation(userData)
                                == (generations[slot] & (CompletionToken.GENERATIONS - 1));
                if (operation == RECV) {
                    if (current) {
                        received(slot, result, flags);
                    } else if (BufferRing.hasBuffer(flags)) {
                        recycle(BufferRing.bufferId(flags)); // for a connection already gone
                    }
                } else if (operation == SEND && current) {
                    sent(slot, result);
                }
            } catch (NativeIOException e) {
                throw new UncheckedIOException(e);
            }
        }

        private void accepted(int fd, int flags) throws NativeIOException {
            if (fd >= 0) {
                Libc.setsockopt(callState, fd, Platform.IPPROTO_TCP, Platform.TCP_NODELAY, one, Integer.BYTES);
                armReceive(newConnection(fd));
            } else if (fd == -Errno.EMFILE || fd == -Errno.ENFILE) {
                refuseOnePending();
            }
            if ((flags & IoUringAbi.CQE_F_MORE) == 0) {
                armAccept();
            }
        }

        private void received(int slot, int result, int flags) throws NativeIOException {
            if ((flags & IoUringAbi.CQE_F_MORE) == 0) {
                states[slot] &= ~ARMED;
            }
            if (result > 0) {
                enqueue(slot, BufferRing.bufferId(flags), result);
                markDirty(slot);
                if (queueCounts[slot] >= PAUSE_AT && (states[slot] & PAUSED) == 0) {
                    states[slot] |= PAUSED; // the peer is not reading what we send: stop receiving
                    if ((states[slot] & ARMED) != 0) {
                        ring.sqe().cancel(CompletionToken.of(RECV, slot, generations[slot]),
                                CompletionToken.of(IGNORED, slot, 0));
                    }
                } else if ((states[slot] & (ARMED | PAUSED | CLOSING)) == 0) {
                    armReceive(slot); // ended by the kernel (a full completion queue): go on
                }
            } else if (result == -Errno.ENOBUFS) {
                if ((states[slot] & STARVED) == 0) {
                    states[slot] |= STARVED;
                    starved = push(starved, starvedCount++, slot);
                }
            } else if (result != -Errno.ECANCELED) {
                close(slot); // end of stream (0) or an error such as ECONNRESET
            }
            finishIfClosed(slot);
        }

        private void sent(int slot, int result) throws NativeIOException {
            states[slot] &= ~SENDING;
            if (result != inFlightBytes[slot]) {
                close(slot); // an error; MSG_WAITALL makes a partial send one too
            }
            for (int i = 0; i < inFlight[slot]; i++) {
                recycle(dequeue(slot) >>> 16);
            }
            inFlight[slot] = 0;
            if (queueCounts[slot] > 0) {
                markDirty(slot);
            }
            if ((states[slot] & PAUSED) != 0 && queueCounts[slot] <= RESUME_AT && (states[slot] & CLOSING) == 0) {
                states[slot] &= ~PAUSED;
                if ((states[slot] & ARMED) == 0) {
                    armReceive(slot);
                }
            }
            finishIfClosed(slot);
        }

        /** Sends what the connection has queued, gathered into one operation, unless one is in flight. */
        private void flush(int slot) throws NativeIOException {
            int count = Math.min(queueCounts[slot], MAX_GATHER);
            if ((states[slot] & (SENDING | CLOSING)) != 0 || count == 0) {
                return;
            }
            long token = CompletionToken.of(SEND, slot, generations[slot]);
            int[] queue = queues[slot];
            int bytes = 0;
            if (count == 1) {
                int entry = queue[queueHeads[slot]];
                bytes = entry & 0xFFFF;
                ring.sqe().send(fds[slot], buffers.address(entry >>> 16), bytes, Platform.MSG_NOSIGNAL | MSG_WAITALL,
                        token);
            } else {
                MemorySegment gather = gather(slot);
                for (int i = 0; i < count; i++) {
                    int entry = queue[(queueHeads[slot] + i) & (queue.length - 1)];
                    long iovec = Structs.MSGHDR.byteSize() + i * IOVEC_SIZE;
                    gather.set(ValueLayout.JAVA_LONG, iovec + IOV_BASE, buffers.address(entry >>> 16));
                    gather.set(ValueLayout.JAVA_LONG, iovec + IOV_LEN, entry & 0xFFFF);
                    bytes += entry & 0xFFFF;
                }
                gather.set(ValueLayout.JAVA_LONG, MSG_IOVLEN, count);
                ring.sqe().sendmsg(fds[slot], gather.address(), Platform.MSG_NOSIGNAL | MSG_WAITALL, token);
            }
            states[slot] |= SENDING;
            sendsWritten++;
            inFlight[slot] = count;
            inFlightBytes[slot] = bytes;
        }

        /** The slot's msghdr with its iovec array after it, made with the slot's first gathered send. */
        private MemorySegment gather(int slot) {
            MemorySegment gather = gathers[slot];
            if (gather == null) {
                gather = arena.allocate(GATHER_SIZE, Long.BYTES);
                gather.set(ValueLayout.JAVA_LONG, MSG_IOV, gather.address() + Structs.MSGHDR.byteSize());
                gathers[slot] = gather;
            }
            return gather;
        }

        /** Ends a connection: its receive is cancelled, and it is freed once nothing of it is in flight. */
        private void close(int slot) throws NativeIOException {
            if ((states[slot] & CLOSING) != 0) {
                return;
            }
            states[slot] |= CLOSING;
            if ((states[slot] & ARMED) != 0) {
                ring.sqe().cancel(CompletionToken.of(RECV, slot, generations[slot]),
                        CompletionToken.of(IGNORED, slot, 0));
            }
        }

        private void finishIfClosed(int slot) throws NativeIOException {
            if ((states[slot] & (CLOSING | ARMED | SENDING)) != CLOSING) {
                return;
            }
            ring.sqe().close(fds[slot], CompletionToken.of(IGNORED, slot, 0));
            while (queueCounts[slot] > 0) {
                recycle(dequeue(slot) >>> 16);
            }
            generations[slot]++;
            states[slot] = 0;
            freeSlots = push(freeSlots, freeCount++, slot);
        }

        private int newConnection(int fd) {
            int slot;
            if (freeCount > 0) {
                slot = freeSlots[--freeCount];
            } else {
                slot = slotCount++;
                if (slot == fds.length) {
                    grow();
                }
                queues[slot] = new int[MAX_GATHER];
            }
            fds[slot] = fd;
            queueHeads[slot] = 0;
            queueCounts[slot] = 0;
            return slot;
        }

        private void grow() {
            int size = fds.length * 2;
            fds = Arrays.copyOf(fds, size);
            generations = Arrays.copyOf(generations, size);
            states = Arrays.copyOf(states, size);
            queues = Arrays.copyOf(queues, size);
            queueHeads = Arrays.copyOf(queueHeads, size);
            queueCounts = Arrays.copyOf(queueCounts, size);
            inFlight = Arrays.copyOf(inFlight, size);
            inFlightBytes = Arrays.copyOf(inFlightBytes, size);
            gathers = Arrays.copyOf(gathers, size);
        }

        private void enqueue(int slot, int bufferId, int length) {
            int[] queue = queues[slot];
            if (queueCounts[slot] == queue.length) { // only when a peer floods faster than the pause acts
                int[] larger = new int[queue.length * 2];
                for (int i = 0; i < queueCounts[slot]; i++) {
                    larger[i] = queue[(queueHeads[slot] + i) & (queue.length - 1)];
                }
                queues[slot] = queue = larger;
                queueHeads[slot] = 0;
            }
            queue[(queueHeads[slot] + queueCounts[slot]++) & (queue.length - 1)] = bufferId << 16 | length;
        }

        private int dequeue(int slot) {
            int[] queue = queues[slot];
            int entry = queue[queueHeads[slot]];
            queueHeads[slot] = (queueHeads[slot] + 1) & (queue.length - 1);
            queueCounts[slot]--;
            return entry;
        }

        private void recycle(int bufferId) {
            buffers.recycle(bufferId);
            recycled = true;
        }

        private void markDirty(int slot) {
            if ((states[slot] & DIRTY) == 0) {
                states[slot] |= DIRTY;
                dirty = push(dirty, dirtyCount++, slot);
            }
        }

        private static int[] push(int[] array, int index, int value) {
            int[] target = index < array.length ? array : Arrays.copyOf(array, array.length * 2);
            target[index] = value;
            return target;
        }

        private void armAccept() throws NativeIOException {
            ring.sqe().acceptMultishot(listener.fileno(), Platform.SOCK_CLOEXEC, CompletionToken.of(ACCEPT, 0, 0));
        }

        private void armReceive(int slot) throws NativeIOException {
            states[slot] |= ARMED;
            ring.sqe().recvMultishot(fds[slot], buffers.group(), CompletionToken.of(RECV, slot, generations[slot]));
        }

        /** Out of descriptors: the spare's number takes the pending connection, which is closed at once. */
        private void refuseOnePending() {
            Libc.close(callState, spare);
            try {
                Socket.Accepted pending = listener.accept(true);
                if (pending != null) {
                    pending.socket().close();
                }
            } catch (IOException e) {
                // nothing pending any more, or it failed by itself: either way the backlog moved
            }
            spare = openSpare();
        }

        private static int openSpare() {
            try {
                return FileCalls.open(Path.of("/dev/null"), Platform.O_RDONLY, 0);
            } catch (NativeIOException e) {
                return -1;
            }
        }
    }
}
