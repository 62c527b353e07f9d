package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.sys.Platform;
import io.selectors4j.sys.SocketCalls;
import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Proc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link ServerOptions} reach the kernel: {@code SO_REUSEADDR} on the listening socket and
 * {@code TCP_NODELAY} on every accepted connection, read back with getsockopt, both ways.
 */
@Timeout(30)
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class ServerOptionsSocketTest {
    private static final InetSocketAddress LOOPBACK = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void reuseAddressIsSetOnTheListenerAndTcpNoDelayOnEachAcceptedConnection(boolean on) throws Exception {
        ServerOptions options = ServerOptions.defaults().withReuseAddress(on).withTcpNoDelay(on);
        try (RunningLoop running = RunningLoop.start(backend)) {
            StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
            Server server = running.loop.listen(LOOPBACK, () -> echo, options);
            int port = ((InetSocketAddress) server.address()).getPort();
            try (java.net.Socket client = StreamTransportTest.client(server)) {
                echo.made.get(20, TimeUnit.SECONDS);
                // the library keeps its sockets to itself: found through the kernel's socket table
                int listener = Proc.tcpSocketFd(port, 0).orElseThrow();
                int accepted = Proc.tcpSocketFd(port, client.getLocalPort()).orElseThrow();
                assertThat(SocketCalls.getInt(listener, Platform.SOL_SOCKET, Platform.SO_REUSEADDR) != 0)
                        .as("SO_REUSEADDR on the listener").isEqualTo(on);
                assertThat(SocketCalls.getInt(accepted, Platform.IPPROTO_TCP, Platform.TCP_NODELAY) != 0)
                        .as("TCP_NODELAY on the accepted connection").isEqualTo(on);
            }
            server.close();
        }
    }
}
