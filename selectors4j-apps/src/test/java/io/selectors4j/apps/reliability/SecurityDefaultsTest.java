package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.apps.common.Program;
import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Needs;
import io.selectors4j.testkit.Ports;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.util.List;
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
    @Test
    void echoServerListensOnLoopbackOnlyAndSaysSo() throws IOException {
        try (ChildJvm server = ChildJvm.startServer(EchoServers.ECHO_SERVER.launch())) {
            // The start-up line "starting up on localhost port N" names the loopback name.
            assertThat(Proc.tcpListeners("/proc/net/tcp", server.port())).containsExactly("0100007F");
            assertThat(Proc.tcpListeners("/proc/net/tcp6", server.port())).isEmpty();
        }
    }

    @Test
    void timeServerListensOnLoopbackOnlyAndSaysSo() throws IOException {
        try (ChildJvm server = ChildJvm.startServer(Program.server(port -> List.of("time-server", "--port", Integer.toString(port)),
                "listening on port PORT", Ports.Kind.TCP_AND_UDP))) {
            assertThat(Proc.tcpListeners("/proc/net/tcp", server.port())).containsExactly("0100007F");
            assertThat(Proc.tcpListeners("/proc/net/tcp6", server.port())).isEmpty();
        }
    }

    @Test
    void selectServerListensOnLoopbackOnlyAndSaysSo() throws IOException {
        try (ChildJvm server = ChildJvm.startServer(Program.server(port -> List.of("select-server", Integer.toString(port)), "listening on 127\\.0\\.0\\.1 port PORT", Ports.Kind.TCP))) {
            assertThat(Proc.tcpListeners("/proc/net/tcp", server.port())).containsExactly("0100007F");
            assertThat(Proc.tcpListeners("/proc/net/tcp6", server.port())).isEmpty();
        }
    }

    @Test
    void chatServerListensOnLoopbackOnlyAndSaysSo() throws IOException {
        try (ChildJvm server = ChildJvm.startServer(Program.server(port -> List.of("chat-server", Integer.toString(port), "--quiet"),
                "listening on 127\\.0\\.0\\.1 port PORT", Ports.Kind.TCP))) {
            assertThat(Proc.tcpListeners("/proc/net/tcp", server.port())).containsExactly("0100007F");
            assertThat(Proc.tcpListeners("/proc/net/tcp6", server.port())).isEmpty();
        }
    }

    @Test
    void serveListensOnLoopbackOnlyAndSaysSo() throws IOException {
        try (ChildJvm server = ChildJvm.startServer(EchoServers.SERVE.launch())) {
            assertThat(Proc.tcpListeners("/proc/net/tcp", server.port())).containsExactly("0100007F");
            assertThat(Proc.tcpListeners("/proc/net/tcp6", server.port())).isEmpty();
        }
    }

    @Test
    void echoServerOnIpv6LoopbackWhenAsked() throws IOException {
        Needs.ipv6Loopback();
        try (ChildJvm server = ChildJvm.startServer(Program.server(port -> List.of("echo-server", "--quiet", "--host", "::1", "--port", Integer.toString(port)),
                "starting up on ::1 port PORT", Ports.Kind.TCP))) {
            assertThat(Proc.tcpListeners("/proc/net/tcp6", server.port())).containsExactly("00000000000000000000000001000000");
            assertThat(Proc.tcpListeners("/proc/net/tcp", server.port())).isEmpty();
        }
    }
}
