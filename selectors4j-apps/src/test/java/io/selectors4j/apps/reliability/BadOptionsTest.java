package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.Run;
import io.selectors4j.testkit.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Invalid options, arguments and ports for every {@code s4j} program: each gets a clear one-line error
 * naming the program (and at most a hint to {@code --help}), exit code 1 for usage or 2 for a failure
 * at run time, and never a stack trace.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class BadOptionsTest {
    /** A loopback port nothing listens on, for clients that must fail to connect. */
    private static final int CLOSED = Ports.free(Ports.Kind.TCP_AND_UDP);

    static Stream<List<String>> badCommandLines() {
        String closed = Integer.toString(CLOSED);
        List<List<String>> lines = new ArrayList<>(List.of(
                List.of(), List.of("no-such-program"), List.of("--no-such-option"),
                List.of("info", "--bogus"), List.of("info", "extra")));
        for (String server : List.of("echo-server", "time-server")) {
            lines.addAll(List.of(
                    List.of(server, "--port", "65536"), List.of(server, "--port", "-1"),
                    List.of(server, "--port", "ten"), List.of(server, "--port"),
                    List.of(server, "--timeout", "-1"), List.of(server, "--timeout", "soon"),
                    List.of(server, "--backend", "kqueue"), List.of(server, "--bogus"),
                    List.of(server, "--host", "10.255.255.1", "--port", closed)));
        }
        lines.addAll(List.of(
                List.of("select-server"), List.of("select-server", "65536"), List.of("select-server", "port"),
                List.of("select-server", "1", "2"), List.of("select-server", "--backend", "nope", closed),
                List.of("select-server", "--host", "10.255.255.1", closed),
                List.of("chat-server"), List.of("chat-server", "65536"), List.of("chat-server", "-5"),
                List.of("chat-server", "port"), List.of("chat-server", closed, "--max-queue", "0"),
                List.of("chat-server", closed, "--max-queue", "lots"),
                List.of("chat-server", closed, "--max-connections", "-1"),
                List.of("chat-server", closed, "--backend", "kqueue"),
                List.of("echo-server", "--max-connections", "-1"), List.of("echo-server", "--max-connections", "many"),
                List.of("echo-server", "--max-queue", "0"), List.of("echo-server", "--max-queue", "-4096"),
                List.of("echo-server", "--max-queue", "64k"), List.of("echo-server", "--max-queue", "2147483648"),
                List.of("select-server", closed, "--max-connections", "-3"),
                List.of("select-server", closed, "--max-connections", "lots"),
                List.of("chat-server", closed, "--max-connections", "x"),
                List.of("serve", "--max-connections", "-1"), List.of("serve", "--max-connections", "all"),
                List.of("serve", "--echo-high-water", "0"), List.of("serve", "--echo-high-water", "big"),
                List.of("serve", "--echo-low-water", "-1"),
                List.of("serve", "--echo-high-water", "1024", "--echo-low-water", "2048"),
                List.of("serve", "--echo-low-water", "65537"),
                List.of("serve", "--chat-max-queue", "0"), List.of("serve", "--chat-max-queue", "1MiB"),
                List.of("echo-server", "--idle-timeout", "-1"), List.of("echo-server", "--idle-timeout", "soon"),
                List.of("select-server", closed, "--idle-timeout", "2000000"),
                List.of("chat-server", closed, "--hello-timeout", "-0.5"), List.of("chat-server", closed, "--idle-timeout", "x"),
                List.of("serve", "--echo-idle-timeout", "-1"), List.of("serve", "--chat-hello-timeout", "later"),
                List.of("serve", "--chat-idle-timeout", "NaN"),
                List.of("echo-client", "--port", "70000"), List.of("echo-client", "--connections", "many"),
                List.of("echo-client", "--port", closed), List.of("slow-client", "--port", "x"),
                List.of("slow-client", "--port", closed),
                List.of("time-client"), List.of("time-client", "127.0.0.1", "--port", "99999"),
                List.of("time-client", "127.0.0.1", "--port", closed),
                List.of("select-client"), List.of("select-client", "p", "127.0.0.1", "70000"),
                List.of("select-client", "p", "127.0.0.1", closed, "--interval", "x"),
                List.of("select-client", "p", "127.0.0.1", closed, "--interval", "5,1"),
                List.of("select-client", "p", "127.0.0.1", closed),
                List.of("chat-client"), List.of("chat-client", "pat", "127.0.0.1", "70000"),
                List.of("chat-client", "pat", "127.0.0.1", "port"),
                List.of("bench"), List.of("bench", "no-port"), List.of("bench", "127.0.0.1:70000"),
                List.of("bench", "127.0.0.1:" + closed, "--connections", "0"),
                List.of("bench", "127.0.0.1:" + closed, "--size", "-1"),
                List.of("bench", "127.0.0.1:" + closed, "--duration", "forever"),
                List.of("bench", "127.0.0.1:" + closed, "--pipeline", "0"),
                List.of("bench", "127.0.0.1:" + closed, "--duration", "1s", "--warmup", "0s")));
        return lines.stream();
    }

    @ParameterizedTest
    @MethodSource("badCommandLines")
    void badCommandLineGetsOneClearLineAndExitCodeOneOrTwo(List<String> args) {
        Run run = Run.of(args.toArray(String[]::new));
        assertOneClearError(run.exitCode(), run.err(), args);
    }

    @Test
    void portInUseIsARuntimeFailureForEveryServer() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String port = Integer.toString(taken.getLocalPort());
            for (List<String> args : List.of(List.of("echo-server", "--port", port),
                    List.of("time-server", "--port", port), List.of("select-server", port))) {
                Run run = Run.of(args.toArray(String[]::new));
                assertOneClearError(run.exitCode(), run.err(), args);
                assertThat(run.exitCode()).as("exit code of %s", args).isEqualTo(2);
                assertThat(run.err()).as("error of %s", args).containsIgnoringCase("in use");
            }
        }
    }

    static void assertOneClearError(int exitCode, String err, List<String> args) {
        assertThat(exitCode).as("exit code of %s; stderr %s", args, err).isIn(1, 2);
        List<String> lines = err.lines().toList();
        assertThat(lines).as("stderr of %s", args).isNotEmpty().hasSizeLessThanOrEqualTo(2);
        assertThat(lines.getFirst()).as("error line of %s", args).startsWith("s4j").contains(": ");
        if (lines.size() == 2) {
            assertThat(lines.get(1)).as("hint of %s", args).startsWith("Try '").endsWith("--help' for more information.");
        }
        assertThat(err).as("stderr of %s", args).doesNotContain("\tat ", "Exception", "java.", "null");
    }
}
