package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.LoopBackends;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Review of the io_uring listener's edges: a close with its accept (or, under a limit, its poll) in
 * flight must stop listening at once, and a connection past {@code maxConnections} must wait in the
 * backlog and be served when a place frees, never before.
 */
class UringReviewListenerTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aListenerClosedWithItsAcceptInFlightStopsListeningAtOnce(LoopBackend backend) throws Exception {
        stopsListening(backend, ServerOptions.defaults());
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aListenerClosedWithItsPollInFlightStopsListeningAtOnce(LoopBackend backend) throws Exception {
        stopsListening(backend, ServerOptions.defaults().withMaxConnections(4));
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aConnectionPastTheLimitIsServedOnlyWhenAPlaceFrees(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, UringLoopTest.Echo::new,
                    ServerOptions.defaults().withMaxConnections(2));
            int port = ((InetSocketAddress) server.address()).getPort();
            List<Socket> served = new ArrayList<>();
            try {
                for (int i = 0; i < 2; i++) {
                    Socket client = Clients.connect(port);
                    served.add(client);
                    Clients.assertEchoes(client, 10);
                }
                try (Socket third = Clients.connect(port)) { // completes in the backlog
                    third.setSoTimeout(300);
                    third.getOutputStream().write("past the limit".getBytes());
                    assertThatThrownBy(() -> third.getInputStream().read())
                            .as("no echo past the limit").isInstanceOf(java.net.SocketTimeoutException.class);
                    served.remove(0).close();
                    third.setSoTimeout(20_000);
                    assertThat(Clients.readFully(third.getInputStream(), 14)).as("served once a place freed")
                            .isEqualTo("past the limit".getBytes());
                    assertThat(running.call(server::connectionCount)).isEqualTo(2);
                }
            } finally {
                for (Socket client : served) {
                    client.close();
                }
            }
            server.close();
            assertThat(running.failures).isEmpty();
        }
    }

    private static void stopsListening(LoopBackend backend, ServerOptions options) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            Server server = running.loop.listen(ANY, UringLoopTest.Echo::new, options);
            int port = ((InetSocketAddress) server.address()).getPort();
            try (Socket client = Clients.connect(port)) {
                Clients.assertEchoes(client, 10); // the listener's next accept (or poll) is in flight now
                server.close();
                running.call(() -> null); // the close has run on the loop
                assertThatThrownBy(() -> Clients.connect(port)).as("a connect after the close")
                        .isInstanceOf(ConnectException.class);
                Clients.assertEchoes(client, 10); // the connection made before stays
            }
            assertThat(running.failures).isEmpty();
        }
    }
}
