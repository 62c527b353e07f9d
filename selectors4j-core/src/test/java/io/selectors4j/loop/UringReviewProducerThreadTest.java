package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.LoopBackends;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of the watermarks with a producer on another thread, which the Transport rules invite
 * ({@code writeBufferSize} counts its writes not yet taken by the loop "so a producer thread can
 * throttle on it"): every pauseWriting must be followed by a resumeWriting once the peer has read,
 * even when the loop sends the handed-over bytes straight to the socket.
 */
class UringReviewProducerThreadTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    private static final int TOTAL = 32 * 1024 * 1024;
    private static final int PIECE = 8 * 1024;
    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aProducerThreadPausedByTheHighWaterMarkIsAlwaysResumed(LoopBackend backend) throws Exception {
        CompletableFuture<Transport> made = new CompletableFuture<>();
        Gate gate = new Gate();
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transport.setWriteBufferLimits(16 * 1024, 4 * 1024); // a producer of 8 KiB pieces passes it often
                    made.complete(transport);
                }

                @Override
                public void pauseWriting() {
                    gate.close();
                }

                @Override
                public void resumeWriting() {
                    gate.open();
                }
            });
            try (Socket client = Clients.connect(((InetSocketAddress) server.address()).getPort())) {
                Transport transport = made.get(20, TimeUnit.SECONDS);
                CompletableFuture<Void> produced = CompletableFuture.runAsync(() -> {
                    byte[] piece = new byte[PIECE];
                    try {
                        for (int sent = 0; sent < TOTAL; sent += PIECE) {
                            gate.awaitOpen();
                            transport.write(piece);
                        }
                    } finally {
                        transport.close(); // on a failure too: the reader below sees the end
                    }
                }, command -> Thread.ofPlatform().start(command));
                // The reader starts once the producer has been paused: a fast reader from the start
                // could keep the queue under the mark throughout, on epoll, and test nothing.
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                while (gate.pauses.get() == 0 && System.nanoTime() < deadline && !produced.isDone()) {
                    Thread.onSpinWait();
                }
                InputStream in = client.getInputStream();
                byte[] sink = new byte[256 * 1024];
                long received = 0;
                int n;
                while ((n = in.read(sink)) >= 0) { // a fast reader
                    received += n;
                }
                try {
                    produced.get(20, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new AssertionError("after " + received + " of " + TOTAL + " bytes: " + e.getCause().getMessage(),
                            e.getCause());
                }
                assertThat(received).isEqualTo(TOTAL);
                assertThat(gate.pauses.get()).as("pauseWriting calls (the test needs some)").isPositive();
            }
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    /** Open while the protocol may write; the producer waits at it, 5 s at most. */
    private static final class Gate {
        final AtomicInteger pauses = new AtomicInteger();
        private boolean closed;

        synchronized void close() {
            closed = true;
            pauses.incrementAndGet();
        }

        synchronized void open() {
            closed = false;
            notifyAll();
        }

        synchronized void awaitOpen() {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            try {
                while (closed) {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        throw new AssertionError("paused by pauseWriting and never resumed");
                    }
                    TimeUnit.NANOSECONDS.timedWait(this, left);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }
}
