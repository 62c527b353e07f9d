package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.Clients;
import io.selectors4j.testkit.Needs;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the io_uring loop costs in memory: nothing allocated per echoed message on the loop thread, and
 * no receive buffer (nor anything else large) held by an idle connection.
 */
class UringFootprintTest {
    private static final InetSocketAddress ANY = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    /**
     * 100,000 echoed 128-byte messages allocate less than 16 bytes per message on the loop thread (one
     * object per message would be 16 or more): the receive is a view of a provided buffer, the send
     * a queue chunk's address, the completion a token. Tried three times, for a JIT recompilation in
     * the middle of a run.
     */
    @Test
    void anEchoAllocatesNothingPerMessageOnTheLoopThread() throws Exception {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        try (UringLoops running = UringLoops.start()) {
            long loopThread = running.call(() -> Thread.currentThread().threadId());
            Server server = running.loop.listen(ANY, UringLoopTest.Echo::new);
            try (Socket client = Clients.connect(((InetSocketAddress) server.address()).getPort())) {
                byte[] message = new byte[128];
                echo(client, message, 50_000); // warm-up: compiled code, pooled chunks
                int messages = 100_000;
                double best = Double.MAX_VALUE;
                for (int attempt = 0; attempt < 3 && best >= 16; attempt++) {
                    long start = threads.getThreadAllocatedBytes(loopThread);
                    echo(client, message, messages);
                    best = Math.min(best, (threads.getThreadAllocatedBytes(loopThread) - start) / (double) messages);
                }
                System.out.printf("io_uring echo: %.2f bytes allocated per message on the loop thread%n", best);
                assertThat(best).as("bytes allocated per echoed message").isLessThan(16);
            }
            assertThat(running.failures).isEmpty();
        }
    }

    /**
     * 2,000 idle connections cost no more heap on io_uring than on epoll, where the kernel holds the
     * received bytes too: no receive buffer is held while nothing arrives. The clients are the
     * library's own sockets, in the same heap, the same on both sides of the comparison.
     */
    @Test
    void anIdleConnectionHoldsNoReceiveBuffer() throws Exception {
        Needs.ioUring();
        Needs.openFiles(4_200);
        long uring = idleHeap(LoopBackend.IO_URING);
        long epoll = idleHeap(LoopBackend.EPOLL);
        System.out.printf("heap per idle connection, the client's socket object included: io_uring %d B, epoll %d B%n",
                uring, epoll);
        assertThat(uring).as("heap per idle connection on io_uring").isLessThanOrEqualTo(epoll + 16);
    }

    /** The heap each of 2,000 idle connections adds on a loop of {@code backend}. */
    private static long idleHeap(LoopBackend backend) throws Exception {
        int connections = 2_000;
        EventLoop loop = EventLoop.open(backend);
        Thread thread = Thread.ofPlatform().start(loop::run);
        CountDownLatch made = new CountDownLatch(connections + 1);
        Server server = loop.listen(ANY, () -> new Protocol() {
            @Override
            public void connectionMade(Transport transport) {
                made.countDown();
            }
        });
        InetSocketAddress address = new InetSocketAddress(InetAddress.getLoopbackAddress(),
                ((InetSocketAddress) server.address()).getPort());
        List<io.selectors4j.net.Socket> clients = new ArrayList<>();
        try {
            clients.add(connect(address)); // what a first connection loads
            long before = usedHeapAfterGc();
            for (int i = 0; i < connections; i++) {
                clients.add(connect(address));
            }
            assertThat(made.await(30, TimeUnit.SECONDS)).isTrue();
            return (usedHeapAfterGc() - before) / connections;
        } finally {
            for (io.selectors4j.net.Socket client : clients) {
                client.close();
            }
            loop.stop();
            thread.join();
            loop.close();
        }
    }

    private static io.selectors4j.net.Socket connect(InetSocketAddress address) throws Exception {
        io.selectors4j.net.Socket socket = io.selectors4j.net.Socket.tcp4();
        socket.connect(address);
        return socket;
    }

    private static long usedHeapAfterGc() throws InterruptedException {
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(50);
            used = Math.min(used, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    private static void echo(Socket client, byte[] message, int times) throws Exception {
        OutputStream out = client.getOutputStream();
        InputStream in = client.getInputStream();
        for (int i = 0; i < times; i++) {
            out.write(message);
            Clients.readFully(in, message.length);
        }
    }
}
