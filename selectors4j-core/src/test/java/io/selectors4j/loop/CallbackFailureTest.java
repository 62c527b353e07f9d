package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.net.Pipe;
import io.selectors4j.testkit.LoopBackends;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/** An exception from any kind of callback is reported with its origin and the loop keeps serving. */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class CallbackFailureTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    /** Throws from every callback, after doing the echo's work. */
    static final class Hostile implements Protocol {
        Transport transport;

        @Override
        public void connectionMade(Transport transport) {
            this.transport = transport;
            throw new IllegalStateException("boom in connectionMade");
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            transport.write(data);
            throw new IllegalStateException("boom in dataReceived");
        }

        @Override
        public boolean eofReceived() {
            throw new IllegalStateException("boom in eofReceived");
        }

        @Override
        public void connectionLost(Throwable cause) {
            throw new IllegalStateException("boom in connectionLost");
        }

    }

    /** Writes more than the socket takes at once; its flow-control callbacks throw. */
    static final class Flood implements Protocol {
        static final int SIZE = 8 * 1024 * 1024;

        @Override
        public void connectionMade(Transport transport) {
            transport.write(new byte[SIZE]);
            transport.close();
        }

        @Override
        public void pauseWriting() {
            throw new IllegalStateException("boom in pauseWriting");
        }

        @Override
        public void resumeWriting() {
            throw new IllegalStateException("boom in resumeWriting");
        }
    }

    @Test
    void everyCallbackKindMayThrowAndTheLoopKeepsServing() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend); Pipe pipe = Pipe.open()) {
            running.loop.callSoon(() -> {
                throw new IllegalStateException("boom in callSoon");
            });
            running.loop.callLater(Duration.ZERO, () -> {
                throw new IllegalStateException("boom in a timer");
            });
            running.call(() -> {
                running.loop.addReader(pipe.source(), () -> {
                    running.loop.removeReader(pipe.source());
                    throw new IllegalStateException("boom in a reader");
                });
                running.loop.addWriter(pipe.sink(), () -> {
                    running.loop.removeWriter(pipe.sink());
                    throw new IllegalStateException("boom in a writer");
                });
                return null;
            });
            pipe.sink().write(new byte[] {1});
            Server hostile = running.loop.listen(ANY, Hostile::new);
            int[] made = new int[1];
            Server failingFactory = running.loop.listen(ANY, () -> {
                if (made[0]++ == 0) {
                    throw new IllegalStateException("boom in the protocol factory");
                }
                return new StreamTransportTest.Echo();
            });
            DatagramTransport udp = running.loop.openDatagram(ANY, () -> new DatagramProtocol() {
                @Override
                public void datagramReceived(ByteBuffer data, SocketAddress from) {
                    throw new IllegalStateException("boom in datagramReceived");
                }
            });

            for (int round = 0; round < 3; round++) {
                try (java.net.Socket socket = StreamTransportTest.client(hostile)) {
                    socket.getOutputStream().write(new byte[] {7, 8, 9});
                    assertThat(StreamTransportTest.readFully(socket.getInputStream(), 3)).containsExactly(7, 8, 9);
                    socket.shutdownOutput();
                    assertThat(socket.getInputStream().read()).as("closed after the failed eofReceived").isEqualTo(-1);
                }
            }
            Server flood = running.loop.listen(ANY, Flood::new);
            try (java.net.Socket socket = StreamTransportTest.client(flood)) {
                assertThat(socket.getInputStream().readAllBytes()).hasSize(Flood.SIZE);
            }
            try (java.net.Socket refused = StreamTransportTest.client(failingFactory)) {
                assertThat(refused.getInputStream().read()).as("no protocol: closed").isEqualTo(-1);
            }
            try (java.net.Socket served = StreamTransportTest.client(failingFactory)) {
                served.getOutputStream().write(42);
                assertThat(served.getInputStream().read()).isEqualTo(42);
            }
            try (DatagramSocket client = new DatagramSocket(ANY)) {
                client.send(new DatagramPacket(new byte[] {1}, 1, udp.localAddress()));
            }
            CountDownLatch alive = new CountDownLatch(1);
            running.loop.callLater(Duration.ofMillis(10), alive::countDown);
            assertThat(alive.await(20, TimeUnit.SECONDS)).isTrue();

            waitFor(running, "datagramReceived");
            waitFor(running, "connectionLost");
            assertThat(String.join("\n", running.failures))
                    .contains("callSoon task", "timer", "reader of", "writer of", "connectionMade of connection (",
                            "dataReceived of connection ('127.0.0.1', ", "eofReceived of", "connectionLost of",
                            "pauseWriting of", "resumeWriting of", "protocol factory of server ('127.0.0.1', ",
                            "datagramReceived of datagram endpoint");
        }
    }

    private static void waitFor(RunningLoop running, String origin) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (running.failures.stream().noneMatch(f -> f.contains(origin))) {
            assertThat(System.nanoTime() - deadline).as("waiting for a failure of " + origin).isNegative();
            running.call(() -> null); // one more loop iteration
        }
    }
}
