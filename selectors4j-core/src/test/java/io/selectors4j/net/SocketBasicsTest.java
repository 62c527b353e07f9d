package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class SocketBasicsTest {

    @Test
    void socketPairCarriesBytesBothWays() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            a.sendAll("ping".getBytes(StandardCharsets.US_ASCII));
            byte[] in = new byte[16];
            int n = b.recv(in);
            assertThat(new String(in, 0, n, StandardCharsets.US_ASCII)).isEqualTo("ping");
            b.sendAll("pong".getBytes(StandardCharsets.US_ASCII));
            n = a.recv(in);
            assertThat(new String(in, 0, n, StandardCharsets.US_ASCII)).isEqualTo("pong");
        }
    }

    @Test
    void tcpListenerAcceptsAConnectionAndReportsBothAddresses() throws Exception {
        InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
        try (Socket listener = Socket.listenTcp(any, 16)) {
            InetSocketAddress bound = (InetSocketAddress) listener.localAddress();
            assertThat(bound.getPort()).isPositive();
            try (Socket client = Socket.connectTcp(bound)) {
                Socket.Accepted accepted = listener.accept();
                try (Socket server = accepted.socket()) {
                    assertThat(accepted.peer()).isEqualTo(client.localAddress());
                    assertThat(client.peerAddress()).isEqualTo(bound);
                    assertThat(server.isBlocking()).isTrue();
                    client.sendAll(new byte[] {1, 2, 3});
                    byte[] in = new byte[3];
                    assertThat(server.recv(in)).isEqualTo(3);
                    assertThat(in).containsExactly(1, 2, 3);
                }
            }
        }
    }

    @Test
    void nonBlockingRecvWithNothingPendingSaysWouldBlockAndEofIsZero() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            b.setBlocking(false);
            assertThat(b.isBlocking()).isFalse();
            byte[] in = new byte[8];
            assertThat(b.recv(in)).isEqualTo(Socket.WOULD_BLOCK);
            a.sendAll(new byte[] {42});
            assertThat(b.recv(in)).isEqualTo(1);
            assertThat(in[0]).isEqualTo((byte) 42);
            a.close();
            assertThat(b.recv(in)).isZero();
        }
    }

    @Test
    void nonBlockingAcceptWithNothingPendingReturnsNull() throws Exception {
        try (Socket listener = Socket.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4)) {
            listener.setBlocking(false);
            assertThat(listener.accept()).isNull();
        }
    }
}
