package io.selectors4j.bench;

import io.selectors4j.selectors.Backend;
import io.selectors4j.selectors.Events;
import io.selectors4j.selectors.ReadyKeyConsumer;
import io.selectors4j.selectors.SelectorKey;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The fixed cost of one non-blocking select: a selector with a single registered key that is ready,
 * polled with {@code select(Duration.ZERO, consumer)} and with {@code select(0L, consumer)} (the
 * nanosecond form), against java.nio's {@code selectNow(Consumer)} with a single ready key. Both on
 * epoll.
 */
public class OneReadyKeyBenchmark extends BenchmarkSettings {
    private ReadyFixture fixture;
    private io.selectors4j.selectors.Selector selector;
    private NioPairs nioPairs;
    private java.nio.channels.Selector nioSelector;
    private Blackhole blackhole;
    private ReadyKeyConsumer consumer;
    private Consumer<SelectionKey> nioConsumer;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws IOException {
        this.blackhole = blackhole;
        consumer = this::consume;
        nioConsumer = this::consume;
        selector = io.selectors4j.selectors.Selector.open(Backend.EPOLL);
        fixture = new ReadyFixture(2, 1);
        selector.register(fixture.sockets.getFirst(), Events.READ, fixture);
        nioSelector = java.nio.channels.Selector.open();
        nioPairs = new NioPairs(1);
        SocketChannel channel = nioPairs.channels().getFirst();
        channel.configureBlocking(false);
        channel.register(nioSelector, SelectionKey.OP_READ, nioPairs);
        nioPairs.makeReadable(1);
        if (selectZeroDuration() != 1 || selectZeroNanos() != 1 || nioSelectNow() != 1) {
            throw new IllegalStateException("the one registered key is not reported ready");
        }
    }

    private void consume(SelectorKey key, int events) {
        blackhole.consume(key.data());
        blackhole.consume(events);
    }

    private void consume(SelectionKey key) {
        blackhole.consume(key.attachment());
        blackhole.consume(key.readyOps());
    }

    @Benchmark
    public int selectZeroDuration() throws IOException {
        return selector.select(Duration.ZERO, consumer);
    }

    @Benchmark
    public int selectZeroNanos() throws IOException {
        return selector.select(0L, consumer);
    }

    @Benchmark
    public int nioSelectNow() throws IOException {
        return nioSelector.selectNow(nioConsumer);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        selector.close();
        fixture.close();
        nioSelector.close();
        nioPairs.close();
    }
}
