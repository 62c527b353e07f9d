package io.selectors4j.loop;

import java.time.Duration;

/**
 * How a {@link Server} listens and treats the connections it accepts.
 *
 * @param backlog           the listen backlog (pending connections the kernel keeps)
 * @param reuseAddress      {@code SO_REUSEADDR} on the listener (TCP)
 * @param reusePort         {@code SO_REUSEPORT} on the listener (TCP): several listeners on one port
 * @param tcpNoDelay        {@code TCP_NODELAY} on every accepted TCP connection
 * @param receiveBufferSize {@code SO_RCVBUF} for accepted connections, 0 for the system's default
 * @param sendBufferSize    {@code SO_SNDBUF} for accepted connections, 0 for the system's default
 * @param maxConnections    at most this many open connections (accepting pauses at the limit), 0 for
 *                          no limit
 * @param acceptBatch       at most this many connections accepted per readiness of the listener
 * @param idleTimeout       a connection on which no read returned data and no send moved bytes for this
 *                          long is aborted (reset), its protocol's {@code connectionLost} getting a
 *                          {@link io.selectors4j.NativeIOException} with ETIMEDOUT, and its place under
 *                          {@code maxConnections} freed; {@code null} or zero for none. Measured to the
 *                          loop iteration; a queue the peer does not drain is no progress, nor is a
 *                          paused read. Costs one timer per connection per timeout period, nothing per
 *                          message.
 */
public record ServerOptions(int backlog, boolean reuseAddress, boolean reusePort, boolean tcpNoDelay,
        int receiveBufferSize, int sendBufferSize, int maxConnections, int acceptBatch, Duration idleTimeout) {

    /**
     * Checks the numbers; a zero idle timeout becomes {@code null}.
     *
     * @throws IllegalArgumentException a negative backlog, buffer size, connection limit or idle
     *                                  timeout, or an accept batch below 1
     */
    public ServerOptions {
        requireNonNegative(backlog, "backlog");
        requireNonNegative(receiveBufferSize, "receiveBufferSize");
        requireNonNegative(sendBufferSize, "sendBufferSize");
        requireNonNegative(maxConnections, "maxConnections");
        if (acceptBatch < 1) {
            throw new IllegalArgumentException("acceptBatch must be at least 1, not " + acceptBatch);
        }
        if (idleTimeout != null && idleTimeout.isNegative()) {
            throw new IllegalArgumentException("idleTimeout must not be negative, not " + idleTimeout);
        }
        if (idleTimeout != null && idleTimeout.isZero()) {
            idleTimeout = null;
        }
    }

    /**
     * Backlog 1,024 (the kernel caps it at {@code net.core.somaxconn}; a small backlog overflows in a
     * connect storm, and every SYN dropped costs its client a second), SO_REUSEADDR on, SO_REUSEPORT
     * off, TCP_NODELAY on, system buffers, no limit, batch 64, no idle timeout (the library cannot
     * know what is idle for a protocol; a program chooses).
     */
    public static ServerOptions defaults() {
        return new ServerOptions(1024, true, false, true, 0, 0, 0, 64, null);
    }

    /** These options with another backlog. */
    public ServerOptions withBacklog(int value) {
        return new ServerOptions(value, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize, sendBufferSize,
                maxConnections, acceptBatch, idleTimeout);
    }

    /** These options with {@code SO_REUSEADDR} set or not. */
    public ServerOptions withReuseAddress(boolean value) {
        return new ServerOptions(backlog, value, reusePort, tcpNoDelay, receiveBufferSize, sendBufferSize,
                maxConnections, acceptBatch, idleTimeout);
    }

    /** These options with {@code SO_REUSEPORT} set or not. */
    public ServerOptions withReusePort(boolean value) {
        return new ServerOptions(backlog, reuseAddress, value, tcpNoDelay, receiveBufferSize, sendBufferSize,
                maxConnections, acceptBatch, idleTimeout);
    }

    /** These options with {@code TCP_NODELAY} set or not on accepted connections. */
    public ServerOptions withTcpNoDelay(boolean value) {
        return new ServerOptions(backlog, reuseAddress, reusePort, value, receiveBufferSize, sendBufferSize,
                maxConnections, acceptBatch, idleTimeout);
    }

    /** These options with another receive buffer size (0: the system's). */
    public ServerOptions withReceiveBufferSize(int value) {
        return new ServerOptions(backlog, reuseAddress, reusePort, tcpNoDelay, value, sendBufferSize,
                maxConnections, acceptBatch, idleTimeout);
    }

    /** These options with another send buffer size (0: the system's). */
    public ServerOptions withSendBufferSize(int value) {
        return new ServerOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize, value,
                maxConnections, acceptBatch, idleTimeout);
    }

    /** These options with another connection limit (0: none). */
    public ServerOptions withMaxConnections(int value) {
        return new ServerOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize, sendBufferSize,
                value, acceptBatch, idleTimeout);
    }

    /** These options with another accept batch. */
    public ServerOptions withAcceptBatch(int value) {
        return new ServerOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize, sendBufferSize,
                maxConnections, value, idleTimeout);
    }

    /** These options with another idle timeout ({@code null} or zero: none). */
    public ServerOptions withIdleTimeout(Duration value) {
        return new ServerOptions(backlog, reuseAddress, reusePort, tcpNoDelay, receiveBufferSize, sendBufferSize,
                maxConnections, acceptBatch, value);
    }

    private static void requireNonNegative(int value, String name) {
        if (value < 0) {
            throw new IllegalArgumentException(name + " must not be negative, not " + value);
        }
    }
}
