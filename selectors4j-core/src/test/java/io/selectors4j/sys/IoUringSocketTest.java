package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.Errno;
import io.selectors4j.net.Socket;
import java.io.ByteArrayOutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import io.selectors4j.testkit.Needs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The operations a server loop submits, on real sockets over loopback. */
@Timeout(20)
class IoUringSocketTest {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final int ACCEPT = 1;
    private static final int RECV = 2;
    private static final int SEND = 3;

    private static Socket listener() throws Exception {
        return Socket.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 64);
    }

    @BeforeAll
    static void needsIoUring() {
        Needs.ioUring();
    }

    @Test
    void multishotAcceptDeliversEveryConnectionAndStaysArmed() throws Exception {
        try (IoUring ring = Rings.open(16, 0); Socket listener = listener()) {
            ring.sqe().acceptMultishot(listener.fileno(), Platform.SOCK_CLOEXEC, CompletionToken.of(ACCEPT, 0, 0));
            ring.submit();
            List<Socket> clients = new ArrayList<>();
            Set<InetSocketAddress> clientAddresses = new HashSet<>();
            for (int i = 0; i < 20; i++) {
                Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress());
                clients.add(client);
                clientAddresses.add((InetSocketAddress) client.localAddress());
            }
            List<Rings.Completion> accepted = Rings.await(ring, 20, WAIT);
            Set<InetSocketAddress> peers = new HashSet<>();
            for (Rings.Completion c : accepted) {
                assertThat(c.result()).as("a descriptor").isPositive();
                assertThat(c.more()).as("still armed").isTrue();
                try (Socket server = Socket.adopt(c.result())) {
                    peers.add((InetSocketAddress) server.peerAddress());
                }
            }
            assertThat(peers).isEqualTo(clientAddresses);
            for (Socket client : clients) {
                client.close();
            }
        }
    }

    @Test
    void multishotReceiveIntoProvidedBuffersEchoesEveryByteInOrder() throws Exception {
        byte[] data = new byte[100_000];
        new Random(20).nextBytes(data);
        try (IoUring ring = Rings.open(64, 256); Socket listener = listener();
             Socket client = Socket.connectTcp((InetSocketAddress) listener.localAddress())) {
            ring.sqe().acceptMultishot(listener.fileno(), Platform.SOCK_CLOEXEC, CompletionToken.of(ACCEPT, 0, 0));
            int fd = Rings.awaitOne(ring, WAIT).result();
            try (Socket server = Socket.adopt(fd); BufferRing buffers = new BufferRing(ring, 7, 16, 1024)) {
                Echo echo = new Echo(ring, buffers, fd);
                ring.sqe().recvMultishot(fd, buffers.group(), CompletionToken.of(RECV, 0, 0));
                CompletableFuture<byte[]> echoed = Rings.onThread(() -> readAll(client, data.length));
                Rings.onThread(() -> {
                    client.sendAll(data);
                    return null;
                });
                Rings.until(ring, echo, () -> echo.echoed == data.length, WAIT, echo::toString);
                assertThat(echoed.get(5, TimeUnit.SECONDS)).isEqualTo(data);
                client.shutdown(Platform.SHUT_WR);
                Rings.until(ring, echo, () -> echo.endOfStream, WAIT, echo::toString);
                assertThat(echo.endOfStreamFlags & IoUringAbi.CQE_F_MORE).as("end of stream ends the receive").isZero();
                assertThat(echo.maxBuffersOut).isLessThanOrEqualTo(16);
            }
        }
    }

    /** The ring side of an echo: one send in flight per connection, the rest queued in order. */
    private static final class Echo implements CompletionHandler {
        private final IoUring ring;
        private final BufferRing buffers;
        private final int fd;
        private final int[] lengths;
        private final ArrayDeque<Integer> queued = new ArrayDeque<>();
        private boolean sending;
        private boolean armed = true;
        private int buffersOut;
        int starved;
        int maxBuffersOut;
        long echoed;
        boolean endOfStream;
        int endOfStreamFlags;

        Echo(IoUring ring, BufferRing buffers, int fd) {
            this.ring = ring;
            this.buffers = buffers;
            this.fd = fd;
            this.lengths = new int[buffers.count()];
        }

        @Override
        public String toString() {
            return "echoed " + echoed + ", ran dry " + starved + " times, buffers out " + buffersOut
                    + ", queued " + queued + ", sending " + sending + ", last " + last;
        }

        private String last = "";

        @Override
        public void complete(long userData, int result, int flags) {
            last = CompletionToken.operation(userData) + " " + result + " " + Integer.toHexString(flags);
            try {
                if (CompletionToken.operation(userData) == RECV) {
                    if (result == 0) {
                        endOfStream = true;
                        endOfStreamFlags = flags;
                        return;
                    }
                    armed = (flags & IoUringAbi.CQE_F_MORE) != 0;
                    if (result == -Errno.ENOBUFS) {
                        starved++; // every buffer waits to be sent: re-armed when one comes back
                    } else {
                        assertThat(result).as("receive result").isPositive();
                        int id = BufferRing.bufferId(flags);
                        lengths[id] = result;
                        maxBuffersOut = Math.max(maxBuffersOut, ++buffersOut);
                        queued.add(id);
                    }
                } else {
                    int id = CompletionToken.slot(userData);
                    assertThat(result).as("send of buffer " + id).isEqualTo(lengths[id]);
                    echoed += result;
                    buffers.recycle(id);
                    buffers.publish();
                    buffersOut--;
                    sending = false;
                    if (!armed) {
                        ring.sqe().recvMultishot(fd, buffers.group(), CompletionToken.of(RECV, 0, 0));
                        armed = true;
                    }
                }
                if (!sending && !queued.isEmpty()) {
                    int id = queued.poll();
                    ring.sqe().send(fd, buffers.address(id), lengths[id], Platform.MSG_NOSIGNAL | 0x100,
                            CompletionToken.of(SEND, id, 0)); // 0x100: MSG_WAITALL, no partial send
                    sending = true;
                }
            } catch (io.selectors4j.NativeIOException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static byte[] readAll(Socket socket, int length) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] chunk = new byte[8192];
            while (out.size() < length) {
                int n = socket.recv(chunk);
                if (n <= 0) {
                    break;
                }
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aGatheredSendmsgSendsEveryPieceInOrder() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (IoUring ring = Rings.open(4, 0); Socket ours = pair.first(); Socket peer = pair.second();
             Arena arena = Arena.ofConfined()) {
            String[] pieces = {"one ", "two ", "three"};
            MemorySegment iovecs = arena.allocate(Structs.IOVEC, pieces.length);
            for (int i = 0; i < pieces.length; i++) {
                MemorySegment text = arena.allocateFrom(pieces[i]);
                MemorySegment iovec = iovecs.asSlice(i * Structs.IOVEC.byteSize(), Structs.IOVEC);
                iovec.set(ADDRESS, Structs.offset(Structs.IOVEC, "iov_base"), text);
                iovec.set(JAVA_LONG, Structs.offset(Structs.IOVEC, "iov_len"), pieces[i].length());
            }
            MemorySegment msghdr = arena.allocate(Structs.MSGHDR);
            msghdr.set(ADDRESS, Structs.offset(Structs.MSGHDR, "msg_iov"), iovecs);
            msghdr.set(JAVA_LONG, Structs.offset(Structs.MSGHDR, "msg_iovlen"), pieces.length);
            ring.sqe().sendmsg(ours.fileno(), msghdr.address(), Platform.MSG_NOSIGNAL, 5);
            assertThat(Rings.awaitOne(ring, WAIT).result()).isEqualTo(13);
            assertThat(new String(readAll(peer, 13), StandardCharsets.US_ASCII)).isEqualTo("one two three");
        }
    }

    @Test
    void aMultishotPollReportsEachNewArrivalNotAStateThatPersists() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (IoUring ring = Rings.open(4, 0); Socket watched = pair.first(); Socket peer = pair.second()) {
            long token = CompletionToken.of(4, 9, 1);
            ring.sqe().pollMultishot(watched.fileno(), Platform.POLLIN, token);
            ring.submit();
            for (int i = 0; i < 3; i++) {
                peer.send(new byte[] {(byte) i});
                Rings.Completion ready = Rings.awaitOne(ring, WAIT);
                assertThat(ready.userData()).isEqualTo(token);
                assertThat(ready.result() & Platform.POLLIN).isNotZero();
                assertThat(ready.more()).isTrue();
            }
            // Three bytes wait unread: still readable, but nothing new has arrived, so nothing is reported.
            assertThat(ring.submitAndWait(1, TimeUnit.MILLISECONDS.toNanos(20), 0)).isZero();
            assertThat(ring.ready()).as("readable, not reported again: not level-triggered").isZero();
            assertThat(watched.recv(new byte[16])).isEqualTo(3);
            ring.sqe().pollRemove(token, 77);
            List<Rings.Completion> removed = Rings.await(ring, 2, WAIT);
            assertThat(removed).anySatisfy(c -> {
                assertThat(c.userData()).isEqualTo(token);
                assertThat(c.result()).isEqualTo(-Errno.ECANCELED);
                assertThat(c.more()).isFalse();
            });
            assertThat(removed).anySatisfy(c -> assertThat(c).isEqualTo(new Rings.Completion(77, 0, 0)));
        }
    }

    @Test
    void aReadOfAnEventfdWakesTheRingWhenAnotherThreadSignals() throws Exception {
        try (IoUring ring = Rings.open(4, 0); EventFd wakeUp = new EventFd(); Arena arena = Arena.ofConfined()) {
            MemorySegment counter = arena.allocate(ValueLayout.JAVA_LONG);
            ring.sqe().read(wakeUp.fd(), counter.address(), Long.BYTES, 11);
            ring.submit();
            CompletableFuture<Void> signaller = Rings.onThread(() -> {
                wakeUp.signal();
                return null;
            });
            Rings.Completion woken = Rings.awaitOne(ring, WAIT);
            signaller.get(5, TimeUnit.SECONDS);
            assertThat(woken).isEqualTo(new Rings.Completion(11, Long.BYTES, 0));
            assertThat(counter.get(ValueLayout.JAVA_LONG, 0)).isEqualTo(1);
        }
    }

    @Test
    void msgRingPostsACompletionToAnotherThreadsRing() throws Exception {
        try (IoUring target = Rings.open(4, 0)) {
            int targetFd = target.fd();
            long token = CompletionToken.of(5, 3, 2);
            CompletableFuture<Rings.Completion> sender = Rings.onThread(() -> {
                try (IoUring ring = Rings.open(4, 0)) {
                    ring.sqe().msgRing(targetFd, 42, token, 8);
                    return Rings.awaitOne(ring, WAIT);
                }
            });
            assertThat(Rings.awaitOne(target, WAIT)).isEqualTo(new Rings.Completion(token, 42, 0));
            assertThat(sender.get(5, TimeUnit.SECONDS)).isEqualTo(new Rings.Completion(8, 0, 0));
        }
    }

    @Test
    void aCloseOperationClosesTheDescriptor() throws Exception {
        try (IoUring ring = Rings.open(4, 0)) {
            int fd = FileCalls.open(Path.of("/dev/null"), Platform.O_RDONLY, 0);
            ring.sqe().close(fd, 3);
            assertThat(Rings.awaitOne(ring, WAIT)).isEqualTo(new Rings.Completion(3, 0, 0));
            assertThat(Libc.fcntl(fd, Platform.F_GETFD, 0)).isNegative();
            assertThat(Libc.errno()).isEqualTo(Errno.EBADF);
        }
    }
}
