package io.selectors4j.loop.tls;

import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The memory one event loop's TLS connections share, loop thread only: scratch buffers used within
 * one call (ciphertext read, plaintext decrypted, plaintext to encrypt, records encrypted) and a pool
 * of buffers a connection holds between calls (a partial record, data waiting while reading is paused
 * or a delegated task runs, plaintext written while the engine cannot take it). An idle connection
 * holds none of them.
 *
 * <p>Heap buffers: the JDK's {@code SSLEngine} decrypts in place and runs its AES-GCM intrinsics on
 * arrays, so they cost less there than direct ones; the socket layer sends a heap buffer in place.
 * Within one call a scratch buffer is emptied before any callback that could reach another
 * connection's use of it.
 */
public final class TlsBuffers {
    /** The largest TLS record on the wire that the engine takes by default (its packet buffer size). */
    static final int PACKET = 16_709;
    /** The largest plaintext of one record (the engine's application buffer size). */
    static final int PLAINTEXT = 16_704;
    /** Plaintext encrypted per batch: four records, sent with one write. */
    static final int BATCH = 4 * 16_384;
    /** Ciphertext decrypted per batch. */
    static final int INPUT = 64 * 1024;
    /** Free buffers kept per size; more are left to the garbage collector. */
    private static final int POOL_LIMIT = 256;

    private int packetSize = PACKET;
    private ByteBuffer input;
    private ByteBuffer plain;
    private ByteBuffer plainView;
    private ByteBuffer toEncrypt;
    private ByteBuffer encrypted;
    private final ByteBuffer[] one = new ByteBuffer[1];
    /** Whether a connection's call is using the input and plaintext scratch. */
    private boolean claimed;
    private final ArrayDeque<ByteBuffer> small = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> large = new ArrayDeque<>();

    /** Made by the loop, once, when its first TLS connection starts. */
    public TlsBuffers() {
        allocate();
    }

    private void allocate() {
        input = ByteBuffer.allocate(INPUT + packetSize);
        plain = ByteBuffer.allocate(INPUT + 2 * packetSize);
        plainView = plain.asReadOnlyBuffer();
        toEncrypt = ByteBuffer.allocate(BATCH);
        encrypted = ByteBuffer.allocate(5 * packetSize);
    }

    /**
     * An engine reported larger records than these buffers were made for (a peer that sends records
     * up to 2^15 bytes): makes them again at that size.
     */
    void fit(int enginePacketSize) {
        if (enginePacketSize > packetSize) {
            packetSize = enginePacketSize;
            small.clear();
            allocate();
        }
    }

    /** The largest record these buffers are made for. */
    int packetSize() {
        return packetSize;
    }

    /**
     * Takes the input and plaintext scratch for one connection's call; false when another connection's
     * call, further up the stack (a protocol that connects or resumes another connection from its
     * callback), holds them: the caller then goes on later.
     */
    boolean claim() {
        if (claimed) {
            return false;
        }
        claimed = true;
        return true;
    }

    /** Gives back what {@link #claim()} took. */
    void release() {
        claimed = false;
    }

    /** The scratch for ciphertext received, cleared. */
    ByteBuffer input() {
        return input.clear();
    }

    /** The scratch decrypted records are gathered in, cleared. */
    ByteBuffer plain() {
        return plain.clear();
    }

    /** A read-only view of the plaintext gathered in {@link #plain()} from 0 to {@code length}. */
    ByteBuffer plainView(int length) {
        plainView.limit(length).position(0);
        return plainView;
    }

    /** The scratch a {@code byte[]} write is copied into before encryption, cleared. */
    ByteBuffer toEncrypt() {
        return toEncrypt.clear();
    }

    /** The scratch records are encrypted into, cleared: room for a batch and one record more. */
    ByteBuffer encrypted() {
        return encrypted.clear();
    }

    /** A one-element array for the engine's array calls, so that none is made per call. */
    ByteBuffer[] one(ByteBuffer buffer) {
        one[0] = buffer;
        return one;
    }

    /** A pooled buffer, cleared, of at least {@code capacity} bytes. */
    ByteBuffer take(int capacity) {
        if (capacity <= packetSize + 64) {
            ByteBuffer buffer = small.poll();
            return buffer != null ? buffer.clear() : ByteBuffer.allocate(packetSize + 64);
        }
        if (capacity <= 2 * input.capacity()) {
            ByteBuffer buffer = large.poll();
            return buffer != null ? buffer.clear() : ByteBuffer.allocate(2 * input.capacity());
        }
        return ByteBuffer.allocate(capacity); // beyond what a read can bring: not pooled
    }

    /** Returns a buffer from {@link #take(int)}. */
    void give(ByteBuffer buffer) {
        if (buffer.capacity() == packetSize + 64) {
            if (small.size() < POOL_LIMIT) {
                small.push(buffer);
            }
        } else if (buffer.capacity() == 2 * input.capacity() && large.size() < POOL_LIMIT / 8) {
            large.push(buffer);
        }
    }

    /**
     * Copies {@code data} after what {@code held} holds ({@code null} for nothing; read mode), into a
     * larger pooled buffer when it has no room, and returns the buffer that now holds both (read mode).
     */
    ByteBuffer append(ByteBuffer held, ByteBuffer data) {
        int needed = (held == null ? 0 : held.remaining()) + data.remaining();
        ByteBuffer buffer = held;
        if (buffer == null || buffer.capacity() < needed) {
            buffer = take(needed);
            if (held != null) {
                buffer.put(held);
                give(held);
            }
        } else {
            buffer.compact();
        }
        buffer.put(data);
        return buffer.flip();
    }

    /** Drops the pooled buffers: the loop is closing. */
    public void close() {
        small.clear();
        large.clear();
    }
}
