package io.selectors4j.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The java.nio peer of {@link SelectorSelectBenchmark}: {@code Selector.selectNow(Consumer)} (the JDK's
 * allocation-free form) over 1,000 registered Unix-domain channels of which 10 are readable.
 */
public class NioSelectorBenchmark extends BenchmarkSettings {
    private static final int REGISTERED = 1000;
    private static final int READY = 10;

    private NioPairs pairs;
    private Selector selector;
    private Blackhole blackhole;
    private java.util.function.Consumer<SelectionKey> consumer;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws IOException {
        this.blackhole = blackhole;
        consumer = this::consume;
        pairs = new NioPairs(REGISTERED / 2);
        selector = Selector.open();
        for (SocketChannel[] pair : pairs.pairs) {
            for (SocketChannel channel : pair) {
                channel.configureBlocking(false);
                channel.register(selector, SelectionKey.OP_READ, channel);
            }
        }
        int step = pairs.pairs.size() / READY;
        for (int i = 0; i < READY; i++) {
            pairs.pairs.get(i * step)[1].write(ByteBuffer.wrap(new byte[] {1}));
        }
        int seen = selector.selectNow(consumer);
        if (seen != READY) {
            throw new IllegalStateException("expected " + READY + " ready keys, got " + seen);
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
