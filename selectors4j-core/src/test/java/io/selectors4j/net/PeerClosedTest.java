package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A peer that goes away: sending to it fails with an exception (never a SIGPIPE that would end the
 * JVM), a reset fails the next recv, and a half-close reads as end of stream.
 */
@Timeout(10)
class PeerClosedTest {

    @Test
    void tcpSendToAClosedPeerFailsWithEpipeOrReset() throws Exception {
        try (Socket listener = Socket.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
             Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress())) {
            listener.accept().socket().close();
            assertThat(sendUntilFailure(client)).isIn(Errno.EPIPE, Errno.ECONNRESET);
            // the JVM is alive and the socket still answers
            assertThat(client.fileno()).isNotNegative();
        }
    }

    @Test
    void socketPairSendToAClosedPeerFailsWithEpipe() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first()) {
            pair.second().close();
            assertThat(sendUntilFailure(a)).isEqualTo(Errno.EPIPE);
        }
    }

    @Test
    void nonBlockingSendToAClosedPeerFailsToo() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first()) {
            a.setBlocking(false);
            pair.second().close();
            assertThat(sendUntilFailure(a)).isEqualTo(Errno.EPIPE);
        }
    }

    @Test
    void aResetConnectionFailsTheNextRecvWithEconnreset() throws Exception {
        try (Socket listener = Socket.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 4);
             Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress());
             Socket server = listener.accept().socket()) {
            client.setLinger(0); // close sends RST instead of FIN
            client.close();
            byte[] buffer = new byte[16];
            assertThatThrownBy(() -> server.recv(buffer))
                    .isInstanceOfSatisfying(NativeIOException.class, e -> {
                        assertThat(e.errno()).isEqualTo(Errno.ECONNRESET);
                        assertThat(e.getMessage()).contains("recv", "ECONNRESET");
                    });
            assertThat(server.recv(buffer)).as("after the reset the stream is at its end").isZero();
        }
    }

    @Test
    void afterAHalfCloseThePeerReadsEndOfStreamAndCanStillAnswer() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            a.send(new byte[] {1, 2});
            a.shutdown(Socket.SHUT_WR);
            byte[] buffer = new byte[8];
            assertThat(b.recv(buffer)).isEqualTo(2);
            assertThat(b.recv(buffer)).isZero();
            b.send(new byte[] {3});
            assertThat(a.recv(buffer)).isEqualTo(1);
            assertThat(buffer[0]).isEqualTo((byte) 3);
        }
    }

    private static int sendUntilFailure(Socket socket) throws Exception {
        byte[] data = new byte[1024];
        for (int tries = 0; tries < 1000; tries++) {
            try {
                socket.send(data);
            } catch (NativeIOException e) {
                assertThat(e.call()).isEqualTo("send");
                return e.errno();
            }
        }
        return fail("send kept succeeding after the peer closed");
    }
}
