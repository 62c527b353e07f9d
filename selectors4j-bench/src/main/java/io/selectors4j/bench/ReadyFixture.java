package io.selectors4j.bench;

import io.selectors4j.net.Socket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A number of connected sockets (socketpairs) of which a chosen number are readable: one byte waits in
 * each of those and is never read, so level-triggered readiness stays the same on every call. The
 * readable ones are spread evenly over all the sockets, both ends of a pair included.
 */
final class ReadyFixture implements AutoCloseable {
    final List<Socket> sockets = new ArrayList<>();
    private final List<Socket> peers = new ArrayList<>();

    ReadyFixture(int sockets, int ready) throws IOException {
        Spread.check(sockets, ready);
        OpenFiles.ensure(sockets);
        for (int i = 0; i < sockets / 2; i++) {
            Socket.Pair pair = Socket.pair();
            this.sockets.add(pair.first());
            this.sockets.add(pair.second());
            peers.add(pair.second());
            peers.add(pair.first());
        }
        for (int index : Spread.indices(sockets, ready)) {
            peers.get(index).send(new byte[] {1});
        }
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
