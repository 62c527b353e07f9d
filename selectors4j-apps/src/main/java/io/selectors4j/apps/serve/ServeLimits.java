package io.selectors4j.apps.serve;

import java.time.Duration;

/**
 * The bounds of {@code s4j serve}'s services.
 *
 * @param maxConnections at most this many connections at once for each TCP service (echo, time and
 *                       chat each; accepting pauses at the limit), 0 for no limit
 * @param echoHighWater  an echo connection with more than this many bytes queued stops reading
 * @param echoLowWater   ... and reads again once its queue is down to this many
 * @param chatMaxQueue   a chat client with more than this many bytes waiting to be sent is dropped
 * @param echoIdleTimeout  an echo connection that receives and sends nothing this long is closed (zero: never)
 * @param chatHelloTimeout a chat connection that has not joined this long after it came is closed (zero: never)
 * @param chatIdleTimeout  a chat connection that receives and sends nothing this long is closed (zero: never)
 */
record ServeLimits(int maxConnections, int echoHighWater, int echoLowWater, long chatMaxQueue,
        Duration echoIdleTimeout, Duration chatHelloTimeout, Duration chatIdleTimeout) {
    /** Checks the numbers. */
    ServeLimits {
        if (maxConnections < 0) {
            throw new IllegalArgumentException("--max-connections must not be negative, not " + maxConnections);
        }
        if (echoHighWater < 1 || chatMaxQueue < 1) {
            throw new IllegalArgumentException("queue bounds must be at least 1 byte");
        }
        if (echoLowWater < 0 || echoLowWater > echoHighWater) {
            throw new IllegalArgumentException("--echo-low-water must be at most --echo-high-water ("
                    + echoHighWater + "), not " + echoLowWater);
        }
    }
}
