package io.selectors4j.loop;

/**
 * Something an {@link EventLoop} must release when it closes: a connection, a listener, a connect in
 * progress, a datagram endpoint. The rules every kind keeps, and any new one (a completion-based
 * transport, a TLS layer) must keep, so that a closed loop leaves nothing open:
 * <ul>
 * <li>it is tracked ({@link EventLoop#track}) on the loop thread before it registers, connects or calls
 *     a protocol; a closing loop refuses it there with a
 *     {@link java.util.concurrent.RejectedExecutionException}, and it then releases what it holds
 *     (closes its socket, fails its future) without calling its protocol;</li>
 * <li>it untracks itself when it closes on its own;</li>
 * <li>{@link #closeNow()} releases everything before it returns and completes any future it owns; the
 *     protocol callbacks it owes ({@code connectionLost}) go through {@link EventLoop#soon}, which a
 *     closing loop still runs, never through the refusing {@code callSoon}; the timers it needs use
 *     {@link EventLoop#schedule}, which a closing loop never refuses (and drops).</li>
 * </ul>
 */
interface LoopResource {
    /** The loop is closing: release everything at once (abort connections, close listeners). */
    void closeNow();
}
