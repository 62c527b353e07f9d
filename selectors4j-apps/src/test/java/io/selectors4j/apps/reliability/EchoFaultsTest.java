package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Clients;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.Timeout;

/**
 * Faults against an echo server, one process for all of them: peers that reset mid-write, half-close, vanish mid-message,
 * storms of connect-and-drop, and signals during its waits. After each the server must still serve,
 * hold no more descriptors than before, and sit idle without spinning.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@Timeout(value = 3, unit = TimeUnit.MINUTES)
abstract class EchoFaultsTest {
    /**
     * The share of a CPU any one thread of an idle server may use (the JIT's and GC's left out): a
     * waiting loop uses next to nothing (0.00 in every run here), a spinning one as much as the machine
     * gives it (0.69 of a CPU for a test spinner on this loaded 2-core machine). Only a spin, or work an
     * idle server should not do, crosses this line; it is not a performance figure.
     */
    static final double SPIN_SHARE = 0.25;

    private ChildJvm server;
    private int baselineFds;

    /** The server under test. */
    abstract EchoServers kind();

    @BeforeAll
    void startServer() throws IOException {
        server = ChildJvm.startServer(kind().launch());
        // One full round trip first, so what the JVM opens once (jars, classes) is in the baseline.
        Clients.assertEchoes(server.port(), 100_000);
        baselineFds = server.steadyOpenFds();
    }

    @AfterAll
    void stopServer() {
        assertThat(server.terminate()).as("exit code on SIGTERM").isZero();
    }

    /** Checks that no thread of {@code server} spins while nothing happens, and prints what it used. */
    static void assertNoSpin(ChildJvm server, String when) {
        ChildJvm.ThreadShare busiest = server.busiestThreadWhileIdle(Duration.ofSeconds(1));
        System.out.printf("idle CPU %s: busiest thread %s at %.3f of a CPU%n", when, busiest.name(), busiest.share());
        assertThat(busiest.share()).as("share of a CPU the busiest thread (%s) used in an idle second %s",
                busiest.name(), when).isLessThan(SPIN_SHARE);
    }

    /** After every fault: still serving, no descriptor kept, no busy loop. */
    @AfterEach
    void serverRecovered(TestInfo test) throws IOException {
        String testName = kind() + " " + test.getTestMethod().map(m -> m.getName()).orElse("?");
        assertThat(server.alive()).as("server alive; stderr %s", server.stderr()).isTrue();
        Clients.assertEchoes(server.port(), 200_000);
        assertThat(server.awaitOpenFdsAtMost(baselineFds)).as("open descriptors").isLessThanOrEqualTo(baselineFds);
        assertNoSpin(server, "after " + testName);
        assertThat(server.unexpectedStderr()).as("stderr").isEmpty();
    }

    @Test
    void peersThatResetWhileTheServerWritesToThem() throws IOException {
        List<SocketChannel> blocked = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            blocked.add(Clients.openNonBlocking(server.port()));
        }
        // Sending without reading until nothing moves: each queue is full and the server waits to write.
        assertThat(Clients.sendUntilBlocked(blocked, 8 << 20, new byte[0], new byte[] {'x'}).least()).isGreaterThan(64 * 1024);
        for (SocketChannel channel : blocked) {
            Clients.reset(channel);
        }
    }

    @Test
    void halfClosedPeersGetEveryByteThenTheEnd() throws Exception {
        try (ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 20; i++) {
                byte[] sent = new byte[300_000 + i];
                new Random(i).nextBytes(sent);
                try (Socket socket = Clients.connect(server.port())) {
                    // More than the server queues: it must keep reading as it writes, then finish after the FIN.
                    Future<?> writing = writers.submit(() -> {
                        OutputStream out = socket.getOutputStream();
                        out.write(sent);
                        socket.shutdownOutput();
                        return null;
                    });
                    InputStream in = socket.getInputStream();
                    assertThat(Clients.readFully(in, sent.length)).isEqualTo(sent);
                    assertThat(in.read()).as("end of stream after the echo").isEqualTo(-1);
                    writing.get(30, TimeUnit.SECONDS);
                }
            }
        }
    }

    @Test
    void peersThatVanishMidMessage() throws IOException {
        byte[] message = new byte[10_000];
        for (int i = 0; i < 400; i++) {
            Socket socket = Clients.connect(server.port());
            socket.getOutputStream().write(message, 0, 1 + i * 24);
            if (i % 2 == 0) {
                Clients.reset(socket);
            } else {
                socket.close();
            }
        }
    }

    @Test
    void tenThousandConnectAndDropInARow() throws Exception {
        int storms = 4;
        try (ExecutorService clients = Executors.newFixedThreadPool(storms)) {
            List<Future<?>> running = new ArrayList<>();
            for (int s = 0; s < storms; s++) {
                running.add(clients.submit(() -> {
                    for (int i = 0; i < 10_000 / storms; i++) {
                        Socket socket = Clients.connect(server.port());
                        if (i % 2 == 0) {
                            Clients.reset(socket);
                        } else {
                            socket.close();
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> storm : running) {
                storm.get(2, TimeUnit.MINUTES);
            }
        }
    }

    @Test
    void signalsDuringWaitsAreRetriedNotFatal() throws Exception {
        try (Socket client = Clients.connect(server.port());
             ExecutorService signaller = Executors.newSingleThreadExecutor()) {
            Future<?> signals = signaller.submit(() -> {
                for (int i = 0; i < 300; i++) {
                    server.signal(i % 2 == 0 ? "WINCH" : "URG");
                }
            });
            int trips = 0;
            while (!signals.isDone() || trips < 100) {
                Clients.assertEchoes(client, 1 + trips % 5_000);
                trips++;
            }
            signals.get();
            System.out.printf("signals: 300 sent while %d round trips passed%n", trips);
        }
    }
}
