package io.selectors4j.apps.echo;

import java.time.Duration;

/**
 * The bounds of the echo server.
 *
 * @param maxConnections at most this many connections at once (accepting pauses at the limit), 0 for
 *                       no limit
 * @param queueBytes     the most bytes queued for one client; a full queue stops reading from it
 * @param idleTimeout    a connection that receives and sends nothing for this long is closed;
 *                       {@link Duration#ZERO} for never
 */
record EchoLimits(int maxConnections, int queueBytes, Duration idleTimeout) {
    /** Checks the numbers. */
    EchoLimits {
        if (maxConnections < 0) {
            throw new IllegalArgumentException("maxConnections must not be negative, not " + maxConnections);
        }
        if (queueBytes < 1) {
            throw new IllegalArgumentException("queueBytes must be at least 1, not " + queueBytes);
        }
        if (idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative, not " + idleTimeout);
        }
    }
}
