package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Fairness under a flood: many bulk senders with a backlog keep the loop busy, and an interactive
 * client's request must not wait behind all of them. Counted in bytes, not time: between the moment
 * the request is sent and the moment the loop reads it, the loop may read at most one iteration's budget
 * from the bulk senders (it read 64 KiB from every one of them first, when each ready connection was
 * read once per iteration).
 */
@Timeout(120)
class BulkTurnsTest {
    private static final int BULK_SENDERS = 64;
    /** What each bulk sender has waiting in the kernel before the loop starts reading them. */
    private static final int BACKLOG = 512 * 1024;
    /** Every bulk sender has been read in full at least once by then, so the loop knows it as one. */
    private static final long TRIGGER_BYTES = 2L * BULK_SENDERS * LoopBuffers.READ_SIZE;

    /** Loop thread only: what the bulk senders' connections have read. */
    private long bulkBytes;
    private long bulkBytesAtRequest = -1;

    /** Counts and drops what a bulk sender sends; once enough came in, the interactive client speaks. */
    private final class Sink implements Protocol {
        private final EventLoop loop;
        private final CountDownLatch made;
        private final Runnable request;

        Sink(EventLoop loop, CountDownLatch made, Runnable request) {
            this.loop = loop;
            this.made = made;
            this.request = request;
        }

        @Override
        public void connectionMade(Transport transport) {
            made.countDown();
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            long before = bulkBytes;
            bulkBytes += data.remaining();
            if (before < TRIGGER_BYTES && bulkBytes >= TRIGGER_BYTES) {
                loop.callSoon(request); // at the end of this iteration, every bulk sender ready again
            }
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.ALL)
    void anInteractiveRequestWaitsForAtMostOneBudgetOfBulkReads(LoopBackend backend) throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        AtomicBoolean pushing = new AtomicBoolean(true);
        List<Socket> bulk = new ArrayList<>();
        try (RunningLoop running = RunningLoop.start(backend);
             Socket interactive = new Socket()) {
            CompletableFuture<Long> readAfter = new CompletableFuture<>();
            Runnable request = () -> {
                bulkBytesAtRequest = bulkBytes;
                try {
                    interactive.getOutputStream().write('?');
                } catch (IOException e) {
                    readAfter.completeExceptionally(e);
                }
            };
            CountDownLatch made = new CountDownLatch(BULK_SENDERS + 1);
            Server sinks = running.loop.listen(any, () -> new Sink(running.loop, made, request),
                    ServerOptions.defaults().withReceiveBufferSize(BACKLOG));
            Server echo = running.loop.listen(any, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    made.countDown();
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    readAfter.complete(bulkBytes - bulkBytesAtRequest);
                }
            });
            for (int i = 0; i < BULK_SENDERS; i++) {
                Socket sender = new Socket();
                sender.setSendBufferSize(BACKLOG);
                sender.connect(sinks.address(), 10_000);
                bulk.add(sender);
            }
            // Accepted after every bulk sender, so its descriptor comes last in poll's and select's order.
            interactive.connect(echo.address(), 10_000);
            assertThat(made.await(60, TimeUnit.SECONDS)).as("every connection is made").isTrue();

            // The loop waits until every bulk sender has its backlog, then finds them all ready at once.
            CountDownLatch backlogged = new CountDownLatch(BULK_SENDERS);
            running.loop.callSoon(() -> awaitQuietly(backlogged));
            for (Socket sender : bulk) {
                Thread.ofPlatform().daemon().name("bulk-sender").start(() -> push(sender, pushing, backlogged));
            }

            long bulkReadBeforeTheRequest = readAfter.get(60, TimeUnit.SECONDS);
            assertThat(bulkBytesAtRequest).isGreaterThanOrEqualTo(TRIGGER_BYTES);
            assertThat(bulkReadBeforeTheRequest)
                    .as("bytes read from bulk senders between the interactive request and its read")
                    .isLessThanOrEqualTo(BulkTurns.BUDGET_BYTES);
            assertThat(running.failures).isEmpty();
        } finally {
            pushing.set(false);
            for (Socket sender : bulk) {
                sender.close();
            }
        }
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            assertThat(latch.await(60, TimeUnit.SECONDS)).as("every bulk sender has a backlog").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Writes 64 KiB at a time until stopped or the connection goes; counts down once past the backlog. */
    private static void push(Socket sender, AtomicBoolean pushing, CountDownLatch backlogged) {
        byte[] chunk = new byte[64 * 1024];
        long written = 0;
        try {
            OutputStream out = sender.getOutputStream();
            while (pushing.get()) {
                out.write(chunk);
                written += chunk.length;
                if (written == BACKLOG) {
                    backlogged.countDown();
                }
            }
        } catch (IOException closed) {
            // The test is over.
        }
    }
}
