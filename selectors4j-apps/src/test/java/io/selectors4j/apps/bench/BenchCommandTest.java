package io.selectors4j.apps.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.selectors4j.apps.Run;
import io.selectors4j.loop.LoopBackend;
import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Needs;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Timeout(30)
class BenchCommandTest {
    private static final String SHORT = "300ms";

    @Test
    void faithfulEchoPassesWithEveryByteChecked() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.echo()) {
            Run run = Run.of("bench", server.target(), "--connections", "4", "--size", "1000",
                    "--duration", SHORT, "--warmup", "100ms");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out()).contains("4 connections, 1000-byte messages, pipeline 1, closed loop",
                    "mismatches:  0", "lost:        0 connections");
            assertThat(run.err()).isEmpty();
        }
    }

    /** Each backend the load threads can wait with; io_uring runs them on event loops. */
    @ParameterizedTest
    @ValueSource(strings = {"select", "poll", "epoll", "io_uring"})
    void everyBackendDrivesTheLoadWithEveryByteChecked(String backend) throws Exception {
        LoopBackends.requireUsable(LoopBackend.valueOf(backend.toUpperCase(Locale.ROOT)));
        try (TinyEchoServer server = TinyEchoServer.echo()) {
            Run run = Run.of("bench", server.target(), "--connections", "4", "--threads", "2", "--size", "1000",
                    "--pipeline", "2", "--duration", SHORT, "--warmup", "0", "--backend", backend, "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("requests").asLong()).as(backend).isPositive();
            assertThat(json.get("mismatches").asLong()).as(backend).isZero();
        }
    }

    @Test
    void ipv6LoopbackWorksToo() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.echoOn(Needs.ipv6Loopback())) {
            Run run = Run.of("bench", server.target(), "--connections", "2", "--duration", SHORT, "--warmup", "0",
                    "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("target").asText()).isEqualTo("[0:0:0:0:0:0:0:1]:" + server.port());
            assertThat(json.get("requests").asLong()).isPositive();
        }
    }

    @Test
    void aCorruptedByteIsCaughtCountedAndGivesExitCode1() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.corruptingAt(5_000)) {
            Run run = Run.of("bench", server.target(), "--connections", "2", "--size", "100",
                    "--duration", SHORT, "--warmup", "0", "--json");

            assertThat(run.exitCode()).isEqualTo(1);
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("mismatches").asLong()).isEqualTo(2);
            assertThat(json.get("firstProblem").asText()).contains("byte 5000 of the stream");
            assertThat(run.err()).contains("2 mismatched", "byte 5000 of the stream");
        }
    }

    @Test
    void aServerThatHangsUpIsALostConnectionAndGivesExitCode1() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.closingAfter(1_000)) {
            Run run = Run.of("bench", server.target(), "--connections", "3", "--size", "100",
                    "--duration", SHORT, "--warmup", "0");

            assertThat(run.exitCode()).isEqualTo(1);
            assertThat(run.out()).contains("lost:        3 connections");
            assertThat(run.err()).contains("the server closed connection");
        }
    }

    @Test
    void aResetConnectionIsALostConnectionAndTheOthersCarryOn() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.resettingAfter(1_000)) {
            Run run = Run.of("bench", server.target(), "--connections", "2", "--size", "100",
                    "--duration", SHORT, "--warmup", "0", "--json");

            assertThat(run.exitCode()).isEqualTo(1);
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("connectionErrors").asLong()).isEqualTo(2);
            assertThat(json.get("mismatches").asLong()).isZero();
            assertThat(json.get("firstProblem").asText()).containsAnyOf("ECONNRESET", "EPIPE", "closed");
        }
    }

    @Test
    void bytesTheServerWasNotSentAreAMismatch() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.speakingFirst()) {
            Run run = Run.of("bench", server.target(), "--connections", "3", "--size", "100",
                    "--duration", SHORT, "--warmup", "0", "--json");

            assertThat(run.exitCode()).isEqualTo(1);
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("mismatches").asLong()).isEqualTo(3);
            assertThat(json.get("connectionErrors").asLong()).isZero();
        }
    }

    @Test
    void pipeliningKeepsExactlyKMessagesInFlight() throws Exception {
        // The server echoes only once it holds 8 messages: with 8 in flight the run moves...
        try (TinyEchoServer server = TinyEchoServer.echoingInBatchesOf(8 * 100)) {
            Run run = Run.of("bench", server.target(), "--size", "100", "--pipeline", "8",
                    "--duration", SHORT, "--warmup", "0", "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(new ObjectMapper().readTree(run.out()).get("requests").asLong()).isGreaterThan(8);
        }
        // ...and it never has a ninth in flight: a server waiting for 801 bytes gets only 800.
        try (TinyEchoServer server = TinyEchoServer.echoingInBatchesOf(8 * 100 + 1)) {
            Run run = Run.of("bench", server.target(), "--size", "100", "--pipeline", "8",
                    "--duration", SHORT, "--warmup", "0", "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(new ObjectMapper().readTree(run.out()).get("requests").asLong()).isZero();
            assertThat(run.err()).contains("no request was echoed in full within the measured window");
        }
    }

    @Test
    void theShortOptionsAndProgressEachTakeEffect() throws Exception {
        // The server echoes only once it holds 200 bytes: only 2 messages of 100 bytes in flight move
        // the run (-s 64 or -k 1 would leave every connection waiting).
        try (TinyEchoServer server = TinyEchoServer.echoingInBatchesOf(2 * 100)) {
            Set<String> loadThreads = ConcurrentHashMap.newKeySet();
            AtomicBoolean running = new AtomicBoolean(true);
            Thread watcher = Thread.ofVirtual().start(() -> {
                while (running.get()) {
                    Thread.getAllStackTraces().keySet().stream().map(Thread::getName)
                            .filter(name -> name.startsWith("s4j-bench-")).forEach(loadThreads::add);
                    LockSupport.parkNanos(10_000_000); // sampling the threads alive, not a synchronisation
                }
            });
            Run run;
            try {
                run = Run.of("bench", server.target(), "-c", "3", "-s", "100", "-k", "2", "-t", "2", "-r", "400",
                        "-d", "1500ms", "--warmup", "1s", "--progress", "--json");
            } finally {
                running.set(false);
                watcher.join();
            }

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("requests").asLong()).as("requests echoed in pairs of 100 bytes").isPositive();
            assertThat(json.get("mismatches").asLong()).isZero();
            assertThat(server.connectionsWithData()).as("-c 3: connections that sent").isEqualTo(3);
            assertThat(loadThreads).as("-t 2: load threads").containsExactlyInAnyOrder("s4j-bench-0", "s4j-bench-1");
            double seconds = json.get("durationSeconds").asDouble();
            assertThat(seconds).as("-d 1500ms: the measured window").isBetween(1.5, 5.0);
            // -r 400: a fixed schedule from the start of the warm-up, so at most 400 a second of the whole run
            // (a window may catch up on sends the warm-up fell behind on); the closed loop this server
            // allows runs thousands a second
            assertThat(json.get("requests").asLong()).as("-r 400 over 1 s of warm-up and %.1f s", seconds)
                    .isLessThanOrEqualTo((long) (400 * (1 + seconds)));
            // --progress: the progress line on stderr, which is not a terminal here
            assertThat(run.err().lines()).as("stderr").anyMatch(line -> line.matches(" +1 s  warm-up +[\\d,]+ req/s +[\\d,]+ requests"))
                    .anyMatch(line -> line.matches(" +2 s  measuring +[\\d,]+ req/s +[\\d,]+ requests"));
        }
    }

    @Test
    void messagesLargerThanTheSocketBuffersGoOutInPartsAndComeBackWhole() throws Exception {
        // 4 MiB messages cannot be sent in one call: sends stop short, wait for writability, and resume.
        try (TinyEchoServer server = TinyEchoServer.echo()) {
            Run run = Run.of("bench", server.target(), "--connections", "2", "--size", Integer.toString(4 << 20),
                    "--pipeline", "2", "--duration", "500ms", "--warmup", "0", "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("requests").asLong()).isPositive();
            assertThat(json.get("mismatches").asLong()).isZero();
        }
    }

    @Test
    void jsonCarriesTheFiguresAMachineNeeds() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.echo()) {
            Run run = Run.of("bench", server.target(), "--connections", "2", "--size", "64", "--pipeline", "4",
                    "--threads", "2", "--duration", SHORT, "--warmup", "0", "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("target").asText()).isEqualTo(server.target());
            assertThat(json.get("connections").asInt()).isEqualTo(2);
            assertThat(json.get("size").asInt()).isEqualTo(64);
            assertThat(json.get("pipeline").asInt()).isEqualTo(4);
            assertThat(json.get("threads").asInt()).isEqualTo(2);
            assertThat(json.get("durationSeconds").asDouble()).isEqualTo(0.3);
            long requests = json.get("requests").asLong();
            assertThat(requests).isPositive();
            assertThat(json.get("requestsPerSecond").asDouble()).isCloseTo(requests / 0.3,
                    org.assertj.core.data.Percentage.withPercentage(0.1));
            assertThat(json.get("megabytesPerSecond").asDouble()).isCloseTo(requests * 64 / 0.3 / 1e6,
                    org.assertj.core.data.Percentage.withPercentage(0.1));
            JsonNode latency = json.get("latencyMicros");
            assertThat(latency.get("p50").asDouble()).isPositive()
                    .isLessThanOrEqualTo(latency.get("p90").asDouble());
            assertThat(latency.get("p99").asDouble()).isLessThanOrEqualTo(latency.get("p999").asDouble())
                    .isLessThanOrEqualTo(latency.get("max").asDouble());
            assertThat(json.get("mismatches").asLong()).isZero();
            assertThat(json.get("connectionErrors").asLong()).isZero();
            assertThat(json.get("client").get("cores").asDouble()).isPositive();
            assertThat(json.get("client").has("allocatedBytesPerRequest")).isTrue();
        }
    }

    @Test
    void csvIsAHeaderAndOneRowOfTheSameWidth() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.echo()) {
            Run run = Run.of("bench", server.target(), "--duration", SHORT, "--warmup", "0", "--csv");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.out().lines()).hasSize(2);
            String[] header = run.out().lines().toList().get(0).split(",");
            String[] row = run.out().lines().toList().get(1).split(",");
            assertThat(header).hasSameSizeAs(row).startsWith("target", "connections", "size");
            assertThat(row[0]).isEqualTo(server.target());
        }
    }

    @Test
    void aFixedRateNeverSendsMoreThanAskedFor() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.echo()) {
            Run run = Run.of("bench", server.target(), "--connections", "4", "--rate", "400",
                    "--duration", "500ms", "--warmup", "0", "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(run.out());
            // 200 fall due in the window; a closed loop would echo thousands.
            assertThat(json.get("requests").asLong()).isBetween(1L, 201L);
            assertThat(json.get("rate").asDouble()).isEqualTo(400.0);
        }
    }

    @Test
    void aFixedRateCountsAStallAgainstEveryMessageThatFellDueDuringIt() throws Exception {
        // The server holds its first echo for 300 ms. At 100 messages a second, 30 fall due in that time;
        // measured from their intended send times they wait 300, 290, ... 10 ms: a tenth of the 100 in
        // the window wait 200 ms or more. A closed loop would see one slow message, not ten.
        try (TinyEchoServer server = TinyEchoServer.stallingFirst(300)) {
            Run run = Run.of("bench", server.target(), "--rate", "100", "--duration", "1s", "--warmup", "0",
                    "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode latency = new ObjectMapper().readTree(run.out()).get("latencyMicros");
            assertThat(latency.get("max").asDouble()).isGreaterThanOrEqualTo(290_000);
            assertThat(latency.get("p90").asDouble()).isGreaterThanOrEqualTo(150_000);
        }
    }

    @Test
    void plotWritesAPng(@TempDir Path folder) throws Exception {
        Path png = folder.resolve("latency.png");
        try (TinyEchoServer server = TinyEchoServer.echo()) {
            Run run = Run.of("bench", server.target(), "--duration", SHORT, "--warmup", "0",
                    "--plot", png.toString());

            assertThat(run.exitCode()).as(run.err()).isZero();
        }
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).startsWith((byte) 0x89, (byte) 'P', (byte) 'N', (byte) 'G');
    }

    @Test
    void manyConnectionsAllConnectAndCarryTraffic() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.echo()) {
            Run run = Run.of("bench", server.target(), "--connections", "2000", "--size", "64",
                    "--duration", "500ms", "--warmup", "0", "--json");

            assertThat(run.exitCode()).as(run.err()).isZero();
            JsonNode json = new ObjectMapper().readTree(run.out());
            assertThat(json.get("connections").asInt()).isEqualTo(2000);
            assertThat(json.get("connectionErrors").asLong()).isZero();
            assertThat(json.get("mismatches").asLong()).isZero();
            // Seen from the server, not counted against the clock: every connection sent a request.
            // (How many a second 10,000 connections carry is workload (d) in docs/BENCHMARKS.md.)
            long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            while (server.connectionsWithData() < 2000 && System.nanoTime() < deadline) {
                Thread.sleep(10); // the server's readers may still be taking the last bytes
            }
            assertThat(server.connectionsWithData()).as("connections that carried a request").isEqualTo(2000);
        }
    }

    @Test
    void aRefusedConnectionIsARuntimeFailure() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closedPort = socket.getLocalPort();
        }
        Run run = Run.of("bench", "127.0.0.1:" + closedPort, "--duration", SHORT);

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("s4j bench: cannot connect to 127.0.0.1 port " + closedPort
                + ": Connection refused\n");
    }

    @Test
    void badArgumentsAreUsageErrors() {
        assertThat(Run.of("bench", "127.0.0.1").err()).contains("is not HOST:PORT");
        assertThat(Run.of("bench", "127.0.0.1").exitCode()).isEqualTo(1);
        assertThat(Run.of("bench", "127.0.0.1:70000").err()).contains("out of range");
        assertThat(Run.of("bench", "127.0.0.1:9", "--connections", "0").err())
                .contains("--connections must be at least 1");
        assertThat(Run.of("bench", "127.0.0.1:9", "--duration", "soon").err()).contains("is not a duration");
        assertThat(Run.of("bench", "127.0.0.1:9", "--threads", "2").err())
                .contains("--threads cannot exceed --connections");
        assertThat(Run.of("bench", "127.0.0.1:9", "--pipeline", "100000").err())
                .contains("--pipeline must be between 1 and 4096");
        assertThat(Run.of("bench", "127.0.0.1:9", "--rate", "-5").err()).contains("--rate must be 0 or a positive");
        assertThat(Run.of("bench", "127.0.0.1:9", "--json", "--csv").exitCode()).isEqualTo(1);
    }

    @Test
    void helpDescribesTheCommandAndIsListedByS4j() {
        Run help = Run.of("bench", "--help");

        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).startsWith("Usage: s4j bench").contains("--connections", "--pipeline", "--rate",
                "--json", "--csv", "--plot");
        assertThat(Run.of("--help").out()).contains("bench");
    }

    @Test
    void phaseMarksTellScriptsWhenTheMeasuredWindowOpensAndCloses() throws Exception {
        try (TinyEchoServer server = TinyEchoServer.echo()) {
            Run run = Run.of("bench", server.target(), "--duration", SHORT, "--warmup", "100ms", "--phase-marks");

            assertThat(run.exitCode()).as(run.err()).isZero();
            assertThat(run.err().lines()).containsExactly("connected", "measure", "done");
        }
    }
}
