package io.selectors4j.bench;

import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.function.Consumer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The java.nio peer of {@link SelectorSelectBenchmark}, with the same parameters:
 * {@code Selector.selectNow(Consumer)} (the JDK's allocation-free form) over {@code registered}
 * Unix-domain channels of which {@code ready} are readable.
 */
public class NioSelectorBenchmark extends BenchmarkSettings {
    @Param({"10", "100", "1000", "10000"})
    public int registered;

    @Param({"1", "10"})
    public int ready;

    private NioPairs pairs;
    private Selector selector;
    private Blackhole blackhole;
    private Consumer<SelectionKey> consumer;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws IOException {
        this.blackhole = blackhole;
        consumer = this::consume;
        selector = Selector.open();
        pairs = new NioPairs(registered / 2);
        for (SocketChannel channel : pairs.channels()) {
            channel.configureBlocking(false);
            channel.register(selector, SelectionKey.OP_READ, channel);
        }
        pairs.makeReadable(ready);
        int seen = selector.selectNow(consumer);
        if (seen != ready) {
            throw new IllegalStateException("expected " + ready + " ready keys, got " + seen);
        }
    }

    private void consume(SelectionKey key) {
        blackhole.consume(key.attachment());
        blackhole.consume(key.readyOps());
    }

    @Benchmark
    public int selectNow() throws IOException {
        return selector.selectNow(consumer);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        selector.close();
        pairs.close();
    }
}
