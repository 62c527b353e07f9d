package io.selectors4j.apps.common;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Ports;
import io.selectors4j.apps.Run;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One error form for every program: {@code cannot listen on HOST port N: reason} for a server,
 * {@code cannot connect to HOST port N: reason} for a client, after the program's name, on one line.
 */
@Timeout(60)
class ErrorFormatTest {

    @Test
    void everyServerSaysWhereItCannotListen() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            String port = Integer.toString(taken.getLocalPort());
            String inUse = " port " + port + ": Address already in use\n";

            assertThat(Run.of("echo-server", "--port", port).err()).isEqualTo("s4j echo-server: cannot listen on localhost" + inUse);
            assertThat(Run.of("time-server", "--port", port).err()).isEqualTo("s4j time-server: cannot listen on 127.0.0.1" + inUse);
            assertThat(Run.of("select-server", port).err()).isEqualTo("s4j select-server: cannot listen on 127.0.0.1" + inUse);
            assertThat(Run.of("chat-server", port).err()).isEqualTo("s4j chat-server: cannot listen on 127.0.0.1" + inUse);
            assertThat(Run.of("serve", "--echo-port", port, "--time-port", "0", "--chat-port", "0").err())
                    .isEqualTo("s4j serve: echo: cannot listen on 127.0.0.1" + inUse);
            assertThat(Run.of("serve", "--echo-port", "0", "--time-port", "0", "--chat-port", port).err())
                    .isEqualTo("s4j serve: chat: cannot listen on 127.0.0.1" + inUse);
        }
    }

    @Test
    void aTakenUdpPortIsToldInTheSameForm() throws Exception {
        int port = Ports.free(Ports.Kind.TCP_AND_UDP);
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), port))) {
            String inUse = " port " + port + " (UDP): Address already in use\n";

            assertThat(Run.of("time-server", "--port", Integer.toString(port)).err())
                    .isEqualTo("s4j time-server: cannot listen on 127.0.0.1" + inUse);
            assertThat(Run.of("serve", "--echo-port", "0", "--time-port", Integer.toString(port), "--chat-port", "0").err())
                    .isEqualTo("s4j serve: time: cannot listen on 127.0.0.1" + inUse);
        }
    }

    @Test
    void everyClientSaysWhereItCannotConnect() {
        String port = Integer.toString(Ports.free(Ports.Kind.TCP));
        String refused = " port " + port + ": Connection refused\n";
        for (List<String> client : List.of(List.of("echo-client", "--port", port), List.of("slow-client", "--port", port))) {
            Run run = Run.of(client.toArray(String[]::new));
            assertThat(run.exitCode()).isEqualTo(2);
            assertThat(run.err()).isEqualTo("s4j " + client.getFirst() + ": cannot connect to localhost" + refused);
        }
        for (List<String> client : List.of(List.of("time-client", "127.0.0.1", "--port", port),
                List.of("select-client", "p", "127.0.0.1", port), List.of("chat-client", "pat", "127.0.0.1", port),
                List.of("bench", "127.0.0.1:" + port, "--duration", "1s", "--warmup", "0.1s"))) {
            Run run = Run.of(client.toArray(String[]::new));
            assertThat(run.exitCode()).as("%s", client).isEqualTo(2);
            assertThat(run.err()).as("%s", client).isEqualTo("s4j " + client.getFirst() + ": cannot connect to 127.0.0.1" + refused);
        }
    }
}
