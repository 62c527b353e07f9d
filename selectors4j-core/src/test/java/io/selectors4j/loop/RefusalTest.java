package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.net.Pipe;
import io.selectors4j.testkit.LoopBackends;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One rule per method once the loop, a transport or an endpoint has ended, the same on the loop thread
 * and on any other (the refusal tables of {@link EventLoop}, {@link Transport} and
 * {@link DatagramTransport}).
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class RefusalTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** What each loop method must do on a closed loop. */
    private static final Map<String, String> LOOP_RULES = new LinkedHashMap<>();

    static {
        for (String method : List.of("callSoon", "callLater", "callAt", "listen", "connect", "openDatagram",
                "openDatagram(remote)", "addReader", "addWriter")) {
            LOOP_RULES.put(method, "refused");
        }
        LOOP_RULES.put("removeReader", "false");
        LOOP_RULES.put("removeWriter", "false");
        LOOP_RULES.put("stop", "done");
        LOOP_RULES.put("close", "done");
        LOOP_RULES.put("run", "IllegalStateException");
        LOOP_RULES.put("Server.close", "done");
        LOOP_RULES.put("Server.shutdown", "completed");
        LOOP_RULES.put("Server.isServing", "false");
    }

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    @Test
    void aClosedLoopRefusesWorkTheSameWayOnItsOwnThreadAndOnAnyOther() throws Exception {
        EventLoop loop = LoopBackends.open(backend);
        List<String> failures = new CopyOnWriteArrayList<>();
        loop.setCallbackErrorHandler((origin, error) -> failures.add(origin + ": " + error));
        try (Pipe pipe = Pipe.open()) {
            CompletableFuture<Map<String, String>> duringClose = new CompletableFuture<>();
            Server server = loop.listen(ANY, () -> new Protocol() { });
            loop.openDatagram(ANY, () -> new DatagramProtocol() {
                @Override
                public void connectionLost(Throwable cause) { // run by the close, on the closing thread
                    duringClose.complete(loop.inLoop() ? tryEveryLoopMethod(loop, pipe, server)
                            : Map.of("inLoop", "false"));
                }
            });
            loop.stop();
            loop.run(); // one iteration: the endpoint starts
            loop.close();
            assertThat(duringClose.get(20, TimeUnit.SECONDS)).as("on the loop thread, during the close")
                    .containsExactlyEntriesOf(LOOP_RULES);
            CompletableFuture<Map<String, String>> elsewhere = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> elsewhere.complete(tryEveryLoopMethod(loop, pipe, server)));
            assertThat(elsewhere.get(20, TimeUnit.SECONDS)).as("on another thread, after the close")
                    .containsExactlyEntriesOf(LOOP_RULES);
            assertThat(failures).isEmpty();
        }
    }

    @Test
    void aWriteAfterWriteEofIsRefusedOnTheCallersThreadWhicheverThreadCalledWriteEof() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            BlockingQueue<Transport> made = new LinkedBlockingQueue<>();
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    made.add(transport);
                }

                @Override
                public boolean eofReceived() {
                    return true;
                }
            });
            for (boolean eofOnLoop : new boolean[] {true, false}) {
                for (boolean writeOnLoop : new boolean[] {true, false}) {
                    String where = "writeEof " + (eofOnLoop ? "on" : "off") + " the loop, write "
                            + (writeOnLoop ? "on" : "off") + " the loop";
                    try (java.net.Socket client = StreamTransportTest.client(server)) {
                        Transport transport = made.poll(20, TimeUnit.SECONDS);
                        assertThat(transport).as("connection made").isNotNull();
                        ThrowingRun writeThenEof = () -> {
                            transport.write("abc".getBytes(StandardCharsets.US_ASCII));
                            transport.writeEof();
                        };
                        assertThat(eofOnLoop ? attemptOnLoop(running, writeThenEof) : attempt(writeThenEof)).isNull();
                        Throwable thrown = writeOnLoop ? attemptOnLoop(running, () -> transport.write(new byte[1]))
                                : attempt(() -> transport.write(ByteBuffer.allocate(1)));
                        assertThat(thrown).as(where).isInstanceOf(IllegalStateException.class)
                                .hasMessageContaining("writeEof");
                        InputStream in = client.getInputStream();
                        assertThat(new String(in.readAllBytes(), StandardCharsets.US_ASCII))
                                .as("%s: what was written before writeEof, then the end of stream", where)
                                .isEqualTo("abc");
                        transport.close();
                    }
                }
            }
            running.call(() -> null);
            assertThat(running.failures).isEmpty();
            server.close();
        }
    }

    /**
     * A writer thread races writeEof made on another thread (or on the loop): each write either throws
     * or has its bytes arrive before the end of stream, never lost nor sent after it.
     */
    @Test
    void writesRacingWriteEofAreEitherSentBeforeTheEndOrRefused() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            BlockingQueue<Transport> made = new LinkedBlockingQueue<>();
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    made.add(transport);
                }

                @Override
                public boolean eofReceived() {
                    return true;
                }
            });
            for (int round = 0; round < 200; round++) {
                try (java.net.Socket client = StreamTransportTest.client(server)) {
                    Transport transport = made.poll(20, TimeUnit.SECONDS);
                    assertThat(transport).isNotNull();
                    CompletableFuture<Integer> accepted = new CompletableFuture<>();
                    Thread writer = Thread.ofPlatform().start(() -> {
                        int count = 0;
                        try {
                            while (count < 20_000) {
                                transport.write(new byte[] {7});
                                count++;
                            }
                        } catch (IllegalStateException afterEof) {
                            // refused: this byte and the later ones were never accepted
                        }
                        accepted.complete(count);
                    });
                    if (round % 2 == 0) {
                        transport.writeEof();
                    } else {
                        running.loop.callSoon(transport::writeEof);
                    }
                    byte[] received = client.getInputStream().readAllBytes();
                    writer.join(20_000);
                    assertThat(received.length).as("round %d: bytes before the end of stream", round)
                            .isEqualTo(accepted.get(20, TimeUnit.SECONDS));
                    transport.close();
                }
            }
            assertThat(running.failures).isEmpty();
            server.close();
        }
    }

    @Test
    void writesAfterCloseAreDroppedSilentlyOnEveryThread() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
            Server server = running.loop.listen(ANY, () -> echo);
            try (java.net.Socket client = StreamTransportTest.client(server)) {
                Transport transport = echo.made.get(20, TimeUnit.SECONDS);
                transport.close();
                echo.lost.get(20, TimeUnit.SECONDS);
                ByteBuffer buffer = ByteBuffer.allocate(10);
                assertThat(attempt(() -> transport.write(new byte[10]))).isNull();
                assertThat(attempt(() -> transport.write(buffer))).isNull();
                assertThat(buffer.hasRemaining()).as("a dropped buffer is still consumed").isFalse();
                assertThat(attemptOnLoop(running, () -> {
                    transport.write(new byte[10]);
                    transport.write(ByteBuffer.allocate(10));
                    transport.writeEof();
                    transport.pauseReading();
                    transport.resumeReading();
                    transport.setWriteBufferLimits(10, 5);
                    transport.close();
                    transport.abort();
                })).isNull();
                assertThat(attempt(() -> {
                    transport.writeEof();
                    transport.abort();
                    transport.setWriteBufferLimits(10, 5);
                })).isNull();
                assertThat(client.getInputStream().read()).isEqualTo(-1);
            }
            running.call(() -> null);
            assertThat(running.failures).isEmpty();
            server.close();
        }
    }

    @Test
    void sendsAfterCloseAreDroppedSilentlyOnEveryThreadAndBadTargetsRefusedAtTheCall() throws Exception {
        List<Throwable> errors = new CopyOnWriteArrayList<>();
        DatagramProtocol protocol = new DatagramProtocol() {
            @Override
            public void errorReceived(IOException error) {
                errors.add(error);
            }
        };
        SocketAddress somewhere = new InetSocketAddress(InetAddress.getLoopbackAddress(), 9);
        try (RunningLoop running = RunningLoop.start(backend)) {
            DatagramTransport endpoint = running.loop.openDatagram(ANY, () -> protocol);
            for (SocketAddress bad : new SocketAddress[] {InetSocketAddress.createUnresolved("nowhere.invalid", 9),
                    UnixDomainSocketAddress.of("/tmp/none")}) {
                assertThat(attempt(() -> endpoint.sendTo(new byte[1], 0, 1, bad)))
                        .isInstanceOf(IllegalArgumentException.class);
                assertThat(attemptOnLoop(running, () -> endpoint.sendTo(ByteBuffer.allocate(1), bad)))
                        .isInstanceOf(IllegalArgumentException.class);
            }
            endpoint.close();
            assertThat(attempt(() -> endpoint.sendTo(new byte[4], 0, 4, somewhere))).isNull();
            ByteBuffer buffer = ByteBuffer.allocate(4);
            assertThat(attempt(() -> endpoint.sendTo(buffer, somewhere))).isNull();
            assertThat(buffer.hasRemaining()).isFalse();
            assertThat(attemptOnLoop(running, () -> {
                endpoint.sendTo(new byte[4], 0, 4, somewhere);
                endpoint.sendTo(ByteBuffer.allocate(4), somewhere);
                endpoint.close();
            })).isNull();
            running.call(() -> null);
            assertThat(running.failures).isEmpty();
        }
        EventLoop loop = LoopBackends.open(backend);
        DatagramTransport orphan = loop.openDatagram(ANY, () -> protocol);
        loop.close(); // the endpoint's loop is gone: sends from other threads are dropped, not thrown
        assertThat(attempt(() -> orphan.sendTo(new byte[4], 0, 4, somewhere))).isNull();
        assertThat(attempt(() -> orphan.sendTo(ByteBuffer.allocate(4), somewhere))).isNull();
        assertThat(errors).isEmpty();
    }

    @Test
    void writesToATransportWhoseLoopClosedAreDroppedSilently() throws Exception {
        RunningLoop running = RunningLoop.start(backend);
        StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
        Server server = running.loop.listen(ANY, () -> echo);
        try (java.net.Socket client = StreamTransportTest.client(server)) {
            Transport transport = echo.made.get(20, TimeUnit.SECONDS);
            running.close();
            assertThat(attempt(() -> {
                transport.write(new byte[10]);
                transport.write(ByteBuffer.allocate(10));
                transport.close();
                transport.pauseReading();
            })).isNull();
            assertThat(server.shutdown(Duration.ofSeconds(30))).succeedsWithin(Duration.ofSeconds(20));
        }
        assertThat(running.failures).isEmpty();
    }

    private static Map<String, String> tryEveryLoopMethod(EventLoop loop, Pipe pipe, Server server) {
        Map<String, String> outcomes = new LinkedHashMap<>();
        outcomes.put("callSoon", outcome(() -> loop.callSoon(() -> { })));
        outcomes.put("callLater", outcome(() -> loop.callLater(Duration.ZERO, () -> { })));
        outcomes.put("callAt", outcome(() -> loop.callAt(loop.time(), () -> { })));
        outcomes.put("listen", outcome(() -> loop.listen(ANY, () -> new Protocol() { })));
        outcomes.put("connect", outcome(() -> loop.connect(ANY, () -> new Protocol() { }, null)));
        outcomes.put("openDatagram", outcome(() -> loop.openDatagram(ANY, () -> new DatagramProtocol() { })));
        outcomes.put("openDatagram(remote)", outcome(() -> loop.openDatagram(ANY, ANY, () -> new DatagramProtocol() { })));
        outcomes.put("addReader", outcome(() -> loop.addReader(pipe.source(), () -> { })));
        outcomes.put("addWriter", outcome(() -> loop.addWriter(pipe.sink(), () -> { })));
        outcomes.put("removeReader", outcome(() -> loop.removeReader(pipe.source())));
        outcomes.put("removeWriter", outcome(() -> loop.removeWriter(pipe.sink())));
        outcomes.put("stop", outcome(loop::stop));
        outcomes.put("close", outcome(loop::close));
        outcomes.put("run", outcome(loop::run));
        outcomes.put("Server.close", outcome(server::close));
        outcomes.put("Server.shutdown", server.shutdown(Duration.ofMinutes(1)).isDone() ? "completed" : "pending");
        outcomes.put("Server.isServing", Boolean.toString(server.isServing()));
        return outcomes;
    }

    /** "refused", "done", the value returned, or the simple name of what was thrown. */
    private static String outcome(ThrowingCall call) {
        try {
            Object value = call.call();
            return value == null ? "done" : value instanceof Boolean ? value.toString() : "returned " + value;
        } catch (RejectedExecutionException e) {
            return e.getMessage().contains("closed") ? "refused" : e.toString();
        } catch (Exception e) {
            return e.getClass().getSimpleName();
        }
    }

    private static Throwable attempt(ThrowingRun run) {
        try {
            run.run();
            return null;
        } catch (Exception e) {
            return e;
        }
    }

    private static Throwable attemptOnLoop(RunningLoop running, ThrowingRun run) throws Exception {
        return running.call(() -> attempt(run));
    }

    @FunctionalInterface
    private interface ThrowingCall {
        Object call() throws Exception;

        /** A call returning nothing, as a {@link ThrowingCall}. */
        static ThrowingCall of(ThrowingRun run) {
            return () -> {
                run.run();
                return null;
            };
        }
    }

    @FunctionalInterface
    private interface ThrowingRun {
        void run() throws Exception;
    }

    private static String outcome(ThrowingRun run) {
        return outcome(ThrowingCall.of(run));
    }
}
