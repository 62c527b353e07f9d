package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.loop.uring.UringEngine;
import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.Proc;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The io_uring loop's fault paths, each forced with a ring or a buffer ring sized to fail: a full
 * submission queue, a full completion queue, every receive buffer in use, and receives cancelled by a
 * pause or a close. In each, nothing a protocol sent or received is lost, reordered or left open.
 */
class UringFaultsTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @AfterEach
    void defaultSizes() {
        UringLoops.defaultSizes();
    }

    @Test
    void aFullSubmissionQueueIsSubmittedMidBatchAndEveryEchoArrives() throws Exception {
        System.setProperty(UringEngine.ENTRIES, "2");
        System.setProperty(UringEngine.CQ_ENTRIES, "256");
        try (UringLoops running = UringLoops.start()) {
            Server server = running.loop.listen(ANY, UringLoopTest.Echo::new);
            echoRounds(server, 32, 20, 100);
            assertThat(running.call(() -> running.loop.uring().fullSubmissionQueues())).isPositive();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void aFullCompletionQueueLosesNothingAndEndedReceivesAreArmedAgain() throws Exception {
        System.setProperty(UringEngine.ENTRIES, "2");
        System.setProperty(UringEngine.CQ_ENTRIES, "4");
        try (UringLoops running = UringLoops.start()) {
            Server server = running.loop.listen(ANY, UringLoopTest.Echo::new);
            echoRounds(server, 32, 30, 100);
            assertThat(running.call(() -> running.loop.uring().completionOverflows())).isPositive();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void runningOutOfReceiveBuffersPausesReceivingAndLosesNothing() throws Exception {
        UringLoops.receiveBuffers(2, 4096);
        try (UringLoops running = UringLoops.start()) {
            Server server = running.loop.listen(ANY, UringLoopTest.Echo::new);
            echoRounds(server, 16, 4, 64 * 1024);
            assertThat(running.call(() -> running.loop.uring().starvedReceives())).isPositive();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void pausingReadingCancelsTheReceiveAndDeliversWhatWasOnItsWayAfterTheResume() throws Exception {
        int total = 4 * 1024 * 1024;
        CompletableFuture<byte[]> all = new CompletableFuture<>();
        AtomicInteger deliveredWhilePaused = new AtomicInteger();
        try (UringLoops running = UringLoops.start()) {
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                private final ByteBuffer received = ByteBuffer.allocate(total);
                private Transport transport;
                private boolean paused;

                @Override
                public void connectionMade(Transport transport) {
                    this.transport = transport;
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    if (paused) {
                        deliveredWhilePaused.incrementAndGet();
                    }
                    received.put(data);
                    if (!received.hasRemaining()) {
                        all.complete(received.array());
                        return;
                    }
                    paused = true; // after every read: the receive in flight is cancelled each time
                    transport.pauseReading();
                    transport.loop().callSoon(() -> {
                        paused = false;
                        transport.resumeReading();
                    });
                }
            });
            byte[] sent = pattern(total);
            try (Socket client = Clients.connect(((InetSocketAddress) server.address()).getPort())) {
                client.getOutputStream().write(sent);
                assertThat(all.get(20, TimeUnit.SECONDS)).as("every byte, in order").isEqualTo(sent);
            }
            assertThat(deliveredWhilePaused.get()).as("reads delivered between a pause and its resume").isZero();
            assertThat(running.failures).isEmpty();
        }
    }

    @Test
    void closingConnectionsWithReceivesInFlightCancelsThemAndReleasesEveryDescriptor() throws Exception {
        int connections = 50;
        long ringsBefore = rings();
        try (UringLoops running = UringLoops.start()) {
            CountDownLatch made = new CountDownLatch(connections);
            CountDownLatch lost = new CountDownLatch(connections);
            List<Transport> transports = new ArrayList<>();
            Server server = running.loop.listen(ANY, () -> new Protocol() {
                @Override
                public void connectionMade(Transport transport) {
                    transports.add(transport); // the loop thread only
                    made.countDown();
                }

                @Override
                public void connectionLost(Throwable cause) {
                    lost.countDown();
                }
            });
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) {
                    clients.add(Clients.connect(((InetSocketAddress) server.address()).getPort()));
                }
                assertThat(made.await(20, TimeUnit.SECONDS)).isTrue();
                int open = running.call(() -> Proc.openSockets(Proc.SELF));
                running.call(() -> {
                    transports.forEach(Transport::close); // each with its receive armed and idle
                    return null;
                });
                assertThat(lost.await(20, TimeUnit.SECONDS)).as("every connectionLost, once").isTrue();
                for (Socket client : clients) {
                    assertThat(Clients.readsEndOrReset(client)).isTrue();
                }
                assertThat(Proc.openSockets(Proc.SELF)).as("the loop's sockets closed")
                        .isLessThanOrEqualTo(open - connections);
                assertThat(server.connectionCount()).isZero();
            } finally {
                for (Socket client : clients) {
                    client.close();
                }
            }
            server.close();
            assertThat(running.failures).isEmpty();
        }
        assertThat(rings()).as("io_uring instances after the loop closed").isEqualTo(ringsBefore);
    }

    private static long rings() {
        return Proc.fdTargets(Proc.SELF).values().stream().filter("anon_inode:[io_uring]"::equals).count();
    }

    /**
     * Out of descriptors, an io_uring accept fails with EMFILE at once whether a connection is pending
     * or not: each pending connection is refused with the spare descriptor, the loop then waits (a poll)
     * instead of accepting in a circle, and accepts again once descriptors are free. The open-files limit
     * is lowered in this process to its lowest free number, with every class the path needs loaded.
     */
    @Test
    void outOfDescriptorsAcceptRefusesPendingConnectionsWithoutSpinningAndRecovers() throws Exception {
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        try (UringLoops running = UringLoops.start()) {
            long loopThread = running.call(() -> Thread.currentThread().threadId());
            Server server = running.loop.listen(ANY, UringLoopTest.Echo::new);
            int port = ((InetSocketAddress) server.address()).getPort();
            try (Socket warmUp = Clients.connect(port)) {
                Clients.assertEchoes(warmUp, 10);
            }
            threads.getThreadCpuTime(loopThread);
            List<java.nio.channels.SocketChannel> refused = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                refused.add(java.nio.channels.SocketChannel.open()); // their descriptors made before the limit
            }
            settleDescriptors();
            long[] limit = io.selectors4j.sys.OpenFileLimit.get();
            InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
            long idleCpu;
            try {
                io.selectors4j.sys.OpenFileLimit.set(Proc.freeFdNumber(Proc.openFdNumbers(), 0), limit[1]);
                // the accept in flight was prepared under the old limit (the kernel reads it then): it
                // still takes one connection, which is served
                java.nio.channels.SocketChannel admitted = refused.removeFirst();
                admitted.connect(address);
                admitted.write(ByteBuffer.wrap(new byte[] {42}));
                admitted.socket().setSoTimeout(20_000);
                assertThat(admitted.socket().getInputStream().read()).as("the connection accepted before").isEqualTo(42);
                refused.add(admitted); // kept open until the limit is back: closing it would free a number
                for (java.nio.channels.SocketChannel client : refused.subList(0, refused.size() - 1)) {
                    client.connect(address); // completed by the kernel's backlog
                    client.socket().setSoTimeout(20_000);
                    assertThat(client.socket().getInputStream().read()).as("refused: end of stream").isNegative();
                }
                long cpuBefore = threads.getThreadCpuTime(loopThread);
                Thread.sleep(500); // a window in which nothing happens: a loop accepting in a circle would spin
                idleCpu = threads.getThreadCpuTime(loopThread) - cpuBefore;
            } finally {
                io.selectors4j.sys.OpenFileLimit.set(limit[0], limit[1]);
                for (java.nio.channels.SocketChannel client : refused) {
                    client.close();
                }
            }
            assertThat(idleCpu).as("loop thread CPU in an idle half second out of descriptors, ns")
                    .isLessThan(100_000_000L);
            try (Socket served = Clients.connect(port)) {
                Clients.assertEchoes(served, 1000);
            }
        }
    }

    /**
     * Lets earlier tests' unreachable sockets be cleaned now rather than during the test: a descriptor
     * freed after the limit is lowered would leave a number an accept could take. Returns once two
     * listings a moment apart agree.
     */
    private static void settleDescriptors() throws InterruptedException {
        java.util.Set<Integer> before;
        java.util.Set<Integer> after = Proc.openFdNumbers();
        do {
            before = after;
            System.gc();
            Thread.sleep(100);
            after = Proc.openFdNumbers();
        } while (!after.equals(before));
    }

    /** {@code clients} connections each send {@code size} bytes {@code rounds} times, all at once, and read each echo. */
    private static void echoRounds(Server server, int clients, int rounds, int size) throws Exception {
        int port = ((InetSocketAddress) server.address()).getPort();
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < clients; i++) {
                sockets.add(Clients.connect(port));
            }
            for (int round = 0; round < rounds; round++) {
                byte[] message = pattern(size + round);
                List<Thread> writers = new ArrayList<>();
                for (Socket socket : sockets) {
                    OutputStream out = socket.getOutputStream();
                    writers.add(Thread.ofVirtual().start(() -> {
                        try {
                            out.write(message);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    }));
                }
                for (Socket socket : sockets) {
                    InputStream in = socket.getInputStream();
                    assertThat(Clients.readFully(in, message.length)).isEqualTo(message);
                }
                for (Thread writer : writers) {
                    writer.join();
                }
            }
        } finally {
            for (Socket socket : sockets) {
                socket.close();
            }
        }
    }

    private static byte[] pattern(int size) {
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = (byte) (i * 31 + (i >>> 8));
        }
        return data;
    }
}
