package io.selectors4j.bench;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import io.selectors4j.net.Socket;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout.PathElement;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.TearDown;

/**
 * What selectors4j's wrapping costs on the commonest failing call of a non-blocking server: a recv on
 * an empty socket, which fails with EAGAIN. {@code Socket.recv} into a {@code byte[]} and into a native
 * segment, against the reference: a plain FFM downcall of {@code recv} with errno capture made right
 * here, into the same native segment, with no descriptor bookkeeping and no exception. Run with
 * {@code -prof gc}: none of them may allocate.
 */
public class RecvWouldBlockBenchmark extends BenchmarkSettings {
    private static final int SIZE = 100;
    private static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CALL_STATE.varHandle(PathElement.groupElement("errno"));
    private static final MethodHandle RECV = linkRecv();

    private final Arena arena = Arena.ofShared();
    private final MemorySegment native100 = arena.allocate(SIZE);
    private final MemorySegment callState = arena.allocate(CALL_STATE);
    private final byte[] array = new byte[SIZE];
    private Socket reader;
    private Socket writer;
    private int fd;

    @SuppressWarnings("restricted") // the benchmark's own reference downcall
    private static MethodHandle linkRecv() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("recv").orElseThrow(),
                FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT),
                Linker.Option.captureCallState("errno"));
    }

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        Socket.Pair pair = Socket.pair();
        reader = pair.first();
        writer = pair.second();
        reader.setBlocking(false);
        fd = reader.fileno();
        if (socketRecvArray() != Socket.WOULD_BLOCK || rawRecv() <= 0) {
            throw new IllegalStateException("the socket is not empty");
        }
    }

    @Benchmark
    public int socketRecvArray() throws IOException {
        return reader.recv(array, 0, SIZE);
    }

    @Benchmark
    public long socketRecvSegment() throws IOException {
        return reader.recv(native100);
    }

    /** The raw call: returns errno (EAGAIN) when recv fails, as a wrapper would read it. */
    @Benchmark
    public int rawRecv() {
        try {
            long n = (long) RECV.invokeExact(callState, fd, native100, (long) SIZE, 0);
            return n < 0 ? (int) ERRNO.get(callState, 0L) : 0;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        reader.close();
        writer.close();
        arena.close();
    }
}
