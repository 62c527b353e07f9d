package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.OwnedSelectable;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(20)
class CloseTest {

    @Test
    void closeIsIdempotentAndEveryLaterUseFailsClearly() throws Exception {
        Socket.Pair pair = Socket.pair();
        Socket socket = pair.first();
        pair.second().close();
        assertThat(socket.fileno()).isNotNegative();
        socket.close();
        socket.close();
        assertThat(socket.isClosed()).isTrue();
        assertThat(socket.fileno()).isEqualTo(-1);
        List<ThrowingCall> calls = List.of(
                () -> socket.recv(new byte[1]),
                () -> socket.send(new byte[1]),
                () -> socket.recv(ByteBuffer.allocate(1)),
                () -> socket.sendAll(new byte[1]),
                () -> socket.setBlocking(false),
                () -> socket.localAddress(),
                () -> socket.peerAddress(),
                () -> socket.tcpNoDelay(),
                () -> socket.accept(),
                () -> socket.listen(1),
                () -> socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)),
                () -> socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), 9)),
                () -> socket.shutdown(Socket.SHUT_RDWR));
        for (ThrowingCall call : calls) {
            assertThatThrownBy(call::run).isExactlyInstanceOf(IOException.class).hasMessage("socket is closed");
        }
    }

    @Test
    void listenersAreToldOnceWithTheDescriptorBeforeItIsClosed() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket other = pair.second()) {
            Socket socket = pair.first();
            int fd = socket.fileno();
            List<Integer> told = new CopyOnWriteArrayList<>();
            OwnedSelectable.CloseListener removed = (source, n) -> told.add(-1);
            socket.addCloseListener((source, n) -> {
                assertThat(source).isSameAs(socket);
                told.add(n);
                // the descriptor is still open while listeners run
                assertThat(new java.io.File("/proc/self/fd/" + n)).exists();
            });
            socket.addCloseListener(removed);
            socket.removeCloseListener(removed);
            socket.close();
            socket.close();
            assertThat(told).containsExactly(fd);
            assertThat(socket.addCloseListener((source, n) -> told.add(-2))).as("refused once closed").isFalse();
            assertThat(told).containsExactly(fd);
        }
    }

    @Test
    void aHeldDescriptorIsNotReleasedByCloseUntilTheHolderLetsGo() throws Exception {
        Socket.Pair pair = Socket.pair();
        pair.second().close();
        Socket socket = pair.first();
        int fd = socket.holdDescriptor();
        assertThat(fd).isEqualTo(socket.fileno());
        socket.close();
        assertThat(socket.holdDescriptor()).as("no new hold once closed").isEqualTo(-1);
        assertThat(new java.io.File("/proc/self/fd/" + fd)).as("the number is not free while held").exists();
        socket.releaseDescriptor();
        assertThat(new java.io.File("/proc/self/fd/" + fd)).as("released by the last holder").doesNotExist();
    }

    @Test
    void concurrentClosesCloseTheDescriptorOnce() throws Exception {
        for (int round = 0; round < 200; round++) {
            Socket.Pair pair = Socket.pair();
            pair.second().close();
            Socket socket = pair.first();
            AtomicInteger told = new AtomicInteger();
            socket.addCloseListener((source, fd) -> told.incrementAndGet());
            CyclicBarrier start = new CyclicBarrier(2);
            CountDownLatch done = new CountDownLatch(2);
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            for (int t = 0; t < 2; t++) {
                Thread.ofPlatform().start(() -> {
                    try {
                        start.await();
                        socket.close();
                    } catch (Throwable e) {
                        failures.add(e);
                    } finally {
                        done.countDown();
                    }
                });
            }
            done.await();
            assertThat(failures).isEmpty();
            assertThat(told).hasValue(1);
            assertThat(socket.fileno()).isEqualTo(-1);
        }
    }

    @Test
    void pipeEndsAndFilesCloseTheSameWay() throws Exception {
        Pipe pipe = Pipe.open();
        AtomicInteger told = new AtomicInteger();
        pipe.source().addCloseListener((source, fd) -> told.incrementAndGet());
        pipe.sink().addCloseListener((source, fd) -> told.incrementAndGet());
        pipe.close();
        pipe.close();
        assertThat(told).hasValue(2);
        assertThat(pipe.source().fileno()).isEqualTo(-1);
        assertThatThrownBy(() -> pipe.sink().write(new byte[1])).hasMessage("pipe sink is closed");
        assertThatThrownBy(() -> pipe.source().read(new byte[1])).hasMessage("pipe source is closed");
    }

    @FunctionalInterface
    private interface ThrowingCall {
        void run() throws Exception;
    }
}
