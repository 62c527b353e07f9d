package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class DatagramTest {

    @Test
    void datagramsCarryTheirSenderBothWays() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Socket server = Socket.udp4(); Socket client = Socket.udp4()) {
            server.bind(loopback);
            client.bind(loopback);
            byte[] ping = "ping".getBytes(StandardCharsets.US_ASCII);
            assertThat(client.sendTo(ping, 0, ping.length, server.localAddress())).isEqualTo(4);
            byte[] in = new byte[64];
            Socket.Received received = server.recvFrom(in);
            assertThat(received.length()).isEqualTo(4);
            assertThat(received.sender()).isEqualTo(client.localAddress());
            server.sendTo(in, 0, received.length(), received.sender());
            Socket.Received echoed = client.recvFrom(in);
            assertThat(new String(in, 0, echoed.length(), StandardCharsets.US_ASCII)).isEqualTo("ping");
            assertThat(echoed.sender()).isEqualTo(server.localAddress());
        }
    }

    @Test
    void nonBlockingRecvFromWithNothingWaitingIsNull() throws Exception {
        try (Socket socket = Socket.udp4()) {
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            socket.setBlocking(false);
            assertThat(socket.recvFrom(new byte[16])).isNull();
        }
    }
}
