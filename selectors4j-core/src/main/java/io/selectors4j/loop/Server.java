package io.selectors4j.loop;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * A listening stream server made by {@link EventLoop#listen} or {@link LoopGroup#listen}, asyncio's
 * {@code Server}. Every method may be called from any thread.
 */
public interface Server extends AutoCloseable {
    /** The bound address, with the port the system chose when port 0 was asked for. */
    SocketAddress address();

    /** Stops accepting and closes the listening socket; the connections already made stay open. */
    @Override
    void close();

    /**
     * Stops accepting, asks every connection to flush its queue and close, and aborts those still open
     * after {@code grace}. The future completes once every connection is closed.
     */
    CompletableFuture<Void> shutdown(Duration grace);

    /** The connections accepted by this server and still open. */
    int connectionCount();

    /** Whether the server still accepts connections (not closed, not shut down). */
    boolean isServing();
}
