package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.testkit.LoopBackends;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The rules of a plain transport over TLS: back-pressure, order of writes from other threads, close
 * after flush, close_notify as end of stream, abort, one connectionLost; and the TLS-only rules:
 * verification, client certificates, ALPN, delegated tasks off the loop, renegotiation refused.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class TlsTransportTest {
    private static final int MIB = 1024 * 1024;

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    /** Writes {@code total} bytes of a known sequence as soon as it connects, then closes. */
    static final class Sender implements Protocol {
        final int total;
        final CompletableFuture<TlsTransport> made = new CompletableFuture<>();
        final CompletableFuture<Throwable> lost = new CompletableFuture<>();
        final AtomicInteger pauses = new AtomicInteger();
        final AtomicLong bufferAtPause = new AtomicLong();
        private Transport transport;
        private int sent;
        private boolean paused;

        Sender(int total) {
            this.total = total;
        }

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
            made.complete((TlsTransport) transport);
            pump();
        }

        private void pump() {
            byte[] chunk = new byte[16 * 1024];
            while (!paused && sent < total) {
                int n = Math.min(chunk.length, total - sent);
                for (int i = 0; i < n; i++) {
                    chunk[i] = (byte) (sent + i);
                }
                transport.write(chunk, 0, n);
                sent += n;
            }
            if (sent == total) {
                transport.close();
            }
        }

        @Override
        public void pauseWriting() {
            paused = true;
            pauses.incrementAndGet();
            bufferAtPause.set(transport.writeBufferSize());
        }

        @Override
        public void resumeWriting() {
            paused = false;
            pump();
        }

        @Override
        public void connectionLost(Throwable cause) {
            lost.complete(cause == null ? new StreamTransportTest.NoError() : cause);
        }
    }

    private static void assertSequence(byte[] data) {
        for (int i = 0; i < data.length; i++) {
            if (data[i] != (byte) i) {
                throw new AssertionError("byte " + i + " is " + data[i] + ", expected " + (byte) i);
            }
        }
    }

    @Test
    void aReaderThatStopsPausesTheWriterAndEverythingArrivesOnceItReads() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            int total = 8 * MIB;
            Sender sender = new Sender(total);
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> sender, ServerOptions.defaults()
                    .withSendBufferSize(64 * 1024), TlsEchoTest.serverSettings());
            TlsEchoTest.Collector reader = new TlsEchoTest.Collector() {
                @Override
                public void connectionMade(Transport transport) {
                    super.connectionMade(transport);
                    transport.pauseReading();
                }
            };
            TlsTransport client = running.loop.connect(server.address(), () -> reader, RunningLoop.WAIT,
                    TlsEchoTest.clientSettings()).get(20, TimeUnit.SECONDS);
            sender.made.get(20, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (sender.pauses.get() == 0 && System.nanoTime() < deadline) {
                running.call(() -> null); // one loop turn at a time until the writer is paused
            }
            assertThat(sender.pauses.get()).as("the writer was paused").isPositive();
            assertThat(sender.bufferAtPause.get()).as("encrypted bytes waiting at the pause")
                    .isGreaterThan(StreamTransport.DEFAULT_HIGH_WATER);
            assertThat(reader.received.size()).isZero();
            client.resumeReading();
            byte[] all = reader.eof.get(20, TimeUnit.SECONDS);
            assertThat(all).hasSize(total);
            assertSequence(all);
            assertThat(sender.lost.get(20, TimeUnit.SECONDS)).isInstanceOf(StreamTransportTest.NoError.class);
            assertThat(reader.events).containsExactly("made", "eof", "lost null");
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void writesFromAnotherThreadArriveInOrderAndCloseAfterThem() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            TlsEchoTest.Collector server = new TlsEchoTest.Collector();
            Server listener = running.loop.listen(TlsEchoTest.ANY, () -> server, ServerOptions.defaults(),
                    TlsEchoTest.serverSettings());
            TlsTransport client = running.loop.connect(listener.address(), TlsEchoTest.Collector::new,
                    RunningLoop.WAIT, TlsEchoTest.clientSettings()).get(20, TimeUnit.SECONDS);
            int messages = 20_000;
            long written = 0;
            for (int i = 0; i < messages; i++) {
                byte[] message = (i + "\n").getBytes(StandardCharsets.US_ASCII);
                if (i % 2 == 0) {
                    client.write(message);
                } else {
                    client.write(ByteBuffer.wrap(message));
                }
                written += message.length;
                if (i == messages / 2) {
                    assertThat(client.writeBufferSize()).isLessThanOrEqualTo(written);
                }
            }
            client.close();
            String text = new String(server.eof.get(20, TimeUnit.SECONDS), StandardCharsets.US_ASCII);
            String[] lines = text.split("\n");
            assertThat(lines).hasSize(messages);
            for (int i = 0; i < messages; i++) {
                assertThat(lines[i]).isEqualTo(Integer.toString(i));
            }
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void theJdksSocketSeesAllTheDataThenTheEnd() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            int total = 3 * MIB;
            Sender sender = new Sender(total);
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> sender, ServerOptions.defaults(),
                    TlsEchoTest.serverSettings());
            try (SSLSocket socket = sslClient(server)) {
                byte[] all = socket.getInputStream().readAllBytes();
                assertThat(all).hasSize(total);
                assertSequence(all);
            }
            assertThat(sender.lost.get(20, TimeUnit.SECONDS)).isInstanceOf(StreamTransportTest.NoError.class);
        }
    }

    @Test
    void writeEofSendsCloseNotifyAndTheOtherSideMayStillAnswerOverTls13() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<String> heard = new CompletableFuture<>();
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> new Protocol() {
                Transport transport;
                final StringBuilder text = new StringBuilder();

                @Override
                public void connectionMade(Transport transport) {
                    this.transport = transport;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    text.append(StandardCharsets.US_ASCII.decode(data));
                }

                @Override
                public boolean eofReceived() {
                    heard.complete(text.toString());
                    transport.write(("got " + text).getBytes(StandardCharsets.US_ASCII));
                    transport.close();
                    return true;
                }
            }, ServerOptions.defaults(), TlsEchoTest.serverSettings());
            TlsEchoTest.Collector client = new TlsEchoTest.Collector();
            TlsTransport transport = running.loop.connect(server.address(), () -> client, RunningLoop.WAIT,
                    TlsEchoTest.clientSettings()).get(20, TimeUnit.SECONDS);
            running.call(() -> {
                transport.write("question".getBytes(StandardCharsets.US_ASCII));
                transport.writeEof();
                assertThatThrownBy(() -> transport.write(new byte[1])).isInstanceOf(IllegalStateException.class);
                return null;
            });
            assertThat(heard.get(20, TimeUnit.SECONDS)).isEqualTo("question");
            assertThat(new String(client.eof.get(20, TimeUnit.SECONDS), StandardCharsets.US_ASCII))
                    .isEqualTo("got question");
            assertThat(client.lost.get(20, TimeUnit.SECONDS)).isInstanceOf(StreamTransportTest.NoError.class);
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void abortResetsAtOnceAndEachSideHearsOfItOnce() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            List<String> serverLost = new CopyOnWriteArrayList<>();
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> new Protocol() {
                Transport transport;

                @Override
                public void connectionMade(Transport transport) {
                    this.transport = transport;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    transport.write(new byte[100_000]);
                    transport.abort();
                    transport.close();
                    transport.abort();
                }

                @Override
                public void connectionLost(Throwable cause) {
                    serverLost.add(String.valueOf(cause));
                }
            }, ServerOptions.defaults(), TlsEchoTest.serverSettings());
            TlsEchoTest.Collector client = new TlsEchoTest.Collector();
            TlsTransport transport = running.loop.connect(server.address(), () -> client, RunningLoop.WAIT,
                    TlsEchoTest.clientSettings()).get(20, TimeUnit.SECONDS);
            transport.write(new byte[] {1});
            Throwable cause = client.lost.get(20, TimeUnit.SECONDS);
            assertThat(cause).as("a reset, not an orderly end").isInstanceOf(IOException.class);
            running.call(() -> null);
            assertThat(serverLost).containsExactly("null");
            assertThat(client.events).doesNotContain("eof");
            assertThat(server.connectionCount()).isZero();
        }
    }

    @Test
    void hostnameVerificationRefusesAnotherNameUnlessTurnedOff() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(TlsEchoTest.ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults(), TlsEchoTest.serverSettings());
            TlsSettings other = TlsSettings.client(TestPki.clientContext(TestPki.CA), "example.com");
            assertThatThrownBy(() -> running.loop.connect(server.address(), TlsEchoTest.Collector::new,
                    RunningLoop.WAIT, other).get(20, TimeUnit.SECONDS))
                    .cause().isInstanceOf(SSLHandshakeException.class)
                    .hasMessageStartingWith("handshake failed: ").hasMessageContaining("example.com");
            TlsTransport unverified = running.loop.connect(server.address(), TlsEchoTest.Collector::new,
                    RunningLoop.WAIT, other.withHostnameVerification(false)).get(20, TimeUnit.SECONDS);
            unverified.close();
            // No name given: the IP address connected to is matched against the certificate's.
            TlsSettings byAddress = TlsSettings.client(TestPki.clientContext(TestPki.CA), null);
            TlsTransport verified = running.loop.connect(server.address(), TlsEchoTest.Collector::new,
                    RunningLoop.WAIT, byAddress).get(20, TimeUnit.SECONDS);
            assertThat(verified.tlsSession().peerCertificates()).first().isEqualTo(TestPki.SERVER.certificate());
            verified.close();
        }
    }

    @Test
    void aServerThatNeedsClientCertificatesRefusesAClientWithoutOne() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<TlsSession> seen = new CompletableFuture<>();
            TlsSettings settings = TlsSettings.server(TestPki.context(TestPki.SERVER, TestPki.CA))
                    .withClientAuth(TlsSettings.ClientAuth.NEED);
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    seen.complete(((TlsTransport) transport).tlsSession());
                }
            }, ServerOptions.defaults(), settings);
            // Over TLS 1.3 the client learns of the refusal after its own handshake, with its first read.
            TlsEchoTest.Collector anonymous = new TlsEchoTest.Collector();
            CompletableFuture<TlsTransport> refused = running.loop.connect(server.address(), () -> anonymous,
                    RunningLoop.WAIT, TlsEchoTest.clientSettings().withProtocols("TLSv1.2"));
            assertThatThrownBy(() -> refused.get(20, TimeUnit.SECONDS)).cause()
                    .isInstanceOf(SSLHandshakeException.class).hasMessageStartingWith("handshake failed: ");
            TlsSettings withCertificate = TlsSettings.client(TestPki.context(TestPki.CLIENT, TestPki.CA), "localhost");
            running.loop.connect(server.address(), TlsEchoTest.Collector::new, RunningLoop.WAIT, withCertificate)
                    .get(20, TimeUnit.SECONDS);
            assertThat(seen.get(20, TimeUnit.SECONDS).peerCertificates()).first()
                    .isEqualTo(TestPki.CLIENT.certificate());
        }
    }

    @Test
    void alpnWithNoProtocolInCommonIsRefused() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(TlsEchoTest.ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults(), TlsEchoTest.serverSettings().withApplicationProtocols("h2"));
            assertThatThrownBy(() -> running.loop.connect(server.address(), TlsEchoTest.Collector::new,
                    RunningLoop.WAIT, TlsEchoTest.clientSettings().withApplicationProtocols("echo/1"))
                    .get(20, TimeUnit.SECONDS)).cause().isInstanceOf(SSLHandshakeException.class)
                    .hasMessageStartingWith("handshake failed: ");
            TlsTransport none = running.loop.connect(server.address(), TlsEchoTest.Collector::new,
                    RunningLoop.WAIT, TlsEchoTest.clientSettings()).get(20, TimeUnit.SECONDS);
            assertThat(none.tlsSession().applicationProtocol()).isNull();
        }
    }

    @Test
    void delegatedTasksRunOffTheLoopAndASlowOneHoldsOnlyItsConnection() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Thread loopThread = running.call(Thread::currentThread);
            List<Thread> taskThreads = new CopyOnWriteArrayList<>();
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger jobs = new AtomicInteger();
            Executor slowFirst = job -> Thread.ofPlatform().start(() -> {
                taskThreads.add(Thread.currentThread());
                if (jobs.getAndIncrement() == 0) {
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                job.run();
            });
            Server server = running.loop.listen(TlsEchoTest.ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults(), TlsEchoTest.serverSettings().withTaskExecutor(slowFirst));
            CompletableFuture<TlsTransport> first = running.loop.connect(server.address(),
                    TlsEchoTest.Collector::new, RunningLoop.WAIT, TlsEchoTest.clientSettings());
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (jobs.get() == 0 && System.nanoTime() < deadline) {
                running.call(() -> null);
            }
            assertThat(jobs.get()).as("the first handshake's task is held").isEqualTo(1);
            TlsTransport second = running.loop.connect(server.address(), TlsEchoTest.Collector::new,
                    RunningLoop.WAIT, TlsEchoTest.clientSettings()).get(20, TimeUnit.SECONDS);
            assertThat(first).isNotDone();
            second.close();
            release.countDown();
            first.get(20, TimeUnit.SECONDS).close();
            assertThat(taskThreads).isNotEmpty().doesNotContain(loopThread);
        }
    }

    @Test
    void renegotiationIsRefused() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<Throwable> lost = new CompletableFuture<>();
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> new Protocol() {
                Transport transport;

                @Override
                public void connectionMade(Transport transport) {
                    this.transport = transport;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    transport.write(data);
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }
            }, ServerOptions.defaults(), TlsEchoTest.serverSettings());
            try (SSLSocket socket = sslClient(server)) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                socket.getOutputStream().write(1);
                assertThat(socket.getInputStream().read()).isEqualTo(1);
                assertThatThrownBy(() -> {
                    socket.startHandshake(); // the JDK renegotiates over TLS 1.2
                    socket.getOutputStream().write(2);
                    socket.getInputStream().read();
                }).isInstanceOfAny(SSLException.class, SocketException.class, IOException.class);
            }
            assertThat(lost.get(20, TimeUnit.SECONDS)).isInstanceOf(SSLException.class)
                    .hasMessageContaining("renegotiation");
        }
    }

    @Test
    void recordsThatFailToDecryptEndTheConnectionWithAnAlertAndOthersGoOn() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CompletableFuture<Throwable> lost = new CompletableFuture<>();
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> new Protocol() {
                Transport transport;

                @Override
                public void connectionMade(Transport transport) {
                    this.transport = transport;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    transport.write(data);
                }

                @Override
                public void connectionLost(Throwable cause) {
                    if (cause != null) {
                        lost.complete(cause);
                    }
                }
            }, ServerOptions.defaults(), TlsEchoTest.serverSettings());
            TlsEchoTest.Collector bystander = new TlsEchoTest.Collector();
            bystander.expected = 3;
            TlsTransport other = running.loop.connect(server.address(), () -> bystander, RunningLoop.WAIT,
                    TlsEchoTest.clientSettings()).get(20, TimeUnit.SECONDS);
            try (java.net.Socket plain = StreamTransportTest.client(server);
                    SSLSocket tls = (SSLSocket) TestPki.clientContext(TestPki.CA).getSocketFactory()
                            .createSocket(plain, "localhost", plain.getPort(), false)) {
                tls.getOutputStream().write(7);
                assertThat(tls.getInputStream().read()).isEqualTo(7);
                byte[] record = new byte[5 + 64];
                new Random(3).nextBytes(record);
                record[0] = 23; // application data
                record[1] = 3;
                record[2] = 3;
                record[3] = 0;
                record[4] = 64;
                plain.getOutputStream().write(record);
                InputStream in = plain.getInputStream();
                int first = in.read();
                assertThat(first).as("an alert record (21), or one encrypted as application data (23)")
                        .isIn(21, 23);
                in.readAllBytes(); // then the end of the stream
            }
            assertThat(lost.get(20, TimeUnit.SECONDS)).isInstanceOf(SSLException.class)
                    .hasMessageStartingWith("TLS error: ").hasMessageNotContaining("\n");
            other.write("abc".getBytes(StandardCharsets.US_ASCII));
            assertThat(bystander.got.get(20, TimeUnit.SECONDS)).asString().isEqualTo("abc");
        }
    }

    @Test
    void cancellingAConnectDuringItsHandshakeMakesNoProtocol() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            CountDownLatch release = new CountDownLatch(1);
            Executor held = job -> Thread.ofPlatform().start(() -> {
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                job.run();
            });
            Server server = running.loop.listen(TlsEchoTest.ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults(), TlsEchoTest.serverSettings());
            AtomicInteger made = new AtomicInteger();
            CompletableFuture<TlsTransport> connect = running.loop.connect(server.address(), () -> {
                made.incrementAndGet();
                return new TlsEchoTest.Collector();
            }, RunningLoop.WAIT, TlsEchoTest.clientSettings().withTaskExecutor(held));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.connectionCount() == 0 && System.nanoTime() < deadline) {
                running.call(() -> null);
            }
            assertThat(connect.cancel(false)).isTrue();
            release.countDown();
            deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            while (server.connectionCount() > 0 && System.nanoTime() < deadline) {
                running.call(() -> null);
            }
            assertThat(server.connectionCount()).isZero();
            assertThat(made.get()).isZero();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void closingTheLoopEndsTlsConnectionsWithOneConnectionLostEach() throws Exception {
        RunningLoop running = RunningLoop.start(backend);
        StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
        Server server = running.loop.listen(TlsEchoTest.ANY, () -> echo, ServerOptions.defaults(),
                TlsEchoTest.serverSettings());
        TlsEchoTest.Collector client = new TlsEchoTest.Collector();
        running.loop.connect(server.address(), () -> client, RunningLoop.WAIT, TlsEchoTest.clientSettings())
                .get(20, TimeUnit.SECONDS);
        echo.made.get(20, TimeUnit.SECONDS);
        running.close();
        assertThat(echo.lost).isDone();
        assertThat(client.lost).isDone();
        assertThat(client.events).containsExactly("made", "lost null");
    }

    @Test
    void settingsMeantForTheOtherSideAreRefusedAtOnce() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            assertThatThrownBy(() -> running.loop.listen(TlsEchoTest.ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults(), TlsEchoTest.clientSettings()))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> running.loop.connect(TlsEchoTest.ANY, StreamTransportTest.Echo::new,
                    RunningLoop.WAIT, TlsEchoTest.serverSettings())).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> running.loop.listen(TlsEchoTest.ANY, StreamTransportTest.Echo::new,
                    ServerOptions.defaults(), TlsEchoTest.serverSettings().withProtocols("TLSv1.4")))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("TLSv1.4");
        }
    }

    static SSLSocket sslClient(Server server) throws IOException {
        SSLSocket socket = (SSLSocket) TestPki.clientContext(TestPki.CA).getSocketFactory().createSocket();
        socket.connect(server.address(), 10_000);
        socket.setSoTimeout(20_000);
        return socket;
    }
}
