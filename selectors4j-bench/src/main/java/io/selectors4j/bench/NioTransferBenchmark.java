package io.selectors4j.bench;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The java.nio peer of {@link SocketTransferBenchmark}: one write and one read of 100 bytes over a
 * connected pair of Unix-domain {@code SocketChannel}s, with heap and direct buffers, blocking and not.
 */
public class NioTransferBenchmark extends BenchmarkSettings {
    private static final int SIZE = 100;

    @Param({"true", "false"})
    public boolean nonBlocking;

    private NioPairs pairs;
    private SocketChannel writer;
    private SocketChannel reader;
    private final ByteBuffer heapOut = ByteBuffer.allocate(512);
    private final ByteBuffer heapIn = ByteBuffer.allocate(512);
    private final ByteBuffer directOut = ByteBuffer.allocateDirect(512);
    private final ByteBuffer directIn = ByteBuffer.allocateDirect(512);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        pairs = new NioPairs(1);
        writer = pairs.pairs.getFirst()[0];
        reader = pairs.pairs.getFirst()[1];
        writer.configureBlocking(!nonBlocking);
        reader.configureBlocking(!nonBlocking);
    }

    @Benchmark
    public int heapBuffers() throws IOException {
        writer.write(heapOut.clear().limit(SIZE));
        return reader.read(heapIn.clear().limit(SIZE));
    }

    @Benchmark
    public int directBuffers() throws IOException {
        writer.write(directOut.clear().limit(SIZE));
        return reader.read(directIn.clear().limit(SIZE));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        pairs.close();
    }
}
