package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.common.Program;
import io.selectors4j.apps.tls.Credentials;
import io.selectors4j.apps.tls.PemFixtures;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.Ports;
import io.selectors4j.testkit.TlsRecords;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Hostile TLS clients against {@code s4j serve}'s echo over TLS (a 2-second handshake timeout): 1,000
 * connections that never send a ClientHello, garbage instead of one, handshakes stopped half-way,
 * clients that never read, and random records after the handshake. Each is dropped with its slot, its
 * descriptor and its memory freed, the heap stays within its bound, and a well-behaved TLS client is
 * served throughout (its p99 printed, not asserted: timing is the benchmarks' business).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class TlsHostileClientsTest {
    private static final int SILENT = 1_000;
    private static final String HANDSHAKE_TIMEOUT = "2";
    /** The heap of an idle TLS server: classes, picocli, BouncyCastle, the JDK's TLS context. */
    private static final long BASE_HEAP_KIB = 48 * 1024;
    /**
     * What one connection may hold, in KiB: before its handshake, its transports and engine (under 16);
     * after it, an echo that stopped reading holds its encrypted queue (the 64 KiB mark plus one batch of
     * records), ciphertext read before the pause (up to one 64 KiB read) and its engine.
     */
    private static final long WAITING_KIB = 16;
    private static final long NON_READER_KIB = 64 + 80 + 64 + 16;

    private Path dir;
    private Credentials credentials;
    private SSLContext trusting;
    private ChildJvm server;
    private LatencyProbe probe;
    private int baselineFds;
    private long boundKib;

    @BeforeAll
    void startServer() throws IOException {
        dir = Files.createTempDirectory("s4j-tls-hostile");
        credentials = PemFixtures.ec();
        Path certificate = PemFixtures.writeCertificates(credentials, dir.resolve("server.pem"));
        Path key = PemFixtures.writeKey(credentials, PemFixtures.KeyForm.PKCS8, dir.resolve("server-key.pem"));
        trusting = TlsClients.trusting(credentials.chain().getFirst());
        boundKib = BASE_HEAP_KIB + SILENT * WAITING_KIB + 200 * NON_READER_KIB;
        server = ChildJvm.startServer(Program.server(port -> List.of(
                "serve", "--quiet", "--echo-port", Integer.toString(port), "--time-port", "0", "--chat-port", "0",
                "--max-connections", "1000000", "--tls-cert", certificate.toString(), "--tls-key", key.toString(),
                "--tls-handshake-timeout", HANDSHAKE_TIMEOUT), "echo: listening on 127\\.0\\.0\\.1 port PORT \\(TLS\\)",
                Ports.Kind.TCP).withOpenFiles(Limits.hardOpenFiles()).withMaxHeap(boundKib + "k"));
        probe = TlsClients.probe(trusting, server.port(), 64);
        probe.roundTrips(Duration.ofSeconds(1));
        server.heapUsedAfterGcKib(); // jcmd's first visit opens the JVM's attach socket: part of the baseline
        baselineFds = server.steadyOpenFds();
    }

    @AfterAll
    void stopServer() throws IOException {
        probe.close();
        assertThat(server.terminate()).as("exit code on SIGTERM").isZero();
    }

    /** After every attack: still serving TLS, no descriptor kept, nothing on stderr. */
    @AfterEach
    void serverRecovered() throws IOException {
        assertThat(server.alive()).as("server alive; stderr %s", server.stderr()).isTrue();
        try (LatencyProbe fresh = TlsClients.probe(trusting, server.port(), 1000)) {
            fresh.roundTrips(Duration.ofMillis(200));
        }
        assertThat(server.awaitOpenFdsAtMost(baselineFds + 1)).as("open descriptors (the probe's is one)")
                .isLessThanOrEqualTo(baselineFds + 1);
        assertThat(server.unexpectedStderr()).as("stderr").isEmpty();
    }

    @Test
    void aThousandConnectionsThatNeverSendAClientHelloAreFreedByTheHandshakeTimeout() throws Exception {
        Histogram before = probe.roundTrips(Duration.ofSeconds(1));
        long emptyKib = server.heapUsedAfterGcKib();
        List<Socket> silent = new ArrayList<>();
        try {
            for (int i = 0; i < SILENT; i++) {
                silent.add(Clients.connect(server.port()));
            }
            long heldKib = server.heapUsedAfterGcKib();
            Histogram during = probe.roundTrips(Duration.ofSeconds(1));
            for (Socket socket : silent) {
                assertThat(closedByServer(socket)).as("a silent client is dropped, sent nothing").isZero();
            }
            System.out.printf("tls silent: %d held %d KiB of heap (%d B each); probe p99 %d us before, %d us while "
                    + "they were held%n", SILENT, heldKib, (heldKib - emptyKib) * 1024 / SILENT,
                    before.getValueAtPercentile(99), during.getValueAtPercentile(99));
            assertThat(heldKib).as("heap with %d silent connections, KiB", SILENT).isLessThanOrEqualTo(boundKib);
        } finally {
            for (Socket socket : silent) {
                socket.close();
            }
        }
    }

    @Test
    void garbageInsteadOfAClientHelloIsAnsweredWithAnAlertAndDropped() throws Exception {
        Random random = new Random(19);
        for (int i = 0; i < 200; i++) {
            try (Socket socket = Clients.connect(server.port())) {
                byte[] garbage = new byte[1 + random.nextInt(2000)];
                random.nextBytes(garbage);
                if (i % 4 == 0) {
                    garbage = "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
                }
                socket.getOutputStream().write(garbage);
                byte[] answer = readToEnd(socket);
                if (answer.length > 0) {
                    assertThat(answer[0]).as("an alert record, if anything").isEqualTo((byte) 21);
                }
            }
        }
        probe.roundTrips(Duration.ofMillis(200));
    }

    @Test
    void handshakesStoppedHalfWayAreFreedByTheHandshakeTimeout() throws Exception {
        List<Socket> stalled = new ArrayList<>();
        try {
            for (int i = 0; i < 200; i++) {
                Socket socket = Clients.connect(server.port());
                stalled.add(socket);
                socket.getOutputStream().write(TlsRecords.clientHello(trusting, "localhost", server.port()));
            }
            for (Socket socket : stalled) {
                InputStream in = socket.getInputStream();
                assertThat(in.read()).as("the server's first flight: a handshake record").isEqualTo(22);
                readToEnd(socket); // the rest of its flight, then the end once the timeout drops it
            }
        } finally {
            for (Socket socket : stalled) {
                socket.close();
            }
        }
    }

    @Test
    void clientsThatNeverReadHoldBoundedMemory() throws Exception {
        int clients = 200;
        long emptyKib = server.heapUsedAfterGcKib();
        List<SSLSocket> nonReaders = new ArrayList<>();
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> writing = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                SSLSocket tls = TlsClients.handshaken(trusting, Clients.connect(server.port()));
                nonReaders.add(tls);
                writing.add(writers.submit(() -> sendUntilStuck(tls)));
            }
            Histogram during = probe.roundTrips(Duration.ofSeconds(2));
            long heapKib = server.heapUsedAfterGcKib();
            System.out.printf("tls non-readers: %d hold %d KiB of heap (%d KiB each, bound %d KiB each); probe p99 "
                    + "%d us%n", clients, heapKib, (heapKib - emptyKib) / clients, NON_READER_KIB,
                    during.getValueAtPercentile(99));
            assertThat(heapKib).as("heap with %d TLS clients that never read, KiB", clients)
                    .isLessThanOrEqualTo(BASE_HEAP_KIB + clients * NON_READER_KIB);
            for (SSLSocket socket : nonReaders) {
                Clients.reset(socket);
            }
            for (Future<?> writer : writing) {
                try {
                    writer.get(60, TimeUnit.SECONDS);
                } catch (java.util.concurrent.ExecutionException ended) {
                    // its socket was reset under it
                }
            }
        }
    }

    @Test
    void randomRecordsAfterTheHandshakeAreAnsweredWithAnAlertAndOthersGoOn() throws Exception {
        Random random = new Random(23);
        for (int i = 0; i < 100; i++) {
            try (Socket plain = Clients.connect(server.port())) {
                SSLSocket tls = TlsClients.handshaken(trusting, plain);
                tls.getOutputStream().write(new byte[] {1, 2, 3});
                tls.getOutputStream().flush();
                assertThat(Clients.readFully(tls.getInputStream(), 3)).containsExactly(1, 2, 3);
                byte[] record = new byte[5 + 17 + random.nextInt(1000)];
                random.nextBytes(record);
                record[0] = (byte) (i % 3 == 0 ? 22 : 23); // handshake or application data, undecryptable
                record[1] = 3;
                record[2] = 3;
                record[3] = (byte) ((record.length - 5) >> 8);
                record[4] = (byte) (record.length - 5);
                plain.getOutputStream().write(record);
                byte[] answer = readToEnd(plain);
                assertThat(answer).as("an encrypted alert before the end").isNotEmpty();
                if (i % 10 == 0) {
                    probe.roundTrips(Duration.ofMillis(20)); // the others are served meanwhile
                }
            }
        }
    }

    /** Waits for the server to end the connection; returns the bytes it sent before that. */
    private static int closedByServer(Socket socket) throws IOException {
        return readToEnd(socket).length;
    }

    private static byte[] readToEnd(Socket socket) throws IOException {
        socket.setSoTimeout(30_000);
        try {
            return socket.getInputStream().readAllBytes();
        } catch (SocketTimeoutException e) {
            throw new AssertionError("the server kept a hostile connection for 30 s", e);
        } catch (SocketException reset) {
            return new byte[0];
        }
    }

    /**
     * Writes 64 KiB at a time, 256 MiB at most: a write blocks once the server has stopped reading, until
     * the test resets the connection.
     */
    private static Void sendUntilStuck(SSLSocket socket) throws IOException {
        OutputStream out = socket.getOutputStream();
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < 4 * 1024; i++) {
            out.write(chunk); // blocks once the server's echo queue and both kernels' buffers are full
        }
        return null;
    }
}
