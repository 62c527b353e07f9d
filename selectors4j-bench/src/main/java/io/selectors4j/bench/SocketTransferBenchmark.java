package io.selectors4j.bench;

import io.selectors4j.net.Socket;
import java.io.IOException;
import java.nio.ByteBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * One send and one recv of 100 bytes over a socketpair, through each kind of buffer, in non-blocking
 * mode (heap memory passed in place) and in blocking mode (through the per-thread native buffer). Run
 * with {@code -prof gc}: gc.alloc.rate.norm is the bytes allocated per send+recv, which must be 0.
 */
public class SocketTransferBenchmark extends BenchmarkSettings {
    private static final int SIZE = 100;

    @Param({"true", "false"})
    public boolean nonBlocking;

    private Socket writer;
    private Socket reader;
    private final byte[] arrayOut = new byte[512];
    private final byte[] arrayIn = new byte[512];
    private final ByteBuffer heapOut = ByteBuffer.allocate(512);
    private final ByteBuffer heapIn = ByteBuffer.allocate(512);
    private final ByteBuffer directOut = ByteBuffer.allocateDirect(512);
    private final ByteBuffer directIn = ByteBuffer.allocateDirect(512);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Socket.Pair pair = Socket.pair();
        writer = pair.first();
        reader = pair.second();
        writer.setBlocking(!nonBlocking);
        reader.setBlocking(!nonBlocking);
    }

    @Benchmark
    public int byteArrays() throws IOException {
        writer.send(arrayOut, 0, SIZE);
        return reader.recv(arrayIn, 0, SIZE);
    }

    @Benchmark
    public int heapBuffers() throws IOException {
        writer.send(heapOut.clear().limit(SIZE));
        return reader.recv(heapIn.clear().limit(SIZE));
    }

    @Benchmark
    public int directBuffers() throws IOException {
        writer.send(directOut.clear().limit(SIZE));
        return reader.recv(directIn.clear().limit(SIZE));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        writer.close();
        reader.close();
    }
}
