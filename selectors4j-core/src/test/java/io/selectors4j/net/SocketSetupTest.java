package io.selectors4j.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.sys.FileCalls;
import io.selectors4j.sys.Libc;
import io.selectors4j.sys.Platform;
import io.selectors4j.sys.SocketCalls;
import io.selectors4j.testkit.Needs;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Sockets made non-blocking and close-on-exec in the creating call, inherited descriptors adopted,
 * int options by number and by name, and accept surviving connections that fail before it takes them.
 */
@Timeout(30)
class SocketSetupTest {
    private static final int O_NONBLOCK = 04000;
    private static final int O_CLOEXEC = 02000000;

    private static InetSocketAddress loopback() {
        return new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
    }

    @Test
    void socketsCreatedNonBlockingAreSoFromTheStartAndCloseOnExec() throws Exception {
        try (Socket tcp4 = Socket.tcp4(true); Socket tcp6 = Socket.tcp6(true); Socket unix = Socket.unix(true);
             Socket blocking = Socket.tcp4(false)) {
            for (Socket s : new Socket[] {tcp4, tcp6, unix}) {
                assertThat(s.isBlocking()).isFalse();
                assertThat(Proc.fdFlags(s.fileno()) & (O_NONBLOCK | O_CLOEXEC)).isEqualTo(O_NONBLOCK | O_CLOEXEC);
            }
            assertThat(blocking.isBlocking()).isTrue();
            assertThat(Proc.fdFlags(blocking.fileno()) & (O_NONBLOCK | O_CLOEXEC)).isEqualTo(O_CLOEXEC);
        }
    }

    @Test
    void aNonBlockingConnectFromACreatedNonBlockingSocketCompletes() throws Exception {
        try (Socket listener = Socket.listenTcp(loopback(), 4); Socket client = Socket.tcp4(true)) {
            boolean connected = client.connect(listener.localAddress());
            Socket.Accepted accepted = listener.accept(true);
            try (Socket server = accepted.socket()) {
                assertThat(server.isBlocking()).isFalse();
                assertThat(Proc.fdFlags(server.fileno()) & (O_NONBLOCK | O_CLOEXEC)).isEqualTo(O_NONBLOCK | O_CLOEXEC);
                if (!connected) {
                    client.finishConnect();
                }
                assertThat(server.recv(new byte[4])).isEqualTo(Socket.WOULD_BLOCK);
                client.setBlocking(true);
                client.sendAll("ping".getBytes(US_ASCII));
                server.setBlocking(true);
                byte[] got = new byte[4];
                assertThat(server.recv(got)).isEqualTo(4);
                assertThat(new String(got, US_ASCII)).isEqualTo("ping");
            }
        }
    }

    @Test
    void acceptSkipsNothingAndThrowsNothingWhenAConnectionIsResetBeforeItIsTaken() throws Exception {
        try (Socket listener = Socket.listenTcp(loopback(), 8)) {
            InetSocketAddress address = (InetSocketAddress) listener.localAddress();
            int resetPort;
            try (Socket doomed = Socket.connectTcp(address)) {
                resetPort = ((InetSocketAddress) doomed.localAddress()).getPort();
                doomed.setLinger(0); // close sends RST
            }
            try (Socket good = Socket.connectTcp(address)) {
                good.sendAll("hello".getBytes(US_ASCII));
                Socket.Accepted first = listener.accept();
                Socket.Accepted taken = first;
                if (((InetSocketAddress) first.peer()).getPort() == resetPort) {
                    // Linux may still hand over the reset connection: it reports the reset, nothing else
                    try (Socket reset = first.socket()) {
                        assertThatThrownBy(() -> reset.recv(new byte[8]))
                                .isInstanceOfSatisfying(NativeIOException.class,
                                        e -> assertThat(e.errno()).isEqualTo(Errno.ECONNRESET));
                    }
                    taken = listener.accept();
                }
                try (Socket server = taken.socket()) {
                    byte[] got = new byte[5];
                    assertThat(server.recv(got)).isEqualTo(5);
                    assertThat(new String(got, US_ASCII)).isEqualTo("hello");
                }
            }
            listener.setBlocking(false);
            assertThat(listener.accept(true)).as("nothing left pending").isNull();
        }
    }

    @Test
    void anInheritedSocketIsAdoptedWithItsFamilyAndMode() throws Exception {
        InetAddress ipv6 = Needs.ipv6Loopback();
        int fd = SocketCalls.socket(Platform.AF_INET6, Platform.SOCK_STREAM, true);
        try (Socket adopted = Socket.adopt(fd)) {
            assertThat(adopted.fileno()).isEqualTo(fd);
            assertThat(adopted.isBlocking()).isFalse();
            assertThat(adopted.toString()).contains("inet6");
            adopted.setV6Only(true);
            adopted.bind(new InetSocketAddress(ipv6, 0));
            adopted.listen(4);
            try (Socket client = Socket.connectTcp((InetSocketAddress) adopted.localAddress())) {
                Socket.Accepted accepted = awaitAccept(adopted);
                accepted.socket().close();
                assertThat(client.fileno()).isNotNegative();
            }
        }
        assertThat(Proc.fdTarget(fd)).as("closed by the adopting socket").isNull();
    }

    private static Socket.Accepted awaitAccept(Socket nonBlockingListener) throws IOException {
        nonBlockingListener.setBlocking(true);
        return nonBlockingListener.accept();
    }

    @Test
    void aBlockingUnixSocketKeepsItsMode() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket peer = pair.second()) {
            try (Socket adopted = Socket.adopt(adoptable(pair.first()))) {
                assertThat(adopted.isBlocking()).isTrue();
                assertThat(adopted.toString()).contains("unix");
                peer.send(new byte[] {7});
                assertThat(adopted.recv(new byte[1])).isEqualTo(1);
            }
        }
    }

    /** Hands over a socket's descriptor as a parent process would: a duplicate, the original closed. */
    private static int adoptable(Socket socket) throws IOException {
        int copy = Libc.dup(socket.fileno());
        socket.close();
        return copy;
    }

    @Test
    void adoptRefusesWhatIsNotASocketAndLeavesItOpen() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            int fd = pipe.source().fileno();
            assertThatThrownBy(() -> Socket.adopt(fd))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not a socket");
            assertThat(Proc.fdTarget(fd)).startsWith("pipe:");
        }
        assertThatThrownBy(() -> Socket.adopt(-1)).isInstanceOf(IllegalArgumentException.class);
        int closed = FileCalls.pipe()[0];
        FileCalls.close(closed);
        assertThatThrownBy(() -> Socket.adopt(closed)).isInstanceOfSatisfying(NativeIOException.class,
                e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }

    @Test
    void keepAliveAndV6OnlyByNameAndAnyIntOptionByNumber() throws Exception {
        try (Socket tcp = Socket.tcp4(); Socket tcp6 = Socket.tcp6()) {
            tcp.setKeepAlive(true);
            tcp.setKeepAliveIdle(42);
            tcp.setKeepAliveInterval(7);
            tcp.setKeepAliveCount(3);
            assertThat(tcp.keepAlive()).isTrue();
            assertThat(tcp.keepAliveIdle()).isEqualTo(42);
            assertThat(tcp.keepAliveInterval()).isEqualTo(7);
            assertThat(tcp.keepAliveCount()).isEqualTo(3);
            tcp.setKeepAlive(false);
            assertThat(tcp.keepAlive()).isFalse();
            assertThatThrownBy(() -> tcp.setKeepAliveIdle(0)).isInstanceOfSatisfying(NativeIOException.class,
                    e -> assertThat(e.errno()).isEqualTo(Errno.EINVAL));

            tcp6.setV6Only(true);
            assertThat(tcp6.v6Only()).isTrue();
            tcp6.setV6Only(false);
            assertThat(tcp6.v6Only()).isFalse();

            tcp.setOption(Socket.IPPROTO_TCP, Platform.TCP_NODELAY, 1);
            assertThat(tcp.tcpNoDelay()).isTrue();
            assertThat(tcp.getOption(Socket.IPPROTO_TCP, Platform.TCP_NODELAY)).isNotZero();
            assertThat(tcp.getOption(Socket.SOL_SOCKET, Platform.SO_TYPE)).isEqualTo(Platform.SOCK_STREAM);
            assertThatThrownBy(() -> tcp.getOption(Socket.SOL_SOCKET, 9999))
                    .isInstanceOfSatisfying(NativeIOException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.ENOPROTOOPT));
            assertThatThrownBy(() -> tcp.v6Only()).isInstanceOf(NativeIOException.class);
        }
    }
}
