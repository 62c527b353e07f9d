package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Security defaults seen from outside: with no {@code --host} every server listens on the loopback
 * address only (checked in the kernel's socket table, {@code /proc/net/tcp}); every server but
 * time-server says so in its first line (time-server prints the port only, as programs.md has it);
 * {@code --host ::1} is honoured.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class SecurityDefaultsTest {
    private static final String TCP_LISTEN = "0A";

    @Test
    void echoServerListensOnLoopbackOnlyAndSaysSo() throws IOException {
        try (ChildServer server = ChildServer.start(EchoServers.ECHO_SERVER.launch())) {
            // The start-up line "starting up on localhost port N" names the loopback name.
            assertThat(listeners("/proc/net/tcp", server.port())).containsExactly("0100007F");
            assertThat(listeners("/proc/net/tcp6", server.port())).isEmpty();
        }
    }

    @Test
    void timeServerListensOnLoopbackOnlyAndSaysSo() throws IOException {
        try (ChildServer server = ChildServer.start(new ChildServer.Launch(0, null,
                port -> List.of("time-server", "--port", Integer.toString(port)),
                "listening on port PORT"))) {
            assertThat(listeners("/proc/net/tcp", server.port())).containsExactly("0100007F");
            assertThat(listeners("/proc/net/tcp6", server.port())).isEmpty();
        }
    }

    @Test
    void selectServerListensOnLoopbackOnlyAndSaysSo() throws IOException {
        try (ChildServer server = ChildServer.start(new ChildServer.Launch(0, null,
                port -> List.of("select-server", Integer.toString(port)), "listening on 127\\.0\\.0\\.1 port PORT"))) {
            assertThat(listeners("/proc/net/tcp", server.port())).containsExactly("0100007F");
            assertThat(listeners("/proc/net/tcp6", server.port())).isEmpty();
        }
    }

    @Test
    void chatServerListensOnLoopbackOnlyAndSaysSo() throws IOException {
        try (ChildServer server = ChildServer.start(new ChildServer.Launch(0, null,
                port -> List.of("chat-server", Integer.toString(port), "--quiet"),
                "listening on 127\\.0\\.0\\.1 port PORT"))) {
            assertThat(listeners("/proc/net/tcp", server.port())).containsExactly("0100007F");
            assertThat(listeners("/proc/net/tcp6", server.port())).isEmpty();
        }
    }

    @Test
    void serveListensOnLoopbackOnlyAndSaysSo() throws IOException {
        try (ChildServer server = ChildServer.start(EchoServers.SERVE.launch())) {
            assertThat(listeners("/proc/net/tcp", server.port())).containsExactly("0100007F");
            assertThat(listeners("/proc/net/tcp6", server.port())).isEmpty();
        }
    }

    @Test
    void echoServerOnIpv6LoopbackWhenAsked() throws IOException {
        try (ChildServer server = ChildServer.start(new ChildServer.Launch(0, null,
                port -> List.of("echo-server", "--quiet", "--host", "::1", "--port", Integer.toString(port)),
                "starting up on ::1 port PORT"))) {
            assertThat(listeners("/proc/net/tcp6", server.port())).containsExactly("00000000000000000000000001000000");
            assertThat(listeners("/proc/net/tcp", server.port())).isEmpty();
        }
    }

    /** The local addresses (hex, as the kernel writes them) of the listening TCP sockets on {@code port}. */
    static List<String> listeners(String table, int port) throws IOException {
        String portHex = String.format(Locale.ROOT, "%04X", port);
        List<String> addresses = new ArrayList<>();
        List<String> lines = Files.readAllLines(Path.of(table));
        for (String line : lines.subList(1, lines.size())) {
            String[] fields = line.trim().split("\\s+");
            String[] local = fields[1].split(":");
            if (local[1].equals(portHex) && fields[3].equals(TCP_LISTEN)) {
                addresses.add(local[0]);
            }
        }
        return addresses;
    }
}
