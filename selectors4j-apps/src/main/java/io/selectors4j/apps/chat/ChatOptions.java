package io.selectors4j.apps.chat;

import java.time.Duration;
import java.util.Objects;

/**
 * How the chat service treats its connections.
 *
 * @param maxQueueBytes  a connection with more than this many bytes waiting to be sent (a client that
 *                       stopped reading) is dropped, and the others see it leave
 * @param maxConnections at most this many connections at once (accepting pauses at the limit), 0 for
 *                       no limit
 * @param helloTimeout   a connection that has not joined this long after it was accepted gets an
 *                       error and is closed, so that silent sockets cannot hold the places;
 *                       {@link Duration#ZERO} for never
 * @param idleTimeout    a connection with no byte received or sent for this long is closed by the
 *                       event loop; {@link Duration#ZERO} for never, the default, because a member who
 *                       only reads a quiet room is a user, not a stuck slot (the hello timeout and the
 *                       queue bound take care of the others)
 */
public record ChatOptions(long maxQueueBytes, int maxConnections, Duration helloTimeout, Duration idleTimeout) {
    /**
     * The default bound of a connection's queue: 128 KiB, about 2,000 lines of chat behind, or two
     * packets of the largest size (IRC servers drop a client at about 100 KB behind). With the default
     * connection limit the room's worst case, 1,000 × (128 + 130) KiB ≈ 252 MiB, fits a 512 MiB heap.
     */
    public static final long DEFAULT_MAX_QUEUE = 128 << 10;
    /** The default connection limit, the same as every server's. */
    public static final int DEFAULT_MAX_CONNECTIONS = 1_000;
    /** The default time to say hello: ours sends it at once; asyncio-style servers give 10 to 60 s. */
    public static final Duration DEFAULT_HELLO_TIMEOUT = Duration.ofSeconds(10);

    /** Checks the numbers. */
    public ChatOptions {
        if (maxQueueBytes < 1) {
            throw new IllegalArgumentException("maxQueueBytes must be at least 1, not " + maxQueueBytes);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must not be negative, not " + maxConnections);
        }
        if (Objects.requireNonNull(helloTimeout, "helloTimeout").isNegative()
                || Objects.requireNonNull(idleTimeout, "idleTimeout").isNegative()) {
            throw new IllegalArgumentException("timeouts must not be negative");
        }
    }

    /** The given bounds with the default timeouts. */
    public ChatOptions(long maxQueueBytes, int maxConnections) {
        this(maxQueueBytes, maxConnections, DEFAULT_HELLO_TIMEOUT, Duration.ZERO);
    }

    /** A 128 KiB queue bound, at most 1,000 connections, 10 s to say hello, no idle limit. */
    public static ChatOptions defaults() {
        return new ChatOptions(DEFAULT_MAX_QUEUE, DEFAULT_MAX_CONNECTIONS);
    }

    /** These options with another hello timeout ({@link Duration#ZERO}: none). */
    public ChatOptions withHelloTimeout(Duration value) {
        return new ChatOptions(maxQueueBytes, maxConnections, value, idleTimeout);
    }

    /** These options with another idle timeout ({@link Duration#ZERO}: none). */
    public ChatOptions withIdleTimeout(Duration value) {
        return new ChatOptions(maxQueueBytes, maxConnections, helloTimeout, value);
    }
}
