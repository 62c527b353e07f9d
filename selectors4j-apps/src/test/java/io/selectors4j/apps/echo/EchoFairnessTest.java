package io.selectors4j.apps.echo;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.common.Program;
import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.Ports;
import java.io.BufferedReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * echo-server's fairness under a flood, on the real program: many bulk senders with a backlog, and an
 * interactive client whose request must not wait behind all of them. Counted in bytes from the
 * server's own lines, not in time: between the request and the server's read of it, the server may
 * move (receive and send) at most one turn budget for the bulk senders (it served every one of them
 * first, when each ready client was served once per pass).
 *
 * <p>The server's standard output is a pipe read here line by line, and a line of 64 KiB fills it, so
 * the server cannot run more than a line or two ahead of what this test has read.
 */
@Timeout(120)
class EchoFairnessTest {
    private static final int BULK_SENDERS = 64;
    private static final int BACKLOG = 256 * 1024;
    private static final long TRIGGER_BYTES = 2L * BULK_SENDERS * 64 * 1024;
    /** What the server may have received before this test read its line: two lines of 64 KiB. */
    private static final long READ_AHEAD = 2 * 64 * 1024;

    @ParameterizedTest
    @ValueSource(strings = {"epoll", "poll", "select"})
    void anInteractiveRequestWaitsForAtMostOneTurnBudgetOfBulkWork(String backend) throws Exception {
        int port = Ports.free(Ports.Kind.TCP);
        List<String> command = Program.launch(List.of("echo-server", "--port", Integer.toString(port),
                "--backend", backend, "--max-connections", "0")).withJvmOptions("-XX:TieredStopAtLevel=1").javaCommand();
        Process server = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        AtomicBoolean pushing = new AtomicBoolean(true);
        List<Socket> bulk = new ArrayList<>();
        try (BufferedReader out = server.inputReader(StandardCharsets.US_ASCII); Socket interactive = new Socket()) {
            assertThat(out.readLine()).isEqualTo("starting up on localhost port " + port);
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", port);
            for (int i = 0; i < BULK_SENDERS; i++) {
                Socket sender = new Socket();
                sender.setSendBufferSize(BACKLOG);
                sender.setReceiveBufferSize(BACKLOG); // room for the echoes it never reads
                sender.connect(address, 10_000);
                bulk.add(sender);
            }
            interactive.connect(address, 10_000); // accepted last: its descriptor comes last in poll and select
            // The server blocks on its first 64 KiB line until this test reads it: meanwhile every bulk
            // sender builds its backlog.
            CountDownLatch backlogged = new CountDownLatch(BULK_SENDERS);
            for (Socket sender : bulk) {
                Thread.ofPlatform().daemon().name("bulk-sender")
                        .start(() -> Clients.pushUntilStopped(sender, (byte) 'a', BACKLOG, pushing, backlogged));
            }
            assertThat(backlogged.await(60, TimeUnit.SECONDS)).as("every bulk sender has a backlog").isTrue();

            String interactiveRead = "  received b'?' from ('127.0.0.1', " + interactive.getLocalPort() + ")";
            long bulkBytes = 0;
            long atRequest = -1;
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                if (line.equals(interactiveRead)) {
                    break;
                }
                long moved = bulkBytes(line);
                if (moved > 0) {
                    bulkBytes += moved;
                    if (atRequest < 0 && bulkBytes >= TRIGGER_BYTES) {
                        atRequest = bulkBytes;
                        interactive.getOutputStream().write('?');
                    }
                }
            }
            assertThat(atRequest).as("the interactive request was sent").isPositive();
            assertThat(bulkBytes - atRequest)
                    .as("bytes moved for bulk senders between the interactive request and its read")
                    .isLessThanOrEqualTo(EchoServer.TURN_BUDGET + READ_AHEAD);
        } finally {
            pushing.set(false);
            for (Socket sender : bulk) {
                sender.close();
            }
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The bytes a line says were received from or sent to a bulk sender (their bytes are all 'a'); else 0. */
    private static long bulkBytes(String line) {
        for (String verb : List.of("  received b'a", "  sending b'a")) {
            if (line.startsWith(verb)) {
                int start = verb.length() - 1;
                return line.indexOf('\'', start) - start;
            }
        }
        return 0;
    }
}
