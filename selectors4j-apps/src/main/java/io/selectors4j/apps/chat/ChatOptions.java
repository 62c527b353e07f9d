package io.selectors4j.apps.chat;

/**
 * How the chat service treats its connections.
 *
 * @param maxQueueBytes  a connection with more than this many bytes waiting to be sent (a client that
 *                       stopped reading) is dropped, and the others see it leave
 * @param maxConnections at most this many connections at once (accepting pauses at the limit), 0 for
 *                       no limit
 */
public record ChatOptions(long maxQueueBytes, int maxConnections) {
    /** The default bound of a connection's queue: 1 MiB. */
    public static final long DEFAULT_MAX_QUEUE = 1 << 20;
    /** The default connection limit. */
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;

    /** Checks the numbers. */
    public ChatOptions {
        if (maxQueueBytes < 1) {
            throw new IllegalArgumentException("maxQueueBytes must be at least 1, not " + maxQueueBytes);
        }
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must not be negative, not " + maxConnections);
        }
    }

    /** A 1 MiB queue bound and at most 10,000 connections. */
    public static ChatOptions defaults() {
        return new ChatOptions(DEFAULT_MAX_QUEUE, DEFAULT_MAX_CONNECTIONS);
    }
}
