package io.selectors4j.loop;

import io.selectors4j.loop.tls.TlsBuffers;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The memory one event loop reuses: the read buffer every connection reads into (handed to protocols
 * as a read-only view) and a pool of native chunks for the write queues. Loop thread only.
 *
 * <p>Chunks are direct buffers, so that the kernel can gather them in one {@code writev}; their
 * {@link MemorySegment} views are made once, when a chunk is created, and passed to
 * {@code Socket.sendGathered} unchanged.
 */
final class LoopBuffers {
    /** Bytes read per read call. */
    static final int READ_SIZE = 64 * 1024;
    /** Bytes per write-queue chunk. */
    static final int CHUNK_SIZE = 16 * 1024;
    /** Free chunks kept for reuse; more are left to the garbage collector. */
    private static final int POOL_LIMIT = 256;

    /** One pooled native chunk and its segment view. */
    static final class Chunk {
        final ByteBuffer buffer = ByteBuffer.allocateDirect(CHUNK_SIZE);
        final MemorySegment segment = MemorySegment.ofBuffer(buffer);
        /** The first byte not yet sent. */
        int start;
        /** The end of the bytes written into the chunk. */
        int end;

        int queued() {
            return end - start;
        }

        int room() {
            return CHUNK_SIZE - end;
        }
    }

    private final ByteBuffer read = ByteBuffer.allocateDirect(READ_SIZE);
    private final ByteBuffer readView = read.asReadOnlyBuffer();
    private final byte[] datagram = new byte[64 * 1024];
    private final ByteBuffer datagramView = ByteBuffer.wrap(datagram).asReadOnlyBuffer();
    private final ArrayDeque<Chunk> free = new ArrayDeque<>();
    private MemorySegment[] gather = new MemorySegment[0];
    /** Made with the loop's first TLS connection. */
    private TlsBuffers tls;

    /** The read buffer, cleared, ready for a read. */
    ByteBuffer readBuffer() {
        return read.clear();
    }

    /** The read-only view of the first {@code length} bytes of the read buffer. */
    ByteBuffer readView(int length) {
        readView.limit(length).position(0);
        return readView;
    }

    /** The array every datagram is received into. */
    byte[] datagramArray() {
        return datagram;
    }

    /** The read-only view of the first {@code length} bytes of the datagram array. */
    ByteBuffer datagramView(int length) {
        datagramView.limit(length).position(0);
        return datagramView;
    }

    /** The array write queues gather segments in, of at least {@code length} entries. */
    MemorySegment[] gatherArray(int length) {
        if (gather.length < length) {
            gather = new MemorySegment[length];
        }
        return gather;
    }

    /** An empty chunk from the pool, or a new one. */
    Chunk take() {
        Chunk chunk = free.poll();
        return chunk != null ? chunk : new Chunk();
    }

    /** Returns a chunk to the pool. */
    void give(Chunk chunk) {
        chunk.start = 0;
        chunk.end = 0;
        if (free.size() < POOL_LIMIT) {
            free.push(chunk);
        }
    }

    /** The TLS connections' scratch and pool, made on first use. */
    TlsBuffers tls() {
        if (tls == null) {
            tls = new TlsBuffers();
        }
        return tls;
    }

    /** Drops the pooled chunks. */
    void close() {
        free.clear();
        if (tls != null) {
            tls.close();
        }
    }
}
