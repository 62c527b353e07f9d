package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.sys.TestWaits;
import io.selectors4j.testkit.Proc;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(10)
class OptionsTest {
    private static final InetSocketAddress LOOPBACK_ANY_PORT = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @Test
    void booleanOptionsRoundTrip() throws Exception {
        try (Socket socket = Socket.tcp4()) {
            socket.setTcpNoDelay(true);
            assertThat(socket.tcpNoDelay()).isTrue();
            socket.setTcpNoDelay(false);
            assertThat(socket.tcpNoDelay()).isFalse();
            socket.setReuseAddress(true);
            assertThat(socket.reuseAddress()).isTrue();
            socket.setReuseAddress(false);
            assertThat(socket.reuseAddress()).isFalse();
            socket.setReusePort(true);
            assertThat(socket.reusePort()).isTrue();
            socket.setReusePort(false);
            assertThat(socket.reusePort()).isFalse();
        }
    }

    @Test
    void bufferSizesAreKeptDoubledAsLinuxDoes() throws Exception {
        try (Socket socket = Socket.tcp4()) {
            socket.setReceiveBufferSize(32 * 1024);
            socket.setSendBufferSize(48 * 1024);
            assertThat(socket.receiveBufferSize()).isEqualTo(64 * 1024);
            assertThat(socket.sendBufferSize()).isEqualTo(96 * 1024);
        }
    }

    @Test
    void lingerRoundTripsAndMinusOneTurnsItOff() throws Exception {
        try (Socket socket = Socket.tcp4()) {
            assertThat(socket.linger()).isEqualTo(-1);
            socket.setLinger(5);
            assertThat(socket.linger()).isEqualTo(5);
            socket.setLinger(0);
            assertThat(socket.linger()).isZero();
            socket.setLinger(-1);
            assertThat(socket.linger()).isEqualTo(-1);
        }
    }

    @Test
    void twoReusePortListenersShareAPort() throws Exception {
        try (Socket first = Socket.tcp4(); Socket second = Socket.tcp4()) {
            first.setReusePort(true);
            first.bind(LOOPBACK_ANY_PORT);
            first.listen(4);
            second.setReusePort(true);
            second.bind(first.localAddress());
            second.listen(4);
            assertThat(second.localAddress()).isEqualTo(first.localAddress());
        }
    }

    @Test
    void bindingATakenPortIsAddressInUse() throws Exception {
        try (Socket first = Socket.listenTcp(LOOPBACK_ANY_PORT, 4); Socket second = Socket.tcp4()) {
            assertThatThrownBy(() -> second.bind(first.localAddress()))
                    .isInstanceOfSatisfying(NativeIOException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.EADDRINUSE));
        }
    }

    @Test
    void soErrorIsZeroOnAHealthySocket() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            assertThat(a.soError()).isZero();
        }
    }

    @Test
    void peerAddressOfAnUnconnectedSocketIsNotConnected() throws Exception {
        try (Socket socket = Socket.tcp4()) {
            assertThatThrownBy(socket::peerAddress)
                    .isInstanceOfSatisfying(NativeIOException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.ENOTCONN));
        }
    }

    @Test
    void bindingToTheEmptyUnixPathPicksAFreshAbstractNameEachTime() throws Exception {
        try (Socket first = Socket.unix(); Socket second = Socket.unix()) {
            first.bind(UnixDomainSocketAddress.of(""));
            second.bind(UnixDomainSocketAddress.of(""));
            first.listen(1);
            second.listen(1);
            // The kernel's autobind names are abstract ("@" then five hex digits in /proc/net/unix);
            // they have no Java form, so the socket's own address reads as the empty path.
            String one = Proc.unixSocketName(first.fileno());
            String two = Proc.unixSocketName(second.fileno());
            assertThat(one).matches("@[0-9a-f]{5}");
            assertThat(two).matches("@[0-9a-f]{5}").isNotEqualTo(one);
            assertThat(first.localAddress()).isEqualTo(UnixDomainSocketAddress.of(""));
        }
    }

    @Test
    void unixAddressesAreThePathOrEmptyWhenUnnamed(@TempDir Path dir) throws Exception {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of(dir.resolve("x.sock"));
        try (Socket listener = Socket.unix(); Socket client = Socket.unix()) {
            listener.bind(path);
            listener.listen(1);
            assertThat(listener.localAddress()).isEqualTo(path);
            client.connect(path);
            assertThat(client.peerAddress()).isEqualTo(path);
            assertThat(client.localAddress()).isEqualTo(UnixDomainSocketAddress.of(""));
            try (Socket server = listener.accept().socket()) {
                assertThat(server.localAddress()).isEqualTo(path);
            }
        }
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            assertThat(a.localAddress()).isEqualTo(UnixDomainSocketAddress.of(""));
            assertThat(b.peerAddress()).isEqualTo(UnixDomainSocketAddress.of(""));
        }
    }

    @Test
    void urgentDataIsReportedAsPriorityToTheReceiver() throws Exception {
        try (Socket listener = Socket.listenTcp(LOOPBACK_ANY_PORT, 4);
             Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress());
             Socket server = listener.accept().socket()) {
            assertThat(client.sendUrgent((byte) '!')).isEqualTo(1);
            assertThat(TestWaits.poll(server, TestWaits.POLLPRI, Duration.ofSeconds(5)) & TestWaits.POLLPRI)
                    .isNotZero();
        }
    }

    @Test
    void shutdownWriteGivesThePeerEndOfStream() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            a.shutdown(Socket.SHUT_WR);
            assertThat(b.recv(new byte[4])).isZero();
            b.sendAll(new byte[] {9});
            byte[] in = new byte[1];
            assertThat(a.recv(in)).isEqualTo(1);
            assertThatThrownBy(() -> a.shutdown(7)).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
