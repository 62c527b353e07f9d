package io.selectors4j.loop;

import io.selectors4j.Selectable;
import io.selectors4j.selectors.Selector;
import io.selectors4j.selectors.SelectorKey;
import java.io.IOException;

/** {@link Readiness} on a readiness loop: its selector's keys, each key's data the handler. */
final class SelectorReadiness implements Readiness {
    private final Selector selector;

    SelectorReadiness(Selector selector) {
        this.selector = selector;
    }

    @Override
    public void register(Selectable fd, int events, Handler handler) throws IOException {
        selector.register(fd, events, handler);
    }

    @Override
    public void modify(Selectable fd, int events, Handler handler) throws IOException {
        selector.modify(fd, events, handler);
    }

    @Override
    public void unregister(Selectable fd) {
        if (!selector.isClosed()) { // closed: the loop's run() failed, and the keys went with it
            selector.unregister(fd);
        }
    }

    @Override
    public Handler handler(int fd) {
        SelectorKey key = fd < 0 || selector.isClosed() ? null : selector.getMap().get(fd);
        return key == null ? null : (Handler) key.data();
    }

    @Override
    public void close() {
        selector.close();
    }
}
