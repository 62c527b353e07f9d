package io.selectors4j.loop;

import java.net.SocketAddress;
import java.nio.ByteBuffer;

/**
 * One stream connection as its {@link Protocol} sees it, asyncio's {@code Transport}.
 *
 * <p><b>Writing.</b> A write on an empty queue is attempted at once; what the socket does not take is
 * copied into the transport's queue and sent when the socket is writable, so the caller may reuse its
 * array or buffer as soon as a write returns. When the queue passes the high-water mark the protocol's
 * {@link Protocol#pauseWriting()} is called, and {@link Protocol#resumeWriting()} once it drains to the
 * low-water mark.
 *
 * <p><b>Threads.</b> Every method may be called from any thread. Calls from the loop thread act at
 * once; calls from another thread copy their data and are handed to the loop, where they run in the
 * order they were made.
 *
 * <p><b>After the end.</b> The same rule on every thread (asyncio's, with its exception for writes
 * after {@code write_eof}); a connection whose loop closed has been aborted and follows it too:
 * <table class="striped">
 * <caption>What each method does once the connection is closing or closed</caption>
 * <tr><th>method</th><th>after {@code close}, {@code abort} or the loss of the connection</th></tr>
 * <tr><td>{@code write}</td><td>dropped silently (a buffer's position still moves to its limit): a
 *     write made before the close on the same thread is still sent first</td></tr>
 * <tr><td>{@code write} after {@link #writeEof()}</td><td>throws {@link IllegalStateException} on the
 *     caller's thread, whichever thread called {@code writeEof}; writes made before {@code writeEof}
 *     on any thread are sent before the end of stream</td></tr>
 * <tr><td>{@code writeEof}, {@code close}, {@code abort}, {@code pauseReading},
 *     {@code resumeReading}, {@code setWriteBufferLimits}</td><td>nothing (the limits are still
 *     checked)</td></tr>
 * <tr><td>{@code isClosing}, {@code writeBufferSize}, {@code localAddress}, {@code peerAddress}</td>
 *     <td>answer as documented</td></tr>
 * </table>
 * {@link Protocol#connectionLost} runs exactly once, on the loop thread, after the socket is closed.
 */
public interface Transport {
    /** The loop this connection runs on. */
    EventLoop loop();

    /** Sends {@code data} whole, queueing what cannot be sent now. */
    default void write(byte[] data) {
        write(data, 0, data.length);
    }

    /** Sends {@code len} bytes of {@code data} from {@code off}, queueing what cannot be sent now. */
    void write(byte[] data, int off, int len);

    /** Sends the buffer's remaining bytes and advances its position to its limit. */
    void write(ByteBuffer data);

    /**
     * Shuts down the sending side once the queue has been flushed, with every write made before this
     * call on any thread (half-close). Later writes throw {@link IllegalStateException}.
     */
    void writeEof();

    /** Flushes the queue, then closes; {@link Protocol#connectionLost} follows with {@code null}. */
    void close();

    /**
     * Closes at once, dropping the queue, and resets the connection (SO_LINGER 0, so the peer sees
     * ECONNRESET); {@link Protocol#connectionLost} follows with {@code null}.
     */
    void abort();

    /** Whether {@link #close()} or {@link #abort()} has been called or the connection is lost. */
    boolean isClosing();

    /** Stops reading from the socket until {@link #resumeReading()}. */
    void pauseReading();

    /** Starts reading again after {@link #pauseReading()}. */
    void resumeReading();

    /** Whether the transport is reading (not paused, not closing). */
    boolean isReading();

    /**
     * Sets the write-buffer marks: above {@code high} queued bytes the protocol is asked to pause
     * writing, at or below {@code low} to resume. Defaults: 64 KiB and 16 KiB.
     *
     * @throws IllegalArgumentException {@code low > high} or a negative mark
     */
    void setWriteBufferLimits(int high, int low);

    /**
     * The bytes queued and not yet sent, including those written from other threads that the loop has
     * not taken yet, so a producer thread can throttle on it.
     */
    long writeBufferSize();

    /**
     * The local address of the socket, asked of the kernel the first time and remembered, so that an
     * idle connection does not hold it; {@code null} if first asked after the socket was closed.
     */
    SocketAddress localAddress();

    /** The peer's address. */
    SocketAddress peerAddress();
}
