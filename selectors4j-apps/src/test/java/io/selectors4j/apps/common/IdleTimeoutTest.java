package io.selectors4j.apps.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.apps.Run;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code --idle-timeout} of the selector servers, as real processes: a connection that sends and takes
 * nothing is closed after the limit, and so is one that fills its queue and stops reading, while a
 * connection that keeps talking stays; at the connection limit, silent sockets no longer lock everyone
 * out. Every limit is told in {@code --help} with its default.
 */
@Timeout(120)
class IdleTimeoutTest {
    private static final String ADDRESS = "\\('127\\.0\\.0\\.1', \\d+\\)";

    @Test
    void echoServerClosesASilentConnectionAndSaysWhy() throws Exception {
        try (ChildJvm server = Program.startEchoServer("--idle-timeout", "0.5");
             Socket silent = Clients.connect(server.port())) {
            assertThat(silent.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            String peer = "('127.0.0.1', " + silent.getLocalPort() + ")";
            server.awaitExactLine("  closing " + peer + ": idle for 0.5 s");
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void echoServerClosesAClientThatFilledItsQueueAndStoppedReading() throws Exception {
        try (ChildJvm server = Program.startEchoServer("--quiet", "--idle-timeout", "0.5", "--max-queue", "4096");
             Socket stuck = new Socket()) {
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            stuck.setSendBufferSize(4096);
            stuck.setSoTimeout((int) ChildJvm.PATIENCE.toMillis());
            // Far more than the queue and the socket buffers take: the server stops reading, then
            // neither side moves until the limit closes the connection (the write then fails).
            byte[] chunk = new byte[64 * 1024];
            long deadline = System.nanoTime() + ChildJvm.PATIENCE.toNanos();
            boolean closed = false;
            while (!closed && System.nanoTime() < deadline) {
                try {
                    stuck.getOutputStream().write(chunk);
                } catch (java.io.IOException e) {
                    closed = true;
                }
            }
            assertThat(closed).as("the server closed the stuck connection").isTrue();
            assertThat(server.terminate()).isZero();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"echo-server", "select-server"})
    void aConnectionThatKeepsTalkingStays(String program) throws Exception {
        try (ChildJvm server = program.equals("echo-server") ? Program.startEchoServer("--quiet", "--idle-timeout", "1")
                : Program.startSelectServer("--quiet", "--idle-timeout", "1");
             Socket talker = Clients.connect(server.port());
             Socket silent = Clients.connect(server.port())) {
            talker.setSoTimeout(50);
            // Three times the limit, a message every 100 ms: never 1 s without progress.
            for (int i = 0; i < 30; i++) {
                talker.getOutputStream().write("ping".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(100);
                drain(talker.getInputStream());
            }
            assertThat(silent.getInputStream().read()).as("the silent one is closed").isEqualTo(-1);
            talker.getOutputStream().write("still here".getBytes(StandardCharsets.US_ASCII));
            if (program.equals("echo-server")) {
                talker.setSoTimeout((int) ChildJvm.PATIENCE.toMillis());
                assertThat(new String(Clients.readExactly(talker, 4), StandardCharsets.US_ASCII)).isIn("ping", "stil");
            }
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void selectServerDisconnectsASilentConnectionAndSaysWhy() throws Exception {
        try (ChildJvm server = Program.startSelectServer("--idle-timeout", "0.5");
             Socket silent = Clients.connect(server.port())) {
            assertThat(silent.getInputStream().read()).as("closed by the server").isEqualTo(-1);
            server.awaitExactLine("('127.0.0.1', " + silent.getLocalPort() + "): disconnected: idle for 0.5 s");
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void silentSocketsAtTheConnectionLimitNoLongerLockEveryoneOut() throws Exception {
        try (ChildJvm server = Program.startEchoServer("--quiet", "--idle-timeout", "0.5", "--max-connections", "2");
             Socket first = Clients.connect(server.port());
             Socket second = Clients.connect(server.port());
             Socket third = Clients.connect(server.port())) {
            third.getOutputStream().write("let me in".getBytes(StandardCharsets.US_ASCII));
            assertThat(new String(Clients.readExactly(third, 9), StandardCharsets.US_ASCII)).isEqualTo("let me in");
            assertThat(first.getInputStream().read()).isEqualTo(-1);
            assertThat(second.getInputStream().read()).isEqualTo(-1);
            assertThat(server.terminate()).isZero();
        }
    }

    @Test
    void everyIdleLimitIsToldWithItsDefault() {
        for (String program : List.of("echo-server", "select-server")) {
            assertThat(Run.of(program, "--help").out().replaceAll("\\s+", " "))
                    .contains("--idle-timeout=SECONDS", "0 for never (default: 60)");
        }
        assertThat(Run.of("chat-server", "--help").out().replaceAll("\\s+", " "))
                .contains("--hello-timeout=SECONDS", "(default: 10)", "--idle-timeout=SECONDS", "(default: 0)");
        assertThat(Run.of("serve", "--help").out().replaceAll("\\s+", " "))
                .contains("--echo-idle-timeout=SECONDS", "(default: 60)", "--chat-hello-timeout=SECONDS",
                        "(default: 10)", "--chat-idle-timeout=SECONDS", "(default: 0)");
    }

    private static void drain(InputStream in) throws java.io.IOException {
        try {
            while (in.available() > 0 && in.read(new byte[4096]) > 0) {
                // The echo of the pings.
            }
        } catch (SocketTimeoutException e) {
            // Nothing more now.
        }
    }
}
