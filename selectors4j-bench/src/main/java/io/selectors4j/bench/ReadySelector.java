package io.selectors4j.bench;

import io.selectors4j.net.Socket;
import io.selectors4j.selectors.Backend;
import io.selectors4j.selectors.Events;
import io.selectors4j.selectors.ReadyKeyConsumer;
import io.selectors4j.selectors.Selector;
import io.selectors4j.selectors.SelectorKey;
import java.io.IOException;
import java.time.Duration;
import org.openjdk.jmh.infra.Blackhole;

/**
 * A selector of one backend with a {@link ReadyFixture}'s sockets registered for reading, checked to
 * report exactly the ready ones; each {@link #selectNow()} hands the ready keys to a blackhole.
 */
final class ReadySelector implements AutoCloseable {
    private final Selector selector;
    private final ReadyFixture fixture;
    private final Blackhole blackhole;
    private final ReadyKeyConsumer consumer = this::consume;

    ReadySelector(Backend backend, int registered, int ready, Blackhole blackhole) throws IOException {
        this.blackhole = blackhole;
        // Opened first, so that its wake-up descriptor takes a low number (select needs every fd < 1024).
        selector = Selector.open(backend);
        fixture = new ReadyFixture(registered, ready);
        for (Socket socket : fixture.sockets) {
            selector.register(socket, Events.READ, socket);
        }
        int seen = selectNow();
        if (seen != ready) {
            throw new IllegalStateException("expected " + ready + " ready keys, got " + seen);
        }
    }

    /** One non-blocking select: the number of ready keys. */
    int selectNow() throws IOException {
        return selector.select(Duration.ZERO, consumer);
    }

    private void consume(SelectorKey key, int events) {
        blackhole.consume(key.data());
        blackhole.consume(events);
    }

    @Override
    public void close() throws IOException {
        selector.close();
        fixture.close();
    }
}
