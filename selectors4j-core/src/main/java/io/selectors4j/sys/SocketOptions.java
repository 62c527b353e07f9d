package io.selectors4j.sys;

/**
 * Linux socket option numbers that {@link Platform} does not hold: TCP keep-alive tuning and the
 * {@code SOL_SOCKET} queries that identify an inherited descriptor.
 */
public final class SocketOptions {
    /** {@code TCP_KEEPIDLE}: idle seconds before the first keep-alive probe. */
    public static final int TCP_KEEPIDLE = 4;
    /** {@code TCP_KEEPINTVL}: seconds between keep-alive probes. */
    public static final int TCP_KEEPINTVL = 5;
    /** {@code TCP_KEEPCNT}: unanswered probes before the connection is dropped. */
    public static final int TCP_KEEPCNT = 6;
    /** {@code SO_DOMAIN}: the socket's address family. */
    public static final int SO_DOMAIN = 39;

    private SocketOptions() {
    }
}
