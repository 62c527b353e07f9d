package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Needs;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A connection's addresses: the peer is kept packed (IPv4) or as it came (IPv6), and both addresses
 * are the ones the client sees, also after the connection is lost.
 */
class TransportAddressTest {

    /** Each loopback host on each backend of {@link LoopBackends#epollAndIoUring}. */
    static Stream<Arguments> hostsOnEachBackend() {
        return LoopBackends.epollAndIoUring()
                .flatMap(backend -> Stream.of("127.0.0.1", "::1").map(host -> Arguments.of(backend, host)));
    }

    @ParameterizedTest
    @MethodSource("hostsOnEachBackend")
    void theAddressesAreTheClientsOwnAlsoAfterTheConnectionIsLost(LoopBackend backend, String host) throws Exception {
        InetAddress address = host.equals("::1") ? Needs.ipv6Loopback() : InetAddress.getByName(host);
        try (RunningLoop running = RunningLoop.start(backend)) {
            StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
            Server server = running.loop.listen(new InetSocketAddress(address, 0), () -> echo);
            InetSocketAddress clientSide;
            Transport transport;
            try (java.net.Socket client = StreamTransportTest.client(server)) {
                clientSide = (InetSocketAddress) client.getLocalSocketAddress();
                transport = echo.made.get(20, TimeUnit.SECONDS);
                assertThat(transport.peerAddress()).isEqualTo(clientSide);
                assertThat(transport.localAddress()).isEqualTo(server.address());
                assertThat(transport.toString()).contains(Integer.toString(clientSide.getPort()));
            }
            echo.lost.get(20, TimeUnit.SECONDS);
            assertThat(transport.peerAddress()).isEqualTo(clientSide);
            assertThat(transport.localAddress()).isEqualTo(server.address()); // asked before: remembered
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"0.0.0.0:0", "127.0.0.1:1", "255.255.255.255:65535", "10.20.30.40:8037"})
    void anIpv4AddressSurvivesPacking(String text) throws Exception {
        int colon = text.indexOf(':');
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName(text.substring(0, colon)),
                Integer.parseInt(text.substring(colon + 1)));
        long packed = PackedAddress.pack(address);
        assertThat(packed).isNotEqualTo(PackedAddress.NOT_PACKED);
        assertThat(PackedAddress.unpack(packed)).isEqualTo(address);
    }

    @ParameterizedTest
    @ValueSource(strings = {"::1", "fe80::1"})
    void anIpv6AddressIsNotPacked(String host) throws Exception {
        assertThat(PackedAddress.pack(new InetSocketAddress(InetAddress.getByName(host), 80)))
                .isEqualTo(PackedAddress.NOT_PACKED);
    }
}
