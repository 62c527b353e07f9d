package io.selectors4j.loop;

/**
 * Something an {@link EventLoop} must release when it closes: a connection, a listener, a connect in
 * progress, a datagram endpoint. The loop keeps them from creation until they close themselves.
 */
interface LoopResource {
    /** The loop is closing: release everything at once (abort connections, close listeners). */
    void closeNow();
}
