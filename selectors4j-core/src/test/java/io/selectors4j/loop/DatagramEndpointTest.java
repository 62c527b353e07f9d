package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.Needs;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * UDP endpoints: round trips over IPv4 and IPv6, ICMP port-unreachable as ECONNREFUSED, and every failed
 * send reported to the protocol the same way.
 */
@ParameterizedClass
@MethodSource(LoopBackends.EPOLL_AND_IO_URING)
class DatagramEndpointTest {
    private static final InetSocketAddress ANY_V4 = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /** The loop backend every test of this class runs on. */
    @Parameter
    LoopBackend backend;

    /** Answers every datagram with its bytes reversed. */
    static final class Reverser implements DatagramProtocol {
        DatagramTransport transport;

        @Override
        public void connectionMade(DatagramTransport transport) {
            this.transport = transport;
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress from) {
            byte[] reply = new byte[data.remaining()];
            for (int i = 0; i < reply.length; i++) {
                reply[i] = data.get(data.limit() - 1 - i);
            }
            transport.sendTo(reply, 0, reply.length, from);
        }
    }

    @Test
    void roundTripsOverIpv4AndIpv6() throws Exception {
        InetAddress ipv6 = Needs.ipv6Loopback();
        try (RunningLoop running = RunningLoop.start(backend)) {
            for (InetAddress host : new InetAddress[] {InetAddress.getByName("127.0.0.1"), ipv6}) {
                DatagramTransport server = running.loop.openDatagram(new InetSocketAddress(host, 0), Reverser::new);
                try (DatagramSocket client = new DatagramSocket(new InetSocketAddress(host, 0))) {
                    client.setSoTimeout(20_000);
                    for (int i = 0; i < 100; i++) {
                        byte[] out = ("datagram " + i).getBytes(StandardCharsets.US_ASCII);
                        client.send(new DatagramPacket(out, out.length, server.localAddress()));
                        DatagramPacket in = new DatagramPacket(new byte[100], 100);
                        client.receive(in);
                        String reply = new String(in.getData(), 0, in.getLength(), StandardCharsets.US_ASCII);
                        assertThat(new StringBuilder(reply).reverse().toString()).isEqualTo("datagram " + i);
                    }
                }
                server.close();
                assertThat(server.isClosing()).isTrue();
            }
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void twoEndpointsOnOneLoopTalkWithByteBuffers() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            DatagramTransport server = running.loop.openDatagram(any, Reverser::new);
            CompletableFuture<String> reply = new CompletableFuture<>();
            CompletableFuture<Throwable> lost = new CompletableFuture<>();
            DatagramTransport client = running.loop.openDatagram(any, () -> new DatagramProtocol() {
                @Override
                public void datagramReceived(ByteBuffer data, SocketAddress from) {
                    reply.complete(StandardCharsets.US_ASCII.decode(data).toString());
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.complete(cause);
                }
            });
            client.sendTo(ByteBuffer.wrap("olleh".getBytes(StandardCharsets.US_ASCII)), server.localAddress());
            assertThat(reply.get(20, TimeUnit.SECONDS)).isEqualTo("hello");
            client.close();
            assertThat(lost.get(20, TimeUnit.SECONDS)).isNull();
        }
    }

    /**
     * A datagram to a closed port draws an ICMP port-unreachable answer; Linux hands it to a connected
     * socket as ECONNREFUSED on its next receive, which the endpoint reports and survives.
     */
    @Test
    void portUnreachableComesBackAsEconnrefusedAndTheEndpointStaysOpen() throws Exception {
        InetSocketAddress closedPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            closedPort = (InetSocketAddress) probe.getLocalSocketAddress();
        }
        try (RunningLoop running = RunningLoop.start(backend)) {
            BlockingQueue<IOException> errors = new LinkedBlockingQueue<>();
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            DatagramTransport endpoint = running.loop.openDatagram(any, closedPort, () -> new DatagramProtocol() {
                @Override
                public void errorReceived(IOException error) {
                    errors.add(error);
                }
            });
            endpoint.sendTo(new byte[] {1, 2, 3}, 0, 3, null);
            IOException error = errors.poll(20, TimeUnit.SECONDS);
            assertThat(error).isInstanceOf(NativeIOException.class);
            assertThat(((NativeIOException) error).errno()).isEqualTo(Errno.ECONNREFUSED);
            assertThat(endpoint.isClosing()).isFalse();
            endpoint.sendTo(new byte[] {4}, 0, 1, null);
            assertThat(errors.poll(20, TimeUnit.SECONDS)).as("reported again for a later datagram").isNotNull();
        }
    }

    @Test
    void everyFailedSendReachesErrorReceivedWhateverItsSizeAndThread() throws Exception {
        try (RunningLoop running = RunningLoop.start(backend); DatagramSocket peer = new DatagramSocket(ANY_V4)) {
            peer.setSoTimeout(20_000);
            BlockingQueue<IOException> errors = new LinkedBlockingQueue<>();
            DatagramTransport endpoint = running.loop.openDatagram(ANY_V4, () -> new DatagramProtocol() {
                @Override
                public void errorReceived(IOException error) {
                    errors.add(error);
                }
            });
            SocketAddress target = peer.getLocalSocketAddress();
            int[] sizes = {65_520, 65_536, 70_000, 1_000_000};
            int sent = 0;
            for (int size : sizes) {
                byte[] data = new byte[size + 3];
                // from another thread, then from the loop thread; an array with an offset, then a buffer
                endpoint.sendTo(data, 3, size, target);
                endpoint.sendTo(ByteBuffer.wrap(data, 3, size), target);
                Throwable onLoop = running.call(() -> {
                    try {
                        endpoint.sendTo(data, 3, size, target);
                        endpoint.sendTo(ByteBuffer.wrap(data, 3, size), target);
                        return null;
                    } catch (RuntimeException e) {
                        return e;
                    }
                });
                assertThat(onLoop).as("a send of %d bytes on the loop thread", size).isNull();
                sent += 4;
            }
            for (int i = 0; i < sent; i++) {
                IOException error = errors.poll(20, TimeUnit.SECONDS);
                assertThat(error).as("error %d of %d", i + 1, sent).isInstanceOf(NativeIOException.class);
                assertThat(((NativeIOException) error).errno()).isEqualTo(Errno.EMSGSIZE);
            }
            endpoint.sendTo("after".getBytes(StandardCharsets.US_ASCII), 0, 5, target);
            DatagramPacket packet = new DatagramPacket(new byte[16], 16);
            peer.receive(packet);
            assertThat(new String(packet.getData(), 0, packet.getLength(), StandardCharsets.US_ASCII))
                    .as("the endpoint still sends").isEqualTo("after");
            assertThat(errors).isEmpty();
            assertThat(running.failures).isEmpty();
        }
    }
}
