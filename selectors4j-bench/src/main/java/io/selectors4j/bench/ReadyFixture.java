package io.selectors4j.bench;

import io.selectors4j.net.Socket;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A thousand connected sockets (500 socketpairs) of which a chosen number are readable: one byte waits
 * in each of them and is never read, so level-triggered readiness stays the same on every call.
 */
final class ReadyFixture implements AutoCloseable {
    final List<Socket> sockets = new ArrayList<>();

    ReadyFixture(int sockets, int ready) throws IOException {
        List<Socket.Pair> pairs = new ArrayList<>();
        for (int i = 0; i < sockets / 2; i++) {
            Socket.Pair pair = Socket.pair();
            pairs.add(pair);
            this.sockets.add(pair.first());
            this.sockets.add(pair.second());
        }
        int step = Math.max(1, pairs.size() / Math.max(1, ready));
        for (int i = 0, made = 0; made < ready; i += step, made++) {
            pairs.get(i).second().send(new byte[] {1});
        }
    }

    @Override
    public void close() throws IOException {
        for (Socket socket : sockets) {
            socket.close();
        }
    }
}
