package io.selectors4j.apps.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.ChildJvm;
import io.selectors4j.testkit.Clients;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * EMFILE: each echo server, started with a low open-files limit meets more clients than it has
 * descriptors. The clients it has room for are served, the rest are closed at once rather than left
 * hanging, the server does not spin while it is full, and once the clients leave it is back to its
 * baseline and serves again.
 */
class EchoEmfileTest {
    private static final int OPEN_FILES = 128;
    private static final int CLIENTS = 200;

    @ParameterizedTest
    @EnumSource(EchoServers.class)
    @Timeout(value = 3, unit = TimeUnit.MINUTES)
    void serverOutOfDescriptorsShedsNewClientsAndKeepsServingTheOthers(EchoServers kind) throws IOException {
        try (ChildJvm server = ChildJvm.startServer(kind.launch().withOpenFiles(OPEN_FILES))) {
            Clients.assertEchoes(server.port(), 50_000);
            int baseline = server.steadyOpenFds();
            assertThat(baseline).as("descriptors before the flood").isLessThan(OPEN_FILES - 20);

            List<Socket> clients = new ArrayList<>();
            try (Socket early = Clients.connect(server.port())) {
                Clients.assertEchoes(early, 1_000);
                int served = 0;
                int shed = 0;
                for (int i = 0; i < CLIENTS; i++) {
                    Socket client = Clients.connect(server.port());
                    clients.add(client);
                    if (echoesOrIsClosed(client)) {
                        served++;
                    } else {
                        shed++;
                    }
                }
                System.out.printf("EMFILE %s: limit %d, baseline %d descriptors, %d clients served, %d shed%n",
                        kind, OPEN_FILES, baseline, served, shed);
                assertThat(served).as("clients served").isGreaterThan(10);
                assertThat(shed).as("clients closed for want of a descriptor").isGreaterThan(10);
                EchoFaultsTest.assertNoSpin(server, kind + " out of descriptors");
                Clients.assertEchoes(early, 60_000);
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
            assertThat(server.awaitOpenFdsAtMost(baseline)).as("descriptors after the clients left").isLessThanOrEqualTo(baseline);
            Clients.assertEchoes(server.port(), 100_000);
            EchoFaultsTest.assertNoSpin(server, kind + " after the clients left");
            assertThat(server.unexpectedStderr(ServerLog.OUT_OF_DESCRIPTORS)).as("stderr").isEmpty();
        }
    }

    /** True when the server echoes on {@code client}; false when it closed it; fails if it hangs. */
    private static boolean echoesOrIsClosed(Socket client) throws IOException {
        byte[] ping = {1, 2, 3, 4};
        try {
            client.getOutputStream().write(ping);
            int first = client.getInputStream().read();
            if (first < 0) {
                return false;
            }
            assertThat(first).isEqualTo(1);
            assertThat(Clients.readFully(client.getInputStream(), 3)).containsExactly(2, 3, 4);
            return true;
        } catch (SocketException reset) {
            return false;
        }
    }
}
