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
 * Selector scaling for the select backend: {@link SelectorSelectBenchmark}'s measurement, with at most
 * 1,000 registered sockets because select(2) takes descriptors below FD_SETSIZE (1024) only.
 */
public class SelectSelectorBenchmark extends BenchmarkSettings {
    @Param({"10", "100", "1000"})
    public int registered;

    @Param({"1", "10"})
    public int ready;

    private ReadySelector selector;

    @Setup(Level.Trial)
    public void setUp(Blackhole blackhole) throws IOException {
        selector = new ReadySelector(Backend.SELECT, registered, ready, blackhole);
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
