package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Writes that the socket takes only in part, over and over: an echo server with a small send buffer,
 * peers that send 100 KiB messages and read back in small pieces through a small receive buffer. The
 * write queue then sends from inside its first chunk and up to the middle of its last on nearly every
 * writable event; every byte must come back, once, in order.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class PartialWriteTest {
    private static final int CONNECTIONS = 4;
    private static final int MESSAGE = 100 * 1024;
    private static final int MESSAGES = 12;

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    /** Echoes; stops reading while its write buffer is above the high mark, as an echo must. */
    private static final class BackPressuredEcho implements Protocol {
        private final AtomicLong maxQueued;
        private Transport transport;

        BackPressuredEcho(AtomicLong maxQueued) {
            this.maxQueued = maxQueued;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
            maxQueued.accumulateAndGet(transport.writeBufferSize(), Math::max);
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }

    @Test
    void echoesOfLargeMessagesSentInPiecesArriveWholeAndInOrder() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            AtomicLong maxQueued = new AtomicLong();
            Server server = running.loop.listen(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0),
                    () -> new BackPressuredEcho(maxQueued), ServerOptions.defaults().withSendBufferSize(4096));
            List<java.net.Socket> sockets = new ArrayList<>();
            List<CompletableFuture<Long>> received = new ArrayList<>();
            try {
                for (int c = 0; c < CONNECTIONS; c++) {
                    java.net.Socket socket = new java.net.Socket();
                    socket.setReceiveBufferSize(4096); // before connect, so the window is small from the start
                    socket.connect(server.address(), 10_000);
                    socket.setSoTimeout(20_000);
                    sockets.add(socket);
                    int phase = c * 7919;
                    Thread.ofPlatform().daemon().name("writer-" + c).start(() -> writeMessages(socket, phase));
                    received.add(CompletableFuture.supplyAsync(() -> readSlowly(socket, phase),
                            task -> Thread.ofPlatform().daemon().name("reader").start(task)));
                }
                for (CompletableFuture<Long> connection : received) {
                    assertThat(connection.get(60, TimeUnit.SECONDS)).isEqualTo((long) MESSAGE * MESSAGES);
                }
            } finally {
                for (java.net.Socket socket : sockets) {
                    socket.close();
                }
            }
            assertThat(maxQueued.get()).as("the server queued several chunks, so it sent them in part")
                    .isGreaterThan(2L * LoopBuffers.CHUNK_SIZE);
            assertThat(running.failures).isEmpty();
        }
    }

    private static byte expected(long position, int phase) {
        return (byte) ((position + phase) * 131 >>> 3);
    }

    private static void writeMessages(java.net.Socket socket, int phase) {
        byte[] message = new byte[MESSAGE];
        long position = 0;
        try {
            OutputStream out = socket.getOutputStream();
            for (int m = 0; m < MESSAGES; m++) {
                for (int i = 0; i < MESSAGE; i++) {
                    message[i] = expected(position + i, phase);
                }
                out.write(message);
                position += MESSAGE;
            }
        } catch (java.io.IOException e) {
            // the reader sees the short stream and fails the test
        }
    }

    /** Reads in pieces smaller than a chunk, checking each byte; returns the bytes read. */
    private static long readSlowly(java.net.Socket socket, int phase) {
        byte[] piece = new byte[1000];
        long position = 0;
        long total = (long) MESSAGE * MESSAGES;
        try {
            InputStream in = socket.getInputStream();
            while (position < total) {
                int n = in.read(piece);
                if (n < 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    if (piece[i] != expected(position + i, phase)) {
                        throw new AssertionError("byte " + (position + i) + " of connection phase " + phase
                                + " is " + piece[i] + ", expected " + expected(position + i, phase));
                    }
                }
                position += n;
            }
        } catch (java.io.IOException e) {
            throw new AssertionError("read failed after " + position + " bytes", e);
        }
        return position;
    }
}
