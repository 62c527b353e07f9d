package io.selectors4j.loop;

import java.nio.ByteBuffer;

/**
 * The callbacks of one stream connection, asyncio's {@code Protocol}. Every method runs on the loop
 * thread that owns the connection; an exception thrown by one is logged and the connection carries on.
 *
 * <p>Order: {@link #connectionMade} once, then any number of {@link #dataReceived}, at most one
 * {@link #eofReceived}, and {@link #connectionLost} exactly once at the end.
 */
public interface Protocol {
    /** The connection is up; keep {@code transport} to write to it. */
    default void connectionMade(Transport transport) {
    }

    /**
     * Bytes arrived. {@code data} is a read-only view of the loop's read buffer, valid only during this
     * call: copy what must be kept.
     */
    default void dataReceived(ByteBuffer data) {
    }

    /**
     * The peer shut down its sending side (half-close). Return {@code true} to keep the connection open
     * for writing (close it later yourself), {@code false} to have the transport close it.
     */
    default boolean eofReceived() {
        return false;
    }

    /** The connection is closed: {@code cause} is {@code null} for an orderly close, else the error. */
    default void connectionLost(Throwable cause) {
    }

    /** The transport's write buffer went above its high-water mark: stop producing data. */
    default void pauseWriting() {
    }

    /** The write buffer drained to its low-water mark: producing may resume. */
    default void resumeWriting() {
    }
}
