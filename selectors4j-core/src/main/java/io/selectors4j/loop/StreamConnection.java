package io.selectors4j.loop;

import java.io.IOException;
import java.net.SocketAddress;

/**
 * A connected stream socket of a loop, whichever backend drives it: {@link StreamTransport} on a
 * readiness loop, {@link UringStreamTransport} on an io_uring loop. What its server and the loop's
 * fairness need of it beyond {@link Transport}.
 */
interface StreamConnection extends Transport, LoopResource {
    /**
     * Loop thread: wraps a connected non-blocking socket to {@code peer}, sets it up for the loop's
     * backend and calls {@code connectionMade}. If the socket cannot be set up it is closed and the
     * error thrown: a {@link java.util.concurrent.RejectedExecutionException} when the loop is closing.
     */
    static StreamConnection start(EventLoop loop, io.selectors4j.net.Socket socket, SocketAddress peer,
            Protocol protocol, StreamServer server) throws IOException {
        return loop.uring() != null ? UringStreamTransport.start(loop, socket, peer, protocol, server)
                : StreamTransport.start(loop, socket, peer, protocol, server);
    }

    /**
     * The server is shutting down: flush and close (through the layer above when there is one), and
     * abort at {@code deadlineNanos} if that has not finished by then; any thread.
     */
    void closeBy(long deadlineNanos);

    /** Loop thread: this bulk connection's turn ({@link BulkTurns}); returns the bytes it moved. */
    long takeTurn();
}
