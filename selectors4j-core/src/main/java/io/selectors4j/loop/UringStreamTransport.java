package io.selectors4j.loop;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.loop.uring.CompletionOwner;
import io.selectors4j.loop.uring.UringEngine;
import io.selectors4j.net.Socket;
import io.selectors4j.sys.BufferRing;
import io.selectors4j.sys.IoUringAbi;
import io.selectors4j.sys.Platform;
import io.selectors4j.sys.SendGather;
import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A connected stream socket on an io_uring loop: the kernel receives and sends, and the transport
 * learns of it by completion. The {@link Transport} rules it keeps are {@link AbstractStreamTransport}'s.
 *
 * <p><b>Receiving.</b> One multishot receive into the loop's provided buffers while the connection
 * reads: an idle connection holds no buffer. Each completion's buffer reaches {@code dataReceived} as
 * a read-only view and goes back to the kernel right after. Pausing reading cancels the receive;
 * completions already on their way are held (their buffers with them) and delivered after
 * {@code resumeReading}. A receive ended by the kernel is armed again: at once after a full completion
 * queue, once buffers have come back after ENOBUFS.
 *
 * <p><b>Sending.</b> Writes are copied into the {@link WriteQueue}; at most one send is in flight
 * (io_uring does not order two sends on one socket), and what is queued meanwhile goes as one gathered
 * {@code sendmsg} when it completes, submitted with the loop's next {@code io_uring_enter}. The
 * watermarks count queued and in-flight bytes alike.
 *
 * <p><b>Closing.</b> The operations in flight are cancelled; the slot, the descriptor and the queued
 * chunks are kept until their last completions have arrived, then the descriptor is closed, the slot
 * freed (its next owner has the next generation) and {@code connectionLost} queued as a callback of its
 * own. A loop that is closing closes at once: its ring goes with it and cancels what was in flight.
 */
final class UringStreamTransport extends AbstractStreamTransport implements CompletionOwner {
    private static final int OP_RECV = 8;
    private static final int OP_SEND = 9;
    /** Buffers a connection may hold before its receive is cancelled: a flood's share of the ring. */
    private static final int HOLD_LIMIT = 8;

    private final UringEngine engine;
    private final int fd;
    private int slot = -1;
    /** A multishot receive is in flight (until its completion without CQE_F_MORE). */
    private boolean receiving;
    /** Its cancel has been written. */
    private boolean receiveCancelled;
    /** The receive ended with ENOBUFS: armed again when buffers come back. */
    private boolean starved;
    /** A send is in flight; {@link #gather} holds its iovecs when it gathers. */
    private boolean sending;
    private SendGather gather;
    /** A send is asked for at the end of the batch. */
    private boolean sendQueued;
    /** Completions received while reading was paused, (buffer id << 16 | length - 1), oldest first. */
    private int[] held;
    private int heldCount;
    /**
     * While reading is paused, the bytes of the buffers it held, copied so that the buffers go back
     * to the ring at once: paused connections must not keep the loop's buffers from everyone else.
     * Older than anything held; delivered from its position to its limit; null when empty.
     */
    private ByteBuffer spill;
    /** End of stream arrived while reading was paused or data held: told after them. */
    private boolean eofHeld;
    /** Held data is being delivered. */
    private boolean delivering;
    /** Waiting in the loop's {@link BulkTurns} to deliver what it holds. */
    private boolean inTurns;
    /**
     * The last receive filled a whole buffer: more is waiting. Such a connection receives one buffer
     * per turn (a multishot receive would take up to 32 at each wait, and a few floods would empty the
     * buffer ring under everyone else). A new connection starts so: its first short receive makes it
     * an interactive one, with a multishot receive.
     */
    private boolean bulk = true;
    /** The descriptor is closed and the slot freed. */
    private boolean released;
    private Throwable lostCause;

    private UringStreamTransport(EventLoop loop, Socket socket, Protocol protocol, StreamServer server,
            SocketAddress peer) {
        super(loop, socket, protocol, server, peer);
        this.engine = loop.uring();
        this.fd = socket.fileno();
    }

    /** Loop thread: {@link StreamConnection#start} on an io_uring loop. */
    static UringStreamTransport start(EventLoop loop, Socket socket, SocketAddress peer, Protocol protocol,
            StreamServer server) throws IOException {
        UringStreamTransport transport;
        try {
            Objects.requireNonNull(protocol, "the protocol factory returned null");
            transport = new UringStreamTransport(loop, socket, protocol, server, peer);
            loop.track(transport);
        } catch (RuntimeException e) {
            closeQuietly(socket);
            throw e;
        }
        transport.slot = transport.engine.attach(transport);
        loop.claimFd(transport.fd);
        transport.updateInterest();
        transport.started();
        return transport;
    }

    // ---- writing ----

    @Override
    void writeOnLoop(byte[] data, int off, int len) {
        if (writable(len)) {
            queue.append(data, off, len);
            queued();
        }
    }

    @Override
    void writeOnLoop(ByteBuffer data) {
        if (writable(data.remaining())) {
            queue.append(data);
            queued();
        } else {
            data.position(data.limit()); // consumed, as the contract says, though dropped
        }
    }

    // ---- completions ----

    @Override
    public void complete(int operation, int result, int flags) {
        if (operation == OP_RECV) {
            received(result, flags);
        } else if (operation == OP_SEND) {
            sent(result);
        }
    }

    private void received(int result, int flags) {
        boolean more = (flags & IoUringAbi.CQE_F_MORE) != 0;
        if (!more) {
            receiving = false;
            receiveCancelled = false;
        }
        if (result > 0) {
            int id = BufferRing.bufferId(flags);
            boolean full = BulkTurns.isBulk(result, engine.bufferSize());
            if (closed) {
                engine.recycle(id);
            } else if (holding() || readingPaused || eofReceived) {
                hold(id, result);
                if (readingPaused) {
                    spillHeld();
                }
            } else if (full) {
                hold(id, result); // more is waiting: delivered in turns
                joinTurns();
            } else {
                deliver(id, result);
            }
            bulk = full;
            if (!more || bulk) {
                updateInterest(); // a bulk connection reads one buffer per turn; a receive ended by the kernel is armed again
            }
        } else if (result == 0) {
            if (holding() || readingPaused) {
                eofHeld = true;
            } else if (!closed) {
                endOfStream();
            }
        } else if (result == -Errno.ENOBUFS) {
            if (!starved) {
                starved = true;
                engine.whenBuffersReturn(this);
            }
        } else if (result == -Errno.ECANCELED) {
            updateInterest(); // ours: paused or closing; resumed since, it is armed again
        } else if (!closed) {
            lose(new NativeIOException("recv", -result));
        }
        releaseIfDone();
    }

    @Override
    public void buffersReturned() {
        starved = false;
        updateInterest();
    }

    private void sent(int result) {
        sending = false;
        if (gather != null) {
            engine.giveGather(gather);
            gather = null;
        }
        if (result > 0) {
            queue.consume(result);
            progressed();
        }
        if (closed) {
            releaseIfDone();
            return;
        }
        if (result < 0) {
            lose(new NativeIOException("send", -result));
            releaseIfDone();
            return;
        }
        queuedBytes = queue.size();
        checkLowWater();
        if (closed) {
            releaseIfDone();
            return;
        }
        if (!queue.isEmpty()) {
            send();
            return;
        }
        shutdownIfDrained();
        if (closeStarted && !closed) {
            finishClose(null);
        }
    }

    @Override
    public void afterBatch() {
        sendQueued = false;
        if (!closed && !sending && !queue.isEmpty()) {
            send();
        }
    }

    /**
     * Sends what the socket takes at once, without the ring, when no send is in flight (so order
     * holds), as a readiness loop would: for writes made outside the handing-over of completions
     * (callbacks, timers, other threads' writes, bulk turns), a chunk or more written at once, a close
     * or a writeEof. Writes made while completions are handed over (a protocol answering what it
     * received) wait for the batch's one gathered send, submitted with the next wait.
     */
    private void sendNow() {
        try {
            if (queue.sendTo(socket) > 0) {
                progressed();
            }
        } catch (IOException e) {
            lose(e);
            return;
        }
        queuedBytes = queue.size();
        checkLowWater();
    }

    /** Writes the one send in flight: the queued chunks, gathered when there are several. */
    private void send() {
        int chunks = Math.min(queue.chunkCount(), SendGather.CAPACITY);
        long token = engine.token(OP_SEND, slot);
        int msgFlags = Platform.MSG_NOSIGNAL;
        if (chunks == 1) {
            engine.sqe().send(fd, queue.address(0), queue.length(0), msgFlags, token);
        } else {
            gather = engine.takeGather();
            for (int i = 0; i < chunks; i++) {
                gather.set(i, queue.address(i), queue.length(i));
            }
            gather.count(chunks);
            engine.sqe().sendmsg(fd, gather.address(), msgFlags, token);
        }
        sending = true;
    }

    // ---- receiving ----

    private void deliver(int id, int length) {
        try {
            deliverData(engine.received(id, length));
        } finally {
            engine.recycle(id);
        }
    }

    private void hold(int id, int length) {
        if (held == null) {
            held = new int[8];
        } else if (heldCount == held.length) {
            held = Arrays.copyOf(held, heldCount * 2);
        }
        held[heldCount++] = id << 16 | (length - 1);
    }

    /** Whether data that arrived is still to be delivered. */
    private boolean holding() {
        return heldCount > 0 || spill != null;
    }

    /** Copies what the held buffers carry to the end of {@link #spill} and gives the buffers back. */
    private void spillHeld() {
        int bytes = 0;
        for (int i = 0; i < heldCount; i++) {
            bytes += (held[i] & 0xFFFF) + 1;
        }
        if (spill == null) {
            spill = ByteBuffer.allocate(bytes).limit(0);
        } else if (spill.capacity() - spill.remaining() < bytes) {
            ByteBuffer larger = ByteBuffer.allocate(spill.remaining() + bytes);
            spill = larger.put(spill).flip();
        } else {
            spill.compact().flip();
        }
        for (int i = 0; i < heldCount; i++) {
            int id = held[i] >>> 16;
            int length = (held[i] & 0xFFFF) + 1;
            int end = spill.limit();
            spill.limit(end + length).put(end, engine.received(id, length), 0, length);
            engine.recycle(id);
        }
        heldCount = 0;
    }

    /** Delivers up to {@code most} bytes of {@link #spill}, in reads of a readiness loop's size; returns the bytes delivered. */
    private long deliverSpilled(long most) {
        long moved = 0;
        while (spill != null && moved < most && !readingPaused && !closed) {
            int length = (int) Math.min(Math.min(spill.remaining(), LoopBuffers.READ_SIZE), most - moved);
            ByteBuffer view = spill.slice(spill.position(), length).asReadOnlyBuffer();
            spill.position(spill.position() + length);
            if (!spill.hasRemaining()) {
                spill = null;
            }
            moved += length;
            deliverData(view);
        }
        return moved;
    }

    /**
     * This bulk connection's turn: delivers what it holds, up to a readiness loop's read, and waits
     * for another turn if more is held; returns the bytes delivered.
     */
    @Override
    public long takeTurn() {
        inTurns = false;
        long moved = 0;
        delivering = true;
        try {
            moved += deliverSpilled(LoopBuffers.READ_SIZE);
            // Held buffers are newer than the spill: not one before it is gone (another thread's
            // pause and resume may both land between the two loops).
            while (spill == null && heldCount > 0 && moved < LoopBuffers.READ_SIZE && !readingPaused && !closed) {
                int entry = held[0];
                System.arraycopy(held, 1, held, 0, --heldCount);
                int length = (entry & 0xFFFF) + 1;
                deliver(entry >>> 16, length);
                moved += length;
            }
        } finally {
            delivering = false;
        }
        if (holding() && !readingPaused && !closed) {
            joinTurns();
        } else {
            updateInterest(); // armed again if holding had stopped it; a held end of stream follows
        }
        return moved;
    }

    private void joinTurns() {
        if (!inTurns) {
            inTurns = true;
            loop.bulkTurns().add(this);
        }
    }

    /**
     * Delivers what arrived while reading was paused, in order, until the protocol pauses again; then
     * the end of stream if it came after. Not reentered from the protocol's own resumeReading.
     */
    private void deliverHeld() {
        delivering = true;
        try {
            deliverSpilled(Integer.MAX_VALUE);
            while (spill == null && heldCount > 0 && !readingPaused && !closed) {
                int entry = held[0];
                System.arraycopy(held, 1, held, 0, --heldCount);
                deliver(entry >>> 16, (entry & 0xFFFF) + 1);
            }
        } finally {
            delivering = false;
        }
        if (!holding() && eofHeld && !readingPaused && !closed) {
            eofHeld = false;
            endOfStream();
        }
    }

    /** Arms the receive while the connection reads, cancels it while it does not; delivers what was held. */
    @Override
    void updateInterest() {
        if (released) {
            return;
        }
        if (readingPaused && heldCount > 0 && !closed) {
            spillHeld();
        }
        if ((holding() || eofHeld) && !readingPaused && !closed && !delivering && !inTurns) {
            deliverHeld();
        }
        boolean wanted = isReading() && !eofHeld && !closed && (bulk ? !holding() : spill == null && heldCount < HOLD_LIMIT);
        if (wanted && !receiving && !starved) {
            receiving = true;
            if (bulk) {
                engine.sqe().recvOnce(fd, engine.bufferGroup(), engine.token(OP_RECV, slot));
            } else {
                engine.sqe().recvMultishot(fd, engine.bufferGroup(), engine.token(OP_RECV, slot));
            }
        } else if (!wanted && receiving && !receiveCancelled) {
            receiveCancelled = true;
            engine.sqe().cancel(engine.token(OP_RECV, slot), UringEngine.ignored());
        }
    }

    private void queued() {
        if (!sending && (!engine.isReaping() || queue.size() >= LoopBuffers.CHUNK_SIZE)) {
            sendNow();
        }
        queuedBytes = queue.size();
        if (!sending && !sendQueued && !queue.isEmpty() && !closed) {
            sendQueued = true;
            engine.afterBatch(this);
        }
        checkHighWater();
    }

    /** A close or writeEof sends what is queued at once when no send is in flight. */
    @Override
    void startSending() {
        if (!sending && !queue.isEmpty()) {
            sendNow();
        }
    }

    @Override
    boolean drained() {
        return queue.isEmpty() && !sending;
    }

    /**
     * Cancels what is in flight and releases the descriptor and the slot once their last completions
     * are in (at once when the loop is closing).
     */
    @Override
    void ended(Throwable cause) {
        lostCause = cause;
        loop.untrack(this);
        if (!engine.isIssuer() || loop.isRefusing()) {
            release(); // the loop is closing: its ring goes next, and cancels what was in flight
            return;
        }
        if (receiving || sending) {
            receiveCancelled = true;
            engine.sqe().cancelAll(fd, UringEngine.ignored());
        }
        releaseIfDone();
    }

    private void releaseIfDone() {
        if (closed && !released && !receiving && !sending) {
            release();
        }
    }

    private void release() {
        released = true;
        for (int i = 0; i < heldCount; i++) {
            engine.recycle(held[i] >>> 16);
        }
        heldCount = 0;
        spill = null;
        queue.clear();
        queuedBytes = 0;
        if (gather != null) {
            engine.giveGather(gather);
            gather = null;
        }
        loop.releaseFd(fd);
        closeQuietly(socket);
        engine.detach(slot);
        reportClosed(lostCause);
    }
}
