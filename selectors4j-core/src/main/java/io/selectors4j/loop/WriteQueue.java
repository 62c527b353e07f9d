package io.selectors4j.loop;

import io.selectors4j.net.Socket;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

/**
 * The bytes a connection could not send yet, in pooled native chunks of its loop, sent with one
 * gathering {@code sendmsg} per writable event; sending allocates nothing, however the bytes are split.
 * Loop thread only.
 */
final class WriteQueue {
    /** Chunks gathered per {@code writev}; the kernel's limit is far higher, the gain beyond this small. */
    private static final int GATHER = 64;

    private final LoopBuffers buffers;
    private static final LoopBuffers.Chunk[] NO_CHUNKS = {};

    /**
     * The chunks in order, a ring: {@code count} of them from {@code head}; empty until the first write
     * that has to wait, so an idle connection holds no array.
     */
    private LoopBuffers.Chunk[] ring = NO_CHUNKS;
    private int head;
    private int count;
    private long size;

    WriteQueue(LoopBuffers buffers) {
        this.buffers = buffers;
    }

    /** The bytes queued. */
    long size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Copies {@code len} bytes of {@code data} from {@code off} to the end of the queue. */
    void append(byte[] data, int off, int len) {
        while (len > 0) {
            LoopBuffers.Chunk tail = tailWithRoom();
            int n = Math.min(len, tail.room());
            tail.buffer.put(tail.end, data, off, n);
            tail.end += n;
            off += n;
            len -= n;
            size += n;
        }
    }

    /** Copies the buffer's remaining bytes to the end of the queue, advancing its position to its limit. */
    void append(ByteBuffer data) {
        while (data.hasRemaining()) {
            LoopBuffers.Chunk tail = tailWithRoom();
            int n = Math.min(data.remaining(), tail.room());
            tail.buffer.put(tail.end, data, data.position(), n);
            data.position(data.position() + n);
            tail.end += n;
            size += n;
        }
    }

    /**
     * Sends what the socket takes from the head of the queue in one gathering {@code sendmsg}: the
     * chunks' whole segments, from the first unsent byte of the head to the last byte written into the
     * tail, so a partly sent or partly filled chunk costs no slice. Returns the bytes sent (0 when the
     * socket would block).
     */
    long sendTo(Socket socket) throws IOException {
        if (size == 0) {
            return 0;
        }
        MemorySegment[] gather = buffers.gatherArray(GATHER);
        int gathered = Math.min(count, GATHER);
        long length = 0;
        for (int i = 0; i < gathered; i++) {
            LoopBuffers.Chunk chunk = chunk(i);
            gather[i] = chunk.segment;
            length += chunk.queued();
        }
        long sent = socket.sendGathered(gather, 0, gathered, chunk(0).start, length);
        if (sent <= 0) {
            return 0;
        }
        consume(sent);
        return sent;
    }

    /** The chunks holding queued bytes. */
    int chunkCount() {
        return count;
    }

    /** The native address of the first unsent byte of the {@code i}-th chunk (0 the oldest); io_uring sends. */
    long address(int i) {
        LoopBuffers.Chunk chunk = chunk(i);
        return chunk.segment.address() + chunk.start;
    }

    /** The bytes queued in the {@code i}-th chunk. */
    int length(int i) {
        return chunk(i).queued();
    }

    /**
     * Forgets the first {@code sent} bytes, sent by the caller (an io_uring send that completed); the
     * chunks emptied go back to the pool.
     */
    void consume(long sent) {
        size -= sent;
        while (sent > 0) {
            LoopBuffers.Chunk first = chunk(0);
            int n = (int) Math.min(sent, first.queued());
            first.start += n;
            sent -= n;
            if (first.queued() == 0) {
                removeFirst();
            }
        }
    }

    /** Drops everything queued, returning the chunks to the pool. */
    void clear() {
        while (count > 0) {
            removeFirst();
        }
        size = 0;
    }

    private LoopBuffers.Chunk tailWithRoom() {
        LoopBuffers.Chunk tail = count == 0 ? null : chunk(count - 1);
        if (tail == null || tail.room() == 0) {
            tail = buffers.take();
            if (count == ring.length) {
                LoopBuffers.Chunk[] larger = new LoopBuffers.Chunk[Math.max(4, ring.length * 2)];
                for (int i = 0; i < count; i++) {
                    larger[i] = chunk(i);
                }
                ring = larger;
                head = 0;
            }
            ring[(head + count++) % ring.length] = tail;
        }
        return tail;
    }

    /** The {@code i}-th queued chunk, 0 being the oldest. */
    private LoopBuffers.Chunk chunk(int i) {
        return ring[(head + i) % ring.length];
    }

    private void removeFirst() {
        buffers.give(ring[head]);
        ring[head] = null;
        head = (head + 1) % ring.length;
        count--;
    }
}
