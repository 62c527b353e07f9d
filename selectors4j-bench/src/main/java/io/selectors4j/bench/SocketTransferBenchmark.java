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
 * mode (heap memory passed in place) and in blocking mode (through the per-thread native buffer), and
 * through a {@code byte[]} at an offset that changes on every call. Run with {@code -prof gc}:
 * gc.alloc.rate.norm is the bytes allocated per send+recv, which must be 0.
 */
public class SocketTransferBenchmark extends BenchmarkSettings {
    private static final int SIZE = 100;
    /** Offsets into {@link #arrayLargeOut}/{@link #arrayLargeIn} used in turn, aligned and not. */
    private static final int[] OFFSETS = {0, 7, 100, 513, 1024, 3001, 4093};

    @Param({"true", "false"})
    public boolean nonBlocking;

    private Socket writer;
    private Socket reader;
    private final byte[] arrayOut = new byte[512];
    private final byte[] arrayIn = new byte[512];
    private final byte[] arrayBack = new byte[512];
    private final byte[] arrayLargeOut = new byte[4096 + SIZE];
    private final byte[] arrayLargeIn = new byte[4096 + SIZE];
    private int nextOffset;
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

    /**
     * An echo round trip in which the writer sends from one array and receives the echo into another,
     * as a connection with separate read and write buffers does: alternating arrays must not allocate.
     */
    @Benchmark
    public int byteArraysEchoRoundTrip() throws IOException {
        writer.send(arrayOut, 0, SIZE);
        int n = reader.recv(arrayIn, 0, SIZE);
        reader.send(arrayIn, 0, n);
        return writer.recv(arrayBack, 0, SIZE);
    }

    /** Send and recv at an offset that moves on each time (0, 7, 100, ...): no offset may allocate. */
    @Benchmark
    public int byteArraysAdvancingOffset() throws IOException {
        int offset = OFFSETS[nextOffset];
        nextOffset = nextOffset + 1 == OFFSETS.length ? 0 : nextOffset + 1;
        writer.send(arrayLargeOut, offset, SIZE);
        return reader.recv(arrayLargeIn, offset, SIZE);
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
