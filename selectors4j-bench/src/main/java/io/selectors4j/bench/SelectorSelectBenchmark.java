package io.selectors4j.bench;

import io.selectors4j.selectors.Backend;
import io.selectors4j.selectors.Events;
import io.selectors4j.selectors.ReadyKeyConsumer;
import io.selectors4j.selectors.SelectorKey;
import io.selectors4j.selectors.Selector;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One non-blocking {@code Selector.select(timeout, consumer)} with 1,000 registered sockets of which
 * 10 are ready, per backend. Run with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per
 * select, which must be 0.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
public class SelectorSelectBenchmark {
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
