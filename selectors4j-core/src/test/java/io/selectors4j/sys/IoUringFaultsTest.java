package io.selectors4j.sys;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.Errno;
import io.selectors4j.ResourceLimits;
import io.selectors4j.net.Socket;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import io.selectors4j.testkit.Needs;
import io.selectors4j.testkit.Proc;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The faults a completion-based server meets: buffers used up, out of descriptors, cancellation. */
@Timeout(20)
class IoUringFaultsTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int RECV = 2;

    private static Socket listener() throws Exception {
        return Socket.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
    }

    @BeforeAll
    static void needsIoUring() {
        Needs.ioUring();
    }

    @Test
    void usedUpProvidedBuffersEndTheReceiveWithEnobufsAndNothingIsLost() throws Exception {
        byte[] data = new byte[200];
        for (int i = 0; i < data.length; i++) {
            data[i] = (byte) i;
        }
        try (IoUring ring = Rings.open(8, 0); Socket listener = listener();
             Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress());
             Socket server = listener.accept().socket();
             BufferRing buffers = new BufferRing(ring, 3, 2, 16)) {
            client.sendAll(data); // all of it waits in the server's socket
            long token = CompletionToken.of(RECV, 0, 0);
            ring.sqe().recvMultishot(server.fileno(), buffers.group(), token);
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            List<Integer> held = new ArrayList<>();
            int[] runsDry = {0};
            Rings.until(ring, (userData, result, flags) -> {
                if (result == -Errno.ENOBUFS) {
                    assertThat(flags & IoUringAbi.CQE_F_MORE).as("ENOBUFS ends the receive").isZero();
                    runsDry[0]++;
                    held.forEach(buffers::recycle);
                    held.clear();
                    buffers.publish();
                    try {
                        ring.sqe().recvMultishot(server.fileno(), buffers.group(), token);
                    } catch (io.selectors4j.NativeIOException e) {
                        throw new IllegalStateException(e);
                    }
                    return;
                }
                assertThat(result).as("bytes received").isPositive();
                int id = BufferRing.bufferId(flags);
                byte[] bytes = buffers.memory().asSlice((long) id * buffers.bufferSize(), result)
                        .toArray(ValueLayout.JAVA_BYTE);
                received.writeBytes(bytes);
                held.add(id); // kept until the ring runs dry
            }, () -> received.size() == data.length, WAIT, () -> received.size() + " bytes");
            assertThat(received.toByteArray()).isEqualTo(data);
            assertThat(runsDry[0]).as("two 16-byte buffers for 200 bytes: dry after every 32")
                    .isGreaterThanOrEqualTo(6);
        }
    }

    @Test
    void emfileEndsMultishotAcceptAndTheSpareDescriptorClearsTheBacklog() throws Exception {
        ResourceLimits.Limit original = ResourceLimits.openFiles();
        Path devNull = Path.of("/dev/null");
        try (IoUring ring = Rings.open(8, 0); Socket listener = listener(); Socket refused = Socket.tcp4();
             Socket served = Socket.tcp4()) {
            InetSocketAddress address = (InetSocketAddress) listener.localAddress();
            int spare = FileCalls.open(devNull, Platform.O_RDONLY, 0);
            spare = warmUp(ring, listener, address, spare);
            Rings.Completion failed;
            // No number free below the soft limit from here on; nothing in this block may open a file.
            OpenFileLimit.set(Proc.freeFdNumber(Proc.openFdNumbers(), 0), original.hard());
            try {
                // accept reads the limit when it is submitted
                ring.sqe().acceptMultishot(listener.fileno(), Platform.SOCK_CLOEXEC, CompletionToken.of(1, 0, 1));
                ring.submit();
                refused.connect(address);
                failed = Rings.awaitOne(ring, WAIT);
                // The pending connection would fail every accept again: refuse it with the spare's number.
                Libc.close(spare);
                listener.accept().socket().close();
                spare = FileCalls.open(devNull, Platform.O_RDONLY, 0);
            } finally {
                OpenFileLimit.set(original.soft(), original.hard());
            }
            assertThat(failed.result()).isEqualTo(-Errno.EMFILE);
            assertThat(failed.more()).as("EMFILE ends a multishot accept").isFalse();
            assertThat(refused.recv(new byte[1])).as("the refused client sees the connection closed").isZero();
            ring.sqe().acceptMultishot(listener.fileno(), Platform.SOCK_CLOEXEC, CompletionToken.of(1, 0, 2));
            served.connect(address);
            Rings.Completion accepted = Rings.awaitOne(ring, WAIT);
            assertThat(accepted.result()).as("accepting again once re-armed").isPositive();
            assertThat(accepted.more()).isTrue();
            Libc.close(accepted.result());
            Libc.close(spare);
        }
    }

    /** Runs the out-of-descriptors path once with room to spare, so every class it needs is loaded. */
    private static int warmUp(IoUring ring, Socket listener, InetSocketAddress address, int spare) throws Exception {
        long token = CompletionToken.of(1, 0, 0);
        ring.sqe().acceptMultishot(listener.fileno(), Platform.SOCK_CLOEXEC, token);
        ring.submit();
        try (Socket warm = Socket.connectTcp(address)) {
            Libc.close(Rings.awaitOne(ring, WAIT).result());
        }
        ring.sqe().cancel(token, 0);
        Rings.await(ring, 2, WAIT);
        try (Socket warm = Socket.tcp4()) {
            warm.connect(address);
            Libc.close(spare);
            listener.accept().socket().close();
            return FileCalls.open(Path.of("/dev/null"), Platform.O_RDONLY, 0);
        }
    }

    @Test
    void cancellingAMultishotReceiveEndsItWithEcanceled() throws Exception {
        try (IoUring ring = Rings.open(8, 0); Socket listener = listener();
             Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress());
             Socket server = listener.accept().socket();
             BufferRing buffers = new BufferRing(ring, 1, 4, 64)) {
            long receive = CompletionToken.of(RECV, 5, 9);
            ring.sqe().recvMultishot(server.fileno(), buffers.group(), receive);
            ring.submit();
            ring.sqe().cancel(receive, 100);
            List<Rings.Completion> done = Rings.await(ring, 2, WAIT);
            assertThat(done).containsExactlyInAnyOrder(
                    new Rings.Completion(receive, -Errno.ECANCELED, 0), new Rings.Completion(100, 0, 0));
            ring.sqe().cancel(receive, 101);
            assertThat(Rings.awaitOne(ring, WAIT)).as("nothing left to cancel")
                    .isEqualTo(new Rings.Completion(101, -Errno.ENOENT, 0));
            client.send(new byte[] {1});
            assertThat(ring.submitAndWait(1, 50_000_000L, 0)).isZero();
            assertThat(ring.ready()).as("a cancelled receive takes no more data").isZero();
        }
    }

    @Test
    void cancellingEverythingOnADescriptorEndsEachOperationOnIt() throws Exception {
        try (IoUring ring = Rings.open(8, 0); Socket listener = listener();
             Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress());
             Socket server = listener.accept().socket();
             BufferRing buffers = new BufferRing(ring, 1, 4, 64)) {
            long receive = CompletionToken.of(RECV, 1, 1);
            long poll = CompletionToken.of(4, 1, 1);
            ring.sqe().recvMultishot(server.fileno(), buffers.group(), receive);
            ring.sqe().pollMultishot(server.fileno(), Platform.POLLPRI, poll); // no urgent data: stays armed
            ring.submit();
            ring.sqe().cancelAll(server.fileno(), 100);
            List<Rings.Completion> done = Rings.await(ring, 3, WAIT);
            assertThat(done).containsExactlyInAnyOrder(new Rings.Completion(receive, -Errno.ECANCELED, 0),
                    new Rings.Completion(poll, -Errno.ECANCELED, 0), new Rings.Completion(100, 2, 0));
        }
    }
}
