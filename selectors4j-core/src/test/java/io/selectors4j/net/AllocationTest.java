package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Method;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The steady path of recv and send allocates nothing on the Java heap once compiled. The thread's
 * allocation counter is read through reflection because the library module does not read
 * {@code java.management}.
 */
@Timeout(30)
class AllocationTest {
    private static final Object THREADS;
    private static final Method ALLOCATED;

    static {
        try {
            THREADS = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            ALLOCATED = Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes");
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static long allocatedBytes() throws ReflectiveOperationException {
        return (long) ALLOCATED.invoke(THREADS);
    }

    private interface Round {
        void run() throws Exception;
    }

    private static long bytesAllocatedPerRound(Round round) throws Exception {
        for (int i = 0; i < 50_000; i++) {
            round.run();
        }
        long before = allocatedBytes();
        int rounds = 10_000;
        for (int i = 0; i < rounds; i++) {
            round.run();
        }
        return (allocatedBytes() - before) / rounds;
    }

    @Test
    void nonBlockingArraysHeapAndDirectBuffers() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            a.setBlocking(false);
            b.setBlocking(false);
            byte[] out = new byte[512];
            byte[] in = new byte[512];
            ByteBuffer heapOut = ByteBuffer.allocate(512);
            ByteBuffer heapIn = ByteBuffer.allocate(512);
            ByteBuffer directOut = ByteBuffer.allocateDirect(512);
            ByteBuffer directIn = ByteBuffer.allocateDirect(512);
            long arrays = bytesAllocatedPerRound(() -> {
                a.send(out, 0, 100);
                b.recv(in, 10, 200);
                b.recv(in);
            });
            long heap = bytesAllocatedPerRound(() -> {
                a.send(heapOut.clear().limit(100));
                b.recv(heapIn.clear());
            });
            long direct = bytesAllocatedPerRound(() -> {
                a.send(directOut.clear().limit(100));
                b.recv(directIn.clear());
            });
            System.out.printf("bytes allocated per round: arrays %d, heap buffers %d, direct buffers %d%n",
                    arrays, heap, direct);
            assertThat(arrays).isLessThan(8);
            assertThat(heap).isLessThan(8);
            assertThat(direct).isLessThan(8);
        }
    }

    @Test
    void blockingArraysGoThroughTheBounceBufferWithoutAllocating() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            byte[] out = new byte[512];
            byte[] in = new byte[512];
            long arrays = bytesAllocatedPerRound(() -> {
                a.send(out, 0, 100);
                b.recv(in, 0, 100);
            });
            System.out.printf("bytes allocated per blocking round: %d%n", arrays);
            assertThat(arrays).isLessThan(8);
        }
    }
}
