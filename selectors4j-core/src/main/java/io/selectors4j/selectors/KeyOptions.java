package io.selectors4j.selectors;

/**
 * Backend options for {@link Selector#register(io.selectors4j.Selectable, int, Object, int)}, bits that
 * combine with {@code |}. Readiness they cause is reported as Python maps epoll's bits: a peer
 * shutdown counts as READ (and WRITE), masked by the key's events as always.
 */
public final class KeyOptions {
    /** No option: what {@code register} without options does. */
    public static final int NONE = 0;
    /**
     * Report the peer's shutdown of writing ({@code EPOLLRDHUP}/{@code POLLRDHUP}) even when no data
     * is left to read. Honoured by epoll and poll; select reports such a peer as readable anyway and
     * ignores the option.
     */
    public static final int PEER_SHUTDOWN = 1;
    /**
     * Wake only one of several epoll instances that watch the same descriptor, for a listening socket
     * shared between loops ({@code EPOLLEXCLUSIVE}, Linux 4.5+). epoll only; poll and select ignore it.
     * Under epoll such a registration's events are changed by removing and adding it again, as the
     * kernel refuses to modify it in place.
     */
    public static final int EXCLUSIVE = 2;
    /** Every option bit. */
    public static final int ALL = PEER_SHUTDOWN | EXCLUSIVE;

    private KeyOptions() {
    }
}
