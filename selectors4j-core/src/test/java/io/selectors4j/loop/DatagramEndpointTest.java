package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
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

/** UDP endpoints: round trips over IPv4 and IPv6, and ICMP port-unreachable as ECONNREFUSED. */
class DatagramEndpointTest {

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
        try (RunningLoop running = RunningLoop.start()) {
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
        try (RunningLoop running = RunningLoop.start()) {
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
        try (RunningLoop running = RunningLoop.start()) {
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
}
