package io.selectors4j.apps.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Ports;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One start-up and stop format for every server, as real processes: a server says where it listens
 * ({@code listening on HOST port N}, or the classic line programs.md gives echo-server and time-server),
 * port 0 means any free port and the line tells which, and a stop asked for by SIGTERM says
 * {@code stopping} and exits 0.
 */
@Timeout(60)
class StartAndStopLinesTest {

    static Stream<Arguments> servers() {
        return Stream.of(
                Arguments.of(List.of("echo-server", "--quiet", "--port", "0"),
                        List.of("starting up on localhost port PORT", "stopping")),
                Arguments.of(List.of("time-server", "--quiet", "--port", "0"),
                        List.of("listening on port PORT", "stopping")),
                Arguments.of(List.of("time-server", "--quiet", "--port", "0", "--host", "127.0.0.1"),
                        List.of("listening on 127.0.0.1 port PORT", "stopping")),
                Arguments.of(List.of("select-server", "--quiet", "0"),
                        List.of("listening on 127.0.0.1 port PORT", "waiting for connections", "stopping")),
                Arguments.of(List.of("chat-server", "--quiet", "0"),
                        List.of("listening on 127.0.0.1 port PORT", "stopping")),
                Arguments.of(List.of("serve", "--quiet", "--echo-port", "FREE", "--time-port", "0", "--chat-port", "0"),
                        List.of("echo: listening on 127.0.0.1 port PORT",
                                "serve: running on 1 event loop (BACKEND); Ctrl-C stops", "serve: stopping")));
    }

    @ParameterizedTest
    @MethodSource("servers")
    void saysWhereItListensOnAnyFreePortAndThatItStops(List<String> args, List<String> expected) throws Exception {
        List<String> command = new ArrayList<>(args);
        command.replaceAll(arg -> arg.equals("FREE") ? Integer.toString(Ports.free(Ports.Kind.TCP)) : arg);
        try (ChildJvm server = Program.start(command.toArray(String[]::new))) {
            String first = server.nextLine();
            Matcher port = Pattern.compile(".* port (\\d+)").matcher(first);
            assertThat(port.matches()).as("first line %s; stderr %s", first, server.stderr()).isTrue();
            int listening = Integer.parseInt(port.group(1));
            assertThat(listening).isPositive();
            try (Socket client = new Socket()) {
                client.connect(new InetSocketAddress("127.0.0.1", listening), 10_000);   // really listening there
            }

            assertThat(server.terminate()).isZero();
            List<String> lines = server.allLines();
            assertThat(lines).containsExactlyElementsOf(expected.stream()
                    .map(line -> line.replace("PORT", Integer.toString(listening))
                            .replace("BACKEND", io.selectors4j.selectors.Backend.best().name().toLowerCase(java.util.Locale.ROOT)))
                    .toList());
            assertThat(server.stderr()).isEmpty();
        }
    }
}
