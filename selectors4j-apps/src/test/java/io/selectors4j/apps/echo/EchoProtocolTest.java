package io.selectors4j.apps.echo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.apps.common.EventLog;
import io.selectors4j.loop.EventLoop;
import io.selectors4j.loop.Server;
import io.selectors4j.loop.ServerOptions;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The event-loop echo's watermarks, what {@code serve --echo-high-water / --echo-low-water} set: a
 * client that sends without reading can push little more than the high mark plus the socket buffers
 * (kept small here) before the server stops reading from it.
 */
@Timeout(120)
class EchoProtocolTest {
    private static final int SMALL_BUFFER = 4096;
    /** The most a test client pushes: far above every bound under test. */
    private static final long CAP = 4L << 20;
    private static final EventLog QUIET = new EventLog(new PrintWriter(Writer.nullWriter()), true);

    @Test
    void aClientThatDoesNotReadIsHeldNearALowHighWaterMark() throws Exception {
        // 4 KiB of queue and about 125 KiB of socket buffers on both sides here
        assertThat(pushedUntilStalled(4096, 1024)).isLessThan(256 * 1024);
    }

    @Test
    void aHigherMarkLetsTheSameClientPushThatMuchMore() throws Exception {
        // Ignoring the marks (the loop's default 64 KiB) would stall it near 200 KiB.
        assertThat(pushedUntilStalled(512 * 1024, 256 * 1024)).isBetween(512L * 1024, 768L * 1024);
    }

    @Test
    void marksOutOfOrderAreRefused() {
        assertThatThrownBy(() -> new EchoProtocol(QUIET, "", 1024, 2048)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new EchoProtocol(QUIET, "", 0, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    /** Starts an echo on a loop and writes from a client that never reads until its writes stop moving. */
    private static long pushedUntilStalled(int highWater, int lowWater) throws Exception {
        try (EventLoop loop = EventLoop.open()) {
            Server server = loop.listen(new InetSocketAddress("127.0.0.1", 0),
                    () -> new EchoProtocol(QUIET, "", highWater, lowWater),
                    ServerOptions.defaults().withReceiveBufferSize(SMALL_BUFFER).withSendBufferSize(SMALL_BUFFER));
            Thread runner = Thread.ofPlatform().name("echo-loop").start(loop::run);
            try (SocketChannel client = SocketChannel.open()) {
                client.setOption(StandardSocketOptions.SO_RCVBUF, SMALL_BUFFER);
                client.setOption(StandardSocketOptions.SO_SNDBUF, SMALL_BUFFER);
                client.connect(server.address());
                client.configureBlocking(false);
                ByteBuffer chunk = ByteBuffer.allocate(64 * 1024);
                long pushed = 0;
                // "Stalled" is two seconds without a byte taken, long enough for a loaded machine.
                for (int idle = 0; idle < 200 && pushed < CAP; ) {
                    chunk.clear();
                    int n = client.write(chunk);
                    pushed += n;
                    if (n == 0) {
                        idle++;
                        Thread.sleep(10);
                    } else {
                        idle = 0;
                    }
                }
                return pushed;
            } finally {
                loop.stop();
                runner.join();
            }
        }
    }
}
