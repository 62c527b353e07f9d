package io.selectors4j.bench;

import io.selectors4j.selectors.Backend;
import java.io.IOException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Selector scaling for epoll and poll: one non-blocking {@code Selector.select(ZERO, consumer)} with
 * {@code registered} sockets of which {@code ready} are readable. {@link SelectSelectorBenchmark} is
 * the same for select (up to FD_SETSIZE) and {@link NioSelectorBenchmark} the java.nio peer, with the
 * same parameters. Run with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per select,
 * which must be 0.
 */
public class SelectorSelectBenchmark extends BenchmarkSettings {
    @Param({"EPOLL", "POLL"})
    public Backend backend;

    @Param({"10", "100", "1000", "10000"})
    public int registered;

    @Param({"1", "10"})
    public int ready;

    private ReadySelector selector;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws IOException {
        selector = new ReadySelector(backend, registered, ready, blackhole);
    }

    @Benchmark
    public int select() throws IOException {
        return selector.selectNow();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        selector.close();
    }
}
