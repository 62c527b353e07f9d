package io.selectors4j.net;

import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.sys.DeadDescriptor;
import io.selectors4j.sys.FileCalls;
import io.selectors4j.sys.TestWaits;
import io.selectors4j.testkit.Proc;
import io.selectors4j.testkit.ThreadWaits;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Closing a descriptor while other threads are inside calls on it: no call ever runs on the number once
 * the kernel may have given it to another object, a call blocked in the kernel returns, and the garbage
 * collector is never held up by a call stuck on a reused number.
 */
@Timeout(180)
class CloseRaceTest {
    private static final int ROUNDS = 2000;
    private static final Duration BUDGET = Duration.ofSeconds(25);
    private static final Duration STEP = Duration.ofSeconds(10);
    private static final long GC_BOUND_NANOS = TimeUnit.SECONDS.toNanos(2);
    private static final byte[] THEIRS = "bbbbbbbb".getBytes(US_ASCII);

    /** Forces {@code System.gc()} in a loop and keeps the longest one. */
    private static final class GcTimer implements AutoCloseable {
        private final AtomicLong longest = new AtomicLong();
        private volatile boolean stop;
        private final Thread thread = Thread.ofPlatform().name("s4j-gc-timer").start(this::run);

        private void run() {
            while (!stop) {
                long start = System.nanoTime();
                System.gc();
                longest.accumulateAndGet(System.nanoTime() - start, Math::max);
                LockSupport.parkNanos(2_000_000);
            }
        }

        long longestMillis() {
            return TimeUnit.NANOSECONDS.toMillis(longest.get());
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }

    /**
     * One thread calls on whatever object is current, as fast as it can, counting its calls; failures
     * other than "closed" on a closed object are kept.
     */
    private abstract static class Hammer<T> implements AutoCloseable {
        final AtomicReference<T> target = new AtomicReference<>();
        final AtomicLong calls = new AtomicLong();
        final List<Throwable> failures = new CopyOnWriteArrayList<>();
        private volatile boolean stop;
        private final Thread thread;

        Hammer(String name) {
            thread = Thread.ofPlatform().name(name).start(this::run);
        }

        abstract void call(T target) throws IOException;

        abstract boolean isClosed(T target);

        private void run() {
            while (!stop) {
                T t = target.get();
                if (t != null) {
                    try {
                        call(t);
                    } catch (IOException e) {
                        if (!isClosed(t) || !e.getMessage().endsWith(" is closed")) {
                            failures.add(e);
                        }
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }
                calls.incrementAndGet();
            }
        }

        /** Waits until the hammer has made {@code more} further calls; false if it is stuck. */
        boolean advance(int more) {
            long goal = calls.get() + more;
            long deadline = System.nanoTime() + STEP.toNanos();
            while (calls.get() < goal) {
                if (System.nanoTime() > deadline) {
                    return false;
                }
                Thread.onSpinWait();
            }
            return true;
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join(STEP.toMillis());
            assertThat(thread.isAlive()).as("the hammer thread ended").isFalse();
        }
    }

    private static final class SocketHammer extends Hammer<Socket> {
        private final byte[] in = new byte[64];
        private final byte[] out = "aaaaaaaaaaaaaaaa".getBytes(US_ASCII);

        SocketHammer() {
            super("s4j-hammer");
        }

        @Override
        void call(Socket socket) throws IOException {
            int n = socket.recv(in);
            for (int i = 0; i < n; i++) {
                if (in[i] != 'a') {
                    failures.add(new AssertionError("received another socket's byte " + (char) in[i]));
                }
            }
            socket.send(out);
        }

        @Override
        boolean isClosed(Socket socket) {
            return socket.isClosed();
        }
    }

    @Test
    void recvAndSendRacingCloseNeverReachAnotherSocket() throws Exception {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int rounds = 0;
        try (GcTimer gc = new GcTimer(); SocketHammer hammer = new SocketHammer()) {
            for (; rounds < ROUNDS && System.nanoTime() < deadline; rounds++) {
                Socket.Pair closing = Socket.pair();
                closing.first().setBlocking(false);
                // the peer sends what the hammer may legitimately receive
                closing.second().send("aaaa".getBytes(US_ASCII));
                hammer.target.set(closing.first());
                assertThat(hammer.advance(2)).isTrue();
                closing.first().close();
                // likely to be given the number just closed, if it was released
                Socket.Pair next = Socket.pair();
                try {
                    next.first().setBlocking(false);
                    next.second().setBlocking(false);
                    next.second().send(THEIRS);
                    assertThat(hammer.advance(2)).as("hammer stuck on a reused number").isTrue();
                    byte[] got = new byte[64];
                    int n = next.first().recv(got);
                    assertThat(new String(got, 0, Math.max(n, 0), US_ASCII)).as("round %d", rounds)
                            .isEqualTo("bbbbbbbb");
                    assertThat(next.first().recv(got)).as("bytes leaked in, round %d", rounds)
                            .isEqualTo(Socket.WOULD_BLOCK);
                    assertThat(next.second().recv(got)).as("bytes leaked in, round %d", rounds)
                            .isEqualTo(Socket.WOULD_BLOCK);
                } finally {
                    next.first().close();
                    next.second().close();
                    closing.second().close();
                }
            }
            hammer.target.set(null);
            assertThat(hammer.failures).isEmpty();
            assertThat(gc.longestMillis()).as("longest System.gc() in ms").isLessThan(GC_BOUND_NANOS / 1_000_000);
        }
        assertThat(rounds).isGreaterThanOrEqualTo(100);
    }

    private static final class PipeHammer extends Hammer<Pipe.End> {
        private final byte[] in = new byte[64];

        PipeHammer() {
            super("s4j-pipe-hammer");
        }

        @Override
        void call(Pipe.End source) throws IOException {
            int n = source.read(in);
            if (n > 0) {
                failures.add(new AssertionError("read " + n + " bytes from a pipe nobody wrote to"));
            }
        }

        @Override
        boolean isClosed(Pipe.End source) {
            return source.isClosed();
        }
    }

    /**
     * The reported failure: a non-blocking pipe read racing close, the number reused by a blocking
     * pipe. A read that reached the new pipe would block in the kernel inside a critical call and stall
     * every garbage collection.
     */
    @Test
    void pipeReadsRacingCloseNeverBlockOnAReusedNumberNorStallTheCollector() throws Exception {
        long deadline = System.nanoTime() + BUDGET.toNanos();
        int rounds = 0;
        try (GcTimer gc = new GcTimer(); PipeHammer hammer = new PipeHammer()) {
            for (; rounds < ROUNDS && System.nanoTime() < deadline; rounds++) {
                Pipe closing = Pipe.open();
                closing.source().setBlocking(false);
                hammer.target.set(closing.source());
                assertThat(hammer.advance(2)).isTrue();
                closing.source().close();
                try (Pipe next = Pipe.open()) {
                    assertThat(hammer.advance(2)).as("a read ran on the blocking pipe given the number, round %d",
                            rounds).isTrue();
                    next.sink().write(THEIRS);
                    byte[] got = new byte[64];
                    assertThat(next.source().read(got)).as("round %d", rounds).isEqualTo(THEIRS.length);
                } finally {
                    closing.close();
                }
            }
            hammer.target.set(null);
            assertThat(hammer.failures).isEmpty();
            assertThat(gc.longestMillis()).as("longest System.gc() in ms").isLessThan(GC_BOUND_NANOS / 1_000_000);
        }
        assertThat(rounds).isGreaterThanOrEqualTo(100);
    }

    @Test
    void aBlockingRecvReturnsPromptlyWhenTheSocketIsClosed() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket peer = pair.second()) {
            Socket socket = pair.first();
            int fd = socket.fileno();
            String file = Proc.fdTarget(fd);
            AtomicReference<Object> outcome = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread.ofPlatform().name("s4j-blocked-rcv").start(() -> {
                try {
                    outcome.set(socket.recv(new byte[16]));
                } catch (IOException e) {
                    outcome.set(e);
                } finally {
                    done.countDown();
                }
            });
            ThreadWaits.untilSleepingIn("s4j-blocked-rcv", "unix_stream", STEP);
            socket.close();
            assertThat(done.await(5, TimeUnit.SECONDS)).as("recv returned").isTrue();
            assertEndOfStreamOrClosed(outcome.get(), "socket is closed");
            assertThat(Proc.fdTarget(fd)).as("the socket's file is released").isNotEqualTo(file);
        }
    }

    @Test
    void aBlockingAcceptReturnsPromptlyWhenTheListenerIsClosed() throws Exception {
        Socket listener = Socket.listenTcp(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 8);
        int fd = listener.fileno();
        String file = Proc.fdTarget(fd);
        AtomicReference<Object> outcome = new AtomicReference<>();
        CountDownLatch done = new CountDownLatch(1);
        Thread.ofPlatform().name("s4j-blocked-acc").start(() -> {
            try {
                outcome.set(listener.accept());
            } catch (IOException e) {
                outcome.set(e);
            } finally {
                done.countDown();
            }
        });
        ThreadWaits.untilSleepingIn("s4j-blocked-acc", "inet_csk_accept", STEP);
        listener.close();
        assertThat(done.await(5, TimeUnit.SECONDS)).as("accept returned").isTrue();
        assertThat(outcome.get()).isInstanceOfSatisfying(IOException.class,
                e -> assertThat(e).hasMessage("socket is closed"));
        assertThat(Proc.fdTarget(fd)).as("the listener's file is released").isNotEqualTo(file);
    }

    /**
     * A pipe read blocked in the kernel cannot be woken (a pipe has no shutdown), so the number stays
     * taken by the dead descriptor until the call leaves, and is released then.
     */
    @Test
    void aClosedNumberStaysTakenByTheDeadDescriptorUntilTheLastCallLeaves() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Pipe.End source = pipe.source();
            int fd = source.fileno();
            String dead = Proc.fdTarget(DeadDescriptor.number());
            AtomicReference<Object> outcome = new AtomicReference<>();
            CountDownLatch done = new CountDownLatch(1);
            Thread.ofPlatform().name("s4j-blocked-rd").start(() -> {
                try {
                    outcome.set(source.read(new byte[16]));
                } catch (IOException e) {
                    outcome.set(e);
                } finally {
                    done.countDown();
                }
            });
            ThreadWaits.untilSleepingIn("s4j-blocked-rd", "pipe_read", STEP);
            source.close();
            assertThat(source.fileno()).isEqualTo(-1);
            assertThat(Proc.fdTarget(fd)).as("number covered by the dead descriptor").isEqualTo(dead);
            assertThat(TestWaits.isCloseOnExec(Fd.of(fd))).as("the covered number is not inherited by children")
                    .isTrue();
            try (Pipe other = Pipe.open()) {
                assertThat(new int[] {other.source().fileno(), other.sink().fileno()}).doesNotContain(fd);
            }
            pipe.sink().write(new byte[] {'x'});
            assertThat(done.await(5, TimeUnit.SECONDS)).as("read returned").isTrue();
            assertThat(outcome.get()).isEqualTo(1);
            assertThat(Proc.fdTarget(fd)).as("released when the call left").isNotEqualTo(dead);
        }
    }

    /**
     * O_NONBLOCK belongs to the open file, so another holder can clear it behind the pipe end's back:
     * the read then blocks in the kernel, and it must do so outside a critical downcall, or every
     * safepoint of the JVM (a collection here) would wait for a byte to arrive.
     */
    @Test
    void aPipeReadBlockedByAModeChangedBehindItsBackDoesNotHoldUpTheCollector() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Pipe.End source = pipe.source();
            source.setBlocking(false);
            FileCalls.setBlocking(source.fileno(), true); // as another holder of the open file might
            CountDownLatch done = new CountDownLatch(1);
            Thread.ofPlatform().name("s4j-mode-rd").start(() -> {
                try {
                    source.read(new byte[16]);
                } catch (IOException e) {
                    // the outcome is not the point here: where the call blocked is
                } finally {
                    done.countDown();
                }
            });
            ThreadWaits.untilSleepingIn("s4j-mode-rd", "pipe_read", STEP);
            long start = System.nanoTime();
            System.gc();
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as("System.gc() while the read blocks")
                    .isLessThan(Duration.ofSeconds(3));
            pipe.sink().write(new byte[] {'x'});
            assertThat(done.await(5, TimeUnit.SECONDS)).as("read returned").isTrue();
        }
    }

    private static void assertEndOfStreamOrClosed(Object outcome, String closedMessage) {
        if (outcome instanceof IOException e) {
            assertThat(e).hasMessage(closedMessage);
        } else {
            assertThat(outcome).as("end of stream").isEqualTo(0);
        }
    }
}
