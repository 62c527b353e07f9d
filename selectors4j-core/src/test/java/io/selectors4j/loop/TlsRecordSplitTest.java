package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TLS records that arrive in pieces: a proxy passes the client's bytes to the server one to seven at a
 * time, so every record's header and body are split across reads, and the server's TLS layer keeps
 * what it cannot decrypt yet until the rest comes.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class TlsRecordSplitTest {
    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    @Test
    void recordsCutIntoSmallPiecesAreReassembledInOrder() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            StreamTransportTest.Echo echo = new StreamTransportTest.Echo();
            Server server = running.loop.listen(TlsEchoTest.ANY, () -> echo, ServerOptions.defaults(),
                    TlsEchoTest.serverSettings());
            try (ServerSocket proxy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                Thread relay = Thread.ofPlatform().start(() -> relay(proxy, server));
                try (SSLSocket client = (SSLSocket) TestPki.clientContext(TestPki.CA).getSocketFactory()
                        .createSocket(InetAddress.getLoopbackAddress(), proxy.getLocalPort())) {
                    client.setSoTimeout(20_000);
                    byte[] message = new byte[40_000]; // several full records, cut into thousands of pieces
                    new Random(5).nextBytes(message);
                    client.getOutputStream().write(message);
                    client.getOutputStream().flush();
                    byte[] back = client.getInputStream().readNBytes(message.length);
                    assertThat(back).isEqualTo(message);
                }
                relay.join(TimeUnit.SECONDS.toMillis(20));
            }
            assertThat(echo.lost.get(20, TimeUnit.SECONDS)).isNotNull();
            assertThat(running.failures).isEmpty();
        }
    }

    /** One connection: client to server in pieces of 1 to 7 bytes, server to client as it comes. */
    private static void relay(ServerSocket proxy, Server server) {
        try (Socket in = proxy.accept(); Socket out = StreamTransportTest.client(server)) {
            in.setTcpNoDelay(true);
            out.setTcpNoDelay(true);
            Thread back = Thread.ofPlatform().start(() -> copy(out, in, 64 * 1024));
            copy(in, out, 7);
            back.join();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void copy(Socket from, Socket to, int piece) {
        Random random = new Random(piece);
        byte[] buffer = new byte[64 * 1024];
        try {
            InputStream input = from.getInputStream();
            OutputStream output = to.getOutputStream();
            for (int n = input.read(buffer); n > 0; n = input.read(buffer)) {
                for (int off = 0; off < n; ) {
                    int len = Math.min(n - off, 1 + random.nextInt(piece));
                    output.write(buffer, off, len);
                    output.flush();
                    off += len;
                }
            }
            to.shutdownOutput();
        } catch (IOException e) {
            // one side went away: the other follows
        }
    }
}
