package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.Run;
import io.selectors4j.testkit.Ports;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.Map;
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
    /** Why a program that waits with a selector itself refuses {@code --backend io_uring}. */
    private static final String NO_IO_URING = "io_uring is for the programs on the event loop (serve, "
            + "chat-server); this one waits with a selector: select, poll or epoll";

    /** A bad command line, the exit code it must give, and the first line of stderr, word for word. */
    record Bad(List<String> args, int exitCode, String error) {
        @Override
        public String toString() {
            return "s4j " + String.join(" ", args);
        }
    }

    /** {@code args} must give {@code exitCode} and {@code error}; CLOSED stands for a port nothing listens on. */
    private static Bad bad(int exitCode, String error, String... args) {
        String closed = Integer.toString(CLOSED);
        return new Bad(Stream.of(args).map(arg -> arg.replace("CLOSED", closed)).toList(), exitCode,
                error.replace("CLOSED", closed));
    }

    static Stream<Bad> badCommandLines() {
        return Stream.of(
                bad(1, "s4j: Missing subcommand"),
                bad(1, "s4j: Unmatched argument at index 0: 'no-such-program'", "no-such-program"),
                bad(1, "s4j: Unknown option: '--no-such-option'", "--no-such-option"),
                bad(1, "s4j info: Unknown option: '--bogus'", "info", "--bogus"),
                bad(1, "s4j info: Unmatched argument at index 1: 'extra'", "info", "extra"),
                bad(1, "s4j echo-server: Invalid value for option '--port': port must be from 0 to 65535, not 65536",
                        "echo-server", "--port", "65536"),
                bad(1, "s4j echo-server: Invalid value for option '--port': port must be from 0 to 65535, not -1",
                        "echo-server", "--port", "-1"),
                bad(1, "s4j echo-server: Invalid value for option '--port': 'ten' is not a port number",
                        "echo-server", "--port", "ten"),
                bad(1, "s4j echo-server: Missing required parameter for option '--port' (PORT)",
                        "echo-server", "--port"),
                bad(1, "s4j echo-server: Invalid value for option '--timeout': seconds must be above 0 and at most 1000000, not -1",
                        "echo-server", "--timeout", "-1"),
                bad(1, "s4j echo-server: Invalid value for option '--timeout': 'soon' is not a number of seconds",
                        "echo-server", "--timeout", "soon"),
                bad(1, "s4j echo-server: Invalid value for option '--backend': 'kqueue' is not one of select, poll, epoll",
                        "echo-server", "--backend", "kqueue"),
                bad(1, "s4j echo-server: Unknown option: '--bogus'", "echo-server", "--bogus"),
                bad(2, "s4j echo-server: cannot listen on 10.255.255.1 port CLOSED: Cannot assign requested address",
                        "echo-server", "--host", "10.255.255.1", "--port", "CLOSED"),
                bad(1, "s4j time-server: Invalid value for option '--port': port must be from 0 to 65535, not 65536",
                        "time-server", "--port", "65536"),
                bad(1, "s4j time-server: Invalid value for option '--port': port must be from 0 to 65535, not -1",
                        "time-server", "--port", "-1"),
                bad(1, "s4j time-server: Invalid value for option '--port': 'ten' is not a port number",
                        "time-server", "--port", "ten"),
                bad(1, "s4j time-server: Missing required parameter for option '--port' (PORT)",
                        "time-server", "--port"),
                bad(1, "s4j time-server: Invalid value for option '--timeout': seconds must be above 0 and at most 1000000, not -1",
                        "time-server", "--timeout", "-1"),
                bad(1, "s4j time-server: Invalid value for option '--timeout': 'soon' is not a number of seconds",
                        "time-server", "--timeout", "soon"),
                bad(1, "s4j time-server: Invalid value for option '--backend': 'kqueue' is not one of select, poll, epoll",
                        "time-server", "--backend", "kqueue"),
                bad(1, "s4j time-server: Unknown option: '--bogus'", "time-server", "--bogus"),
                bad(2, "s4j time-server: cannot listen on 10.255.255.1 port CLOSED: Cannot assign requested address",
                        "time-server", "--host", "10.255.255.1", "--port", "CLOSED"),
                bad(1, "s4j select-server: Missing required parameter: 'PORT'", "select-server"),
                bad(1, "s4j select-server: Invalid value for positional parameter at index 0 (PORT): port must be from 0 to 65535, not 65536",
                        "select-server", "65536"),
                bad(1, "s4j select-server: Invalid value for positional parameter at index 0 (PORT): 'port' is not a port number",
                        "select-server", "port"),
                bad(1, "s4j select-server: Unmatched argument at index 2: '2'", "select-server", "1", "2"),
                bad(1, "s4j select-server: Invalid value for option '--backend': 'nope' is not one of select, poll, epoll",
                        "select-server", "--backend", "nope", "CLOSED"),
                bad(2, "s4j select-server: cannot listen on 10.255.255.1 port CLOSED: Cannot assign requested address",
                        "select-server", "--host", "10.255.255.1", "CLOSED"),
                bad(1, "s4j chat-server: Missing required parameter: 'PORT'", "chat-server"),
                bad(1, "s4j chat-server: Invalid value for positional parameter at index 0 (PORT): port must be from 0 to 65535, not 65536",
                        "chat-server", "65536"),
                bad(1, "s4j chat-server: Invalid value for positional parameter at index 0 (PORT): port must be from 0 to 65535, not -5",
                        "chat-server", "-5"),
                bad(1, "s4j chat-server: Invalid value for positional parameter at index 0 (PORT): 'port' is not a port number",
                        "chat-server", "port"),
                bad(1, "s4j chat-server: Invalid value for option '--max-queue': bytes must be from 1 to 1073741824, not 0",
                        "chat-server", "CLOSED", "--max-queue", "0"),
                bad(1, "s4j chat-server: Invalid value for option '--max-queue': 'lots' is not a number of bytes from 1 to 1073741824",
                        "chat-server", "CLOSED", "--max-queue", "lots"),
                bad(1, "s4j chat-server: Invalid value for option '--max-connections': connections must be 0 (no limit) or more, not -1",
                        "chat-server", "CLOSED", "--max-connections", "-1"),
                bad(1, "s4j chat-server: Invalid value for option '--backend': 'kqueue' is not one of select, poll, epoll, io_uring",
                        "chat-server", "CLOSED", "--backend", "kqueue"),
                bad(1, "s4j serve: Invalid value for option '--backend': 'kqueue' is not one of select, poll, epoll, io_uring",
                        "serve", "--backend", "kqueue"),
                bad(1, "s4j select-server: Invalid value for option '--backend': " + NO_IO_URING,
                        "select-server", "--backend", "io_uring", "CLOSED"),
                bad(1, "s4j echo-server: Invalid value for option '--backend': " + NO_IO_URING,
                        "echo-server", "--backend", "io_uring"),
                bad(1, "s4j time-server: Invalid value for option '--backend': " + NO_IO_URING,
                        "time-server", "--backend", "IO_URING"),
                bad(1, "s4j echo-server: Invalid value for option '--max-connections': connections must be 0 (no limit) or more, not -1",
                        "echo-server", "--max-connections", "-1"),
                bad(1, "s4j echo-server: Invalid value for option '--max-connections': 'many' is not a number of connections",
                        "echo-server", "--max-connections", "many"),
                bad(1, "s4j echo-server: Invalid value for option '--max-queue': bytes must be from 1 to 1073741824, not 0",
                        "echo-server", "--max-queue", "0"),
                bad(1, "s4j echo-server: Invalid value for option '--max-queue': bytes must be from 1 to 1073741824, not -4096",
                        "echo-server", "--max-queue", "-4096"),
                bad(1, "s4j echo-server: Invalid value for option '--max-queue': '64k' is not a number of bytes from 1 to 1073741824",
                        "echo-server", "--max-queue", "64k"),
                bad(1, "s4j echo-server: Invalid value for option '--max-queue': '2147483648' is not a number of bytes from 1 to 1073741824",
                        "echo-server", "--max-queue", "2147483648"),
                bad(1, "s4j select-server: Invalid value for option '--max-connections': connections must be 0 (no limit) or more, not -3",
                        "select-server", "CLOSED", "--max-connections", "-3"),
                bad(1, "s4j select-server: Invalid value for option '--max-connections': 'lots' is not a number of connections",
                        "select-server", "CLOSED", "--max-connections", "lots"),
                bad(1, "s4j chat-server: Invalid value for option '--max-connections': 'x' is not a number of connections",
                        "chat-server", "CLOSED", "--max-connections", "x"),
                bad(1, "s4j serve: Invalid value for option '--max-connections': connections must be 0 (no limit) or more, not -1",
                        "serve", "--max-connections", "-1"),
                bad(1, "s4j serve: Invalid value for option '--max-connections': 'all' is not a number of connections",
                        "serve", "--max-connections", "all"),
                bad(1, "s4j serve: Invalid value for option '--echo-high-water': bytes must be from 1 to 1073741824, not 0",
                        "serve", "--echo-high-water", "0"),
                bad(1, "s4j serve: Invalid value for option '--echo-high-water': 'big' is not a number of bytes from 1 to 1073741824",
                        "serve", "--echo-high-water", "big"),
                bad(1, "s4j serve: Invalid value for option '--echo-low-water': bytes must be from 1 to 1073741824, not -1",
                        "serve", "--echo-low-water", "-1"),
                bad(1, "s4j serve: --echo-low-water must be at most --echo-high-water (1024), not 2048",
                        "serve", "--echo-high-water", "1024", "--echo-low-water", "2048"),
                bad(1, "s4j serve: --echo-low-water must be at most --echo-high-water (65536), not 65537",
                        "serve", "--echo-low-water", "65537"),
                bad(1, "s4j serve: Invalid value for option '--chat-max-queue': bytes must be from 1 to 1073741824, not 0",
                        "serve", "--chat-max-queue", "0"),
                bad(1, "s4j serve: Invalid value for option '--chat-max-queue': '1MiB' is not a number of bytes from 1 to 1073741824",
                        "serve", "--chat-max-queue", "1MiB"),
                bad(1, "s4j echo-server: Invalid value for option '--idle-timeout': seconds must be from 0 (no limit) to 1000000, not -1",
                        "echo-server", "--idle-timeout", "-1"),
                bad(1, "s4j echo-server: Invalid value for option '--idle-timeout': 'soon' is not a number of seconds",
                        "echo-server", "--idle-timeout", "soon"),
                bad(1, "s4j select-server: Invalid value for option '--idle-timeout': seconds must be from 0 (no limit) to 1000000, not 2000000",
                        "select-server", "CLOSED", "--idle-timeout", "2000000"),
                bad(1, "s4j chat-server: Invalid value for option '--hello-timeout': seconds must be from 0 (no limit) to 1000000, not -0.5",
                        "chat-server", "CLOSED", "--hello-timeout", "-0.5"),
                bad(1, "s4j chat-server: Invalid value for option '--idle-timeout': 'x' is not a number of seconds",
                        "chat-server", "CLOSED", "--idle-timeout", "x"),
                bad(1, "s4j serve: Invalid value for option '--echo-idle-timeout': seconds must be from 0 (no limit) to 1000000, not -1",
                        "serve", "--echo-idle-timeout", "-1"),
                bad(1, "s4j serve: Invalid value for option '--chat-hello-timeout': 'later' is not a number of seconds",
                        "serve", "--chat-hello-timeout", "later"),
                bad(1, "s4j serve: Invalid value for option '--chat-idle-timeout': seconds must be from 0 (no limit) to 1000000, not NaN",
                        "serve", "--chat-idle-timeout", "NaN"),
                bad(1, "s4j echo-client: Invalid value for option '--port': port must be from 1 to 65535, not 70000",
                        "echo-client", "--port", "70000"),
                bad(1, "s4j echo-client: Invalid value for option '--connections': 'many' is not an int",
                        "echo-client", "--connections", "many"),
                bad(2, "s4j echo-client: cannot connect to localhost port CLOSED: Connection refused",
                        "echo-client", "--port", "CLOSED"),
                bad(1, "s4j slow-client: Invalid value for option '--port': 'x' is not a port number",
                        "slow-client", "--port", "x"),
                bad(2, "s4j slow-client: cannot connect to localhost port CLOSED: Connection refused",
                        "slow-client", "--port", "CLOSED"),
                bad(1, "s4j time-client: Missing required parameter: 'HOST'", "time-client"),
                bad(1, "s4j time-client: Invalid value for option '--port': port must be from 1 to 65535, not 99999",
                        "time-client", "127.0.0.1", "--port", "99999"),
                bad(2, "s4j time-client: cannot connect to 127.0.0.1 port CLOSED: Connection refused",
                        "time-client", "127.0.0.1", "--port", "CLOSED"),
                bad(1, "s4j select-client: Missing required parameters: 'PREFIX', 'HOST', 'PORT'", "select-client"),
                bad(1, "s4j select-client: Invalid value for positional parameter at index 2 (PORT): port must be from 1 to 65535, not 70000",
                        "select-client", "p", "127.0.0.1", "70000"),
                bad(1, "s4j select-client: --interval must be MIN,MAX seconds with 0 <= MIN <= MAX <= 3600, not 'x'",
                        "select-client", "p", "127.0.0.1", "CLOSED", "--interval", "x"),
                bad(1, "s4j select-client: --interval must be MIN,MAX seconds with 0 <= MIN <= MAX <= 3600, not '5,1'",
                        "select-client", "p", "127.0.0.1", "CLOSED", "--interval", "5,1"),
                bad(2, "s4j select-client: cannot connect to 127.0.0.1 port CLOSED: Connection refused",
                        "select-client", "p", "127.0.0.1", "CLOSED"),
                bad(1, "s4j chat-client: Missing required parameters: 'NICK', 'HOST', 'PORT'", "chat-client"),
                bad(1, "s4j chat-client: Invalid value for positional parameter at index 2 (PORT): port must be from 1 to 65535, not 70000",
                        "chat-client", "pat", "127.0.0.1", "70000"),
                bad(1, "s4j chat-client: Invalid value for positional parameter at index 2 (PORT): 'port' is not a port number",
                        "chat-client", "pat", "127.0.0.1", "port"),
                bad(1, "s4j bench: Missing required parameter: 'HOST:PORT'", "bench"),
                bad(1, "s4j bench: Invalid value for positional parameter at index 0 (HOST:PORT): 'no-port' is not HOST:PORT",
                        "bench", "no-port"),
                bad(1, "s4j bench: Invalid value for positional parameter at index 0 (HOST:PORT): port 70000 is out of range 1-65535",
                        "bench", "127.0.0.1:70000"),
                bad(1, "s4j bench: --connections must be at least 1",
                        "bench", "127.0.0.1:CLOSED", "--connections", "0"),
                bad(1, "s4j bench: --size must be at least 1", "bench", "127.0.0.1:CLOSED", "--size", "-1"),
                bad(1, "s4j bench: --rate is not offered with --backend io_uring",
                        "bench", "127.0.0.1:CLOSED", "--rate", "100", "--backend", "io_uring"),
                bad(1, "s4j bench: Invalid value for option '--backend': 'kqueue' is not one of select, poll, epoll, io_uring",
                        "bench", "127.0.0.1:CLOSED", "--backend", "kqueue"),
                bad(1, "s4j bench: Invalid value for option '--duration': 'forever' is not a duration (examples: 10, 10s, 500ms, 2m)",
                        "bench", "127.0.0.1:CLOSED", "--duration", "forever"),
                bad(1, "s4j bench: --pipeline must be between 1 and 4096",
                        "bench", "127.0.0.1:CLOSED", "--pipeline", "0"),
                bad(2, "s4j bench: cannot connect to 127.0.0.1 port CLOSED: Connection refused",
                        "bench", "127.0.0.1:CLOSED", "--duration", "1s", "--warmup", "0s"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badCommandLines")
    void badCommandLineGetsItsOwnExitCodeAndOneClearLine(Bad bad) {
        Run run = Run.of(bad.args().toArray(String[]::new));
        assertOneClearError(run.exitCode(), run.err(), bad.args());
        assertThat(run.exitCode()).as("exit code of %s; stderr %s", bad.args(), run.err()).isEqualTo(bad.exitCode());
        assertThat(run.err().lines().findFirst().orElse("")).as("error line of %s", bad.args()).isEqualTo(bad.error());
    }

    @Test
    void portInUseIsARuntimeFailureForEveryServer() throws IOException {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String port = Integer.toString(taken.getLocalPort());
            // each names its host as its start-up line does (echo-server: Python's "localhost")
            Map<List<String>, String> hosts = Map.of(List.of("echo-server", "--port", port), "localhost",
                    List.of("time-server", "--port", port), "127.0.0.1", List.of("select-server", port), "127.0.0.1");
            hosts.forEach((args, host) -> {
                Run run = Run.of(args.toArray(String[]::new));
                assertOneClearError(run.exitCode(), run.err(), args);
                assertThat(run.exitCode()).as("exit code of %s", args).isEqualTo(2);
                assertThat(run.err()).as("error of %s", args).isEqualTo("s4j " + args.getFirst()
                        + ": cannot listen on " + host + " port " + port + ": Address already in use" + System.lineSeparator());
            });
        }
    }

    /**
     * One clear error: a usage error (exit 1) is its line and the hint to the program's --help; a
     * failure at run time (exit 2) is its line alone; never a stack trace, an exception or a null.
     */
    static void assertOneClearError(int exitCode, String err, List<String> args) {
        assertThat(exitCode).as("exit code of %s; stderr %s", args, err).isIn(1, 2);
        List<String> lines = err.lines().toList();
        assertThat(lines).as("stderr of %s", args).hasSize(exitCode == 1 ? 2 : 1);
        String first = lines.getFirst();
        assertThat(first).as("error line of %s", args).startsWith("s4j").contains(": ");
        if (exitCode == 1) {
            String program = first.substring(0, first.indexOf(": "));
            assertThat(lines.get(1)).as("hint of %s", args).isEqualTo("Try '" + program + " --help' for more information.");
        }
        assertThat(err).as("stderr of %s", args).doesNotContain("\tat ", "Exception", "java.", "null");
    }
}
