package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a close leaves behind: nothing. The callbacks a close runs may try to start listeners, connects
 * and endpoints, and other loops may hand it connections while it closes; when {@code close()}
 * returns, no socket started on the loop is open and every future it returned is complete.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class LoopCloseTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    @Test
    void whatTheLastCallbacksStartIsClosedOrRefusedWithTheLoop() throws Exception {
        try (RunningLoop peers = RunningLoop.start(backend)) {
            Server target = peers.loop.listen(ANY, () -> new Protocol() { });
            TreeMap<Integer, String> before = OpenSockets.list();
            EventLoop loop = LoopBackends.open(backend);
            List<Object> outcomes = new CopyOnWriteArrayList<>();
            CountDownLatch ran = new CountDownLatch(1);
            loop.callSoon(() -> { // handed over before the close, run by it
                outcomes.add(attempt(() -> loop.listen(ANY, () -> new Protocol() { })));
                outcomes.add(attempt(() -> loop.connect(target.address(), () -> new Protocol() { },
                        Duration.ofSeconds(1))));
                outcomes.add(attempt(() -> loop.openDatagram(ANY, () -> new DatagramProtocol() { })));
                ran.countDown();
            });
            CompletableFuture<Transport> connectBeforeClose =
                    loop.connect(target.address(), () -> new Protocol() { }, Duration.ofSeconds(1));
            loop.close();
            assertThat(ran.getCount()).as("the close ran the callback").isZero();
            for (Object outcome : outcomes) {
                switch (outcome) {
                    case RejectedExecutionException refused -> assertThat(refused).hasMessageContaining("closed");
                    case Server server -> assertThat(server.isServing()).as("a listener it started").isFalse();
                    case CompletableFuture<?> future -> assertThat(future).as("a connect it started").isDone();
                    case DatagramTransport endpoint -> assertThat(endpoint.isClosing()).isTrue();
                    default -> throw new AssertionError("unexpected outcome " + outcome);
                }
            }
            assertThat(connectBeforeClose).as("a connect handed over before the close").isCompletedExceptionally();
            assertNoNewSockets(before);
            target.close();
        }
    }

    @Test
    void aConnectionHandedOverWhileTheLoopClosesIsClosedNotLeaked() throws Exception {
        try (RunningLoop accepting = RunningLoop.start(backend)) {
            EventLoop closing = LoopBackends.open(backend);
            Server server = accepting.call(() -> StreamServer.open(accepting.loop, ANY, () -> new Protocol() { },
                    ServerOptions.defaults(), () -> closing, new ConnectionLimit(0)));
            TreeMap<Integer, String> before = OpenSockets.list();
            AtomicReference<java.net.Socket> client = new AtomicReference<>();
            CountDownLatch handedOver = new CountDownLatch(1);
            closing.callSoon(() -> { // run by the close: a connection reaches the closing loop meanwhile
                try {
                    java.net.Socket socket = new java.net.Socket();
                    socket.connect(server.address(), 10_000);
                    socket.setSoTimeout((int) RunningLoop.WAIT.toMillis());
                    client.set(socket);
                    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
                    while (server.connectionCount() == 0 && System.nanoTime() < deadline) {
                        Thread.onSpinWait();
                    }
                    accepting.call(() -> null); // the accepting loop has finished handing it over
                    handedOver.countDown();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            closing.close();
            assertThat(handedOver.getCount()).isZero();
            try (java.net.Socket socket = client.get()) {
                assertThat(socket.getInputStream().read()).as("the connection is closed, not left open").isEqualTo(-1);
            }
            assertThat(accepting.call(server::connectionCount)).isZero();
            accepting.call(() -> {
                server.close();
                return null;
            });
            assertNoNewSockets(before);
        }
    }

    /** Every socket and anonymous inode open now was open before (others may have closed since). */
    private static void assertNoNewSockets(TreeMap<Integer, String> before) throws Exception {
        TreeMap<Integer, String> after = OpenSockets.list();
        for (Map.Entry<Integer, String> open : after.entrySet()) {
            assertThat(before).as("descriptor %d (%s) was left open", open.getKey(), open.getValue())
                    .containsEntry(open.getKey(), open.getValue());
        }
    }

    /** The call's result, or the exception it threw. */
    private static Object attempt(ThrowingSupplier call) {
        try {
            return call.get();
        } catch (Exception e) {
            return e;
        }
    }

    @FunctionalInterface
    private interface ThrowingSupplier {
        Object get() throws Exception;
    }
}
