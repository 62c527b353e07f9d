package io.selectors4j.loop;

import io.selectors4j.net.Socket;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The bytes a connection could not send yet, in pooled native chunks of its loop, sent with one
 * {@code writev} per writable event. Loop thread only.
 */
final class WriteQueue {
    /** Chunks gathered per {@code writev}; the kernel's limit is far higher, the gain beyond this small. */
    private static final int GATHER = 64;

    private final LoopBuffers buffers;
    private final ArrayDeque<LoopBuffers.Chunk> chunks = new ArrayDeque<>();
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
     * Sends what the socket takes from the head of the queue: one {@code send} for a single chunk, a
     * gathering {@code writev} for several. Returns the bytes sent (0 when the socket would block).
     */
    long sendTo(Socket socket) throws IOException {
        if (size == 0) {
            return 0;
        }
        long sent;
        if (chunks.size() == 1) {
            LoopBuffers.Chunk only = chunks.peekFirst();
            ByteBuffer view = only.buffer;
            view.limit(only.end).position(only.start);
            sent = socket.send(view);
        } else {
            MemorySegment[] gather = buffers.gatherArray(GATHER);
            int count = 0;
            for (LoopBuffers.Chunk chunk : chunks) {
                if (count == GATHER) {
                    break;
                }
                gather[count++] = chunk.start == 0 && chunk.end == LoopBuffers.CHUNK_SIZE
                        ? chunk.segment
                        : chunk.segment.asSlice(chunk.start, chunk.queued());
            }
            sent = socket.sendGathered(gather, 0, count);
        }
        if (sent <= 0) {
            return 0;
        }
        consume(sent);
        return sent;
    }

    /** Drops everything queued, returning the chunks to the pool. */
    void clear() {
        LoopBuffers.Chunk chunk;
        while ((chunk = chunks.poll()) != null) {
            buffers.give(chunk);
        }
        size = 0;
    }

    private void consume(long sent) {
        size -= sent;
        while (sent > 0) {
            LoopBuffers.Chunk head = chunks.peekFirst();
            int n = (int) Math.min(sent, head.queued());
            head.start += n;
            sent -= n;
            if (head.queued() == 0) {
                buffers.give(chunks.pollFirst());
            }
        }
    }

    private LoopBuffers.Chunk tailWithRoom() {
        LoopBuffers.Chunk tail = chunks.peekLast();
        if (tail == null || tail.room() == 0) {
            tail = buffers.take();
            chunks.addLast(tail);
        }
        return tail;
    }
}
