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
    /** The default bound of a connection's queue: 1 MiB. */
    public static final long DEFAULT_MAX_QUEUE = 1 << 20;
    /** The default connection limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
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

    /** A 1 MiB queue bound, at most 10,000 connections, 10 s to say hello, no idle limit. */
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
