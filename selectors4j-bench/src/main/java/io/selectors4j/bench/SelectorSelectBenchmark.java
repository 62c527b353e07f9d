package io.selectors4j.bench;

import io.selectors4j.selectors.Backend;
import io.selectors4j.selectors.Events;
import io.selectors4j.selectors.ReadyKeyConsumer;
import io.selectors4j.selectors.SelectorKey;
import io.selectors4j.selectors.Selector;
import java.io.IOException;
import java.time.Duration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One non-blocking {@code Selector.select(timeout, consumer)} with 1,000 registered sockets of which
 * 10 are ready, per backend. Run with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per
 * select, which must be 0.
 */
public class SelectorSelectBenchmark extends BenchmarkSettings {
    @Param({"EPOLL", "POLL", "SELECT"})
    public Backend backend;

    @Param("1000")
    public int registered;

    @Param("10")
    public int ready;

    private ReadyFixture fixture;
    private Selector selector;
    private Blackhole blackhole;
    private ReadyKeyConsumer consumer;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws IOException {
        this.blackhole = blackhole;
        consumer = this::consume;
        fixture = new ReadyFixture(registered, ready);
        selector = Selector.open(backend);
        for (var socket : fixture.sockets) {
            selector.register(socket, Events.READ, socket);
        }
        int seen = selector.select(Duration.ZERO, consumer);
        if (seen != ready) {
            throw new IllegalStateException("expected " + ready + " ready keys, got " + seen);
        }
    }

    private void consume(SelectorKey key, int events) {
        blackhole.consume(key.data());
        blackhole.consume(events);
    }

    @Benchmark
    public int select() throws IOException {
        return selector.select(Duration.ZERO, consumer);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        selector.close();
        fixture.close();
    }
}
