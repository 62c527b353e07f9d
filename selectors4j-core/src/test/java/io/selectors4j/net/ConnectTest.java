package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.sys.TestWaits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class ConnectTest {

    /** A loopback address with nothing listening: a port just bound and released. */
    private static InetSocketAddress closedPort() throws Exception {
        try (Socket probe = Socket.tcp4()) {
            probe.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
            return (InetSocketAddress) probe.localAddress();
        }
    }

    @Test
    void blockingConnectToAClosedPortIsRefused() throws Exception {
        InetSocketAddress target = closedPort();
        assertThatThrownBy(() -> Socket.connectTcp(target))
                .isInstanceOfSatisfying(NativeIOException.class, e -> {
                    assertThat(e.errno()).isEqualTo(Errno.ECONNREFUSED);
                    assertThat(e.call()).isEqualTo("connect");
                    assertThat(e).hasMessageContaining("ECONNREFUSED");
                });
    }

    @Test
    void nonBlockingConnectToAClosedPortIsRefusedWhenWritable() throws Exception {
        InetSocketAddress target = closedPort();
        try (Socket socket = Socket.tcp4()) {
            socket.setBlocking(false);
            assertThat(socket.connect(target)).isFalse();
            assertThat(TestWaits.poll(socket, TestWaits.POLLOUT, Duration.ofSeconds(5)) & TestWaits.POLLOUT)
                    .isNotZero();
            assertThatThrownBy(socket::finishConnect)
                    .isInstanceOfSatisfying(NativeIOException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.ECONNREFUSED));
        }
    }

    @Test
    void nonBlockingConnectToAListenerCompletes() throws Exception {
        try (Socket listener = Socket.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
             Socket socket = Socket.tcp4()) {
            socket.setBlocking(false);
            boolean connected = socket.connect(listener.localAddress());
            if (!connected) {
                assertThat(TestWaits.poll(socket, TestWaits.POLLOUT, Duration.ofSeconds(5))).isNotZero();
                socket.finishConnect();
            }
            assertThat(socket.peerAddress()).isEqualTo(listener.localAddress());
            Socket.Accepted accepted = listener.accept(true);
            try (Socket server = accepted.socket()) {
                assertThat(server.isBlocking()).isFalse();
                assertThat(accepted.peer()).isEqualTo(socket.localAddress());
            }
        }
    }

    @Test
    void everyDescriptorIsCloseOnExec() throws Exception {
        try (Socket listener = Socket.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
             Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress());
             Socket server = listener.accept().socket();
             Pipe pipe = Pipe.open()) {
            Socket.Pair pair = Socket.pair();
            try (Socket a = pair.first(); Socket b = pair.second()) {
                for (var fd : new io.selectors4j.Selectable[] {listener, client, server, a, b, pipe.source(), pipe.sink()}) {
                    assertThat(TestWaits.isCloseOnExec(fd)).as(fd.toString()).isTrue();
                }
            }
        }
    }
}
