package io.selectors4j.loop;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A listening stream server made by {@link EventLoop#listen} or {@link LoopGroup#listen}, asyncio's
 * {@code Server}. Every method may be called from any thread, in any state of the server and of its
 * loops: {@code close} and {@code shutdown} are idempotent, and a server whose loop has closed is
 * closed (its listener closed, its connections on that loop aborted) and answers them at once.
 */
public interface Server extends AutoCloseable {
    /** The bound address, with the port the system chose when port 0 was asked for. */
    SocketAddress address();

    /** Stops accepting and closes the listening socket; the connections already made stay open. */
    @Override
    void close();

    /**
     * Stops accepting, asks every connection to flush its queue and close, and aborts those still open
     * after {@code grace}; a connection accepted but still being handed to its loop is flushed the same
     * way. The future completes once the listener is closed and every connection is, within
     * {@code grace} (and the time the loops take to abort) whatever state the loops are in: a connection
     * whose loop has closed was aborted by that close. Only a loop that is neither running nor closed
     * (stopped, to be run again) holds it until the loop runs or closes. A second call returns the same
     * future and keeps the first deadline.
     */
    CompletableFuture<Void> shutdown(Duration grace);

    /** The connections accepted by this server and still open. */
    int connectionCount();

    /** Whether the server still accepts connections (not closed, not shut down). */
    boolean isServing();
}
