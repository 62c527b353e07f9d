package io.selectors4j.select;

import static io.selectors4j.select.Poll.POLLHUP;
import static io.selectors4j.select.Poll.POLLIN;
import static io.selectors4j.select.Poll.POLLNVAL;
import static io.selectors4j.select.Poll.POLLOUT;
import static io.selectors4j.select.Poll.POLLPRI;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.Pipe;
import io.selectors4j.net.RegularFile;
import io.selectors4j.net.Socket;
import io.selectors4j.sys.SelectTestFds;
import io.selectors4j.testkit.OnceBlocked;
import java.nio.file.Path;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class PollTest {
    @Test
    void constantsHaveTheLinuxValues() {
        assertThat(List.of(Poll.POLLIN, Poll.POLLPRI, Poll.POLLOUT, Poll.POLLERR, Poll.POLLHUP, Poll.POLLNVAL,
                Poll.POLLRDNORM, Poll.POLLRDBAND, Poll.POLLWRNORM, Poll.POLLWRBAND, Poll.POLLMSG, Poll.POLLRDHUP))
                .containsExactly(1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024, 0x2000);
    }

    @Test
    void defaultMaskReportsWritableThenReadable() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Poll poll = Poll.create();
            poll.register(pipe.source());
            poll.register(pipe.sink().fileno());
            assertThat(poll.poll(0)).containsExactly(new Poll.Event(pipe.sink().fileno(), POLLOUT));

            pipe.sink().write(new byte[] {1});
            assertThat(poll.poll(0)).containsExactlyInAnyOrder(
                    new Poll.Event(pipe.source().fileno(), POLLIN),
                    new Poll.Event(pipe.sink().fileno(), POLLOUT));
        }
    }

    @Test
    void registeringAgainReplacesTheMask() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            b.send(new byte[] {1});
            Poll poll = new Poll();
            poll.register(a, POLLIN | POLLOUT);
            assertThat(poll.poll(0)).containsExactly(new Poll.Event(a.fileno(), POLLIN | POLLOUT));
            poll.register(a, POLLIN);
            assertThat(poll.poll(0)).containsExactly(new Poll.Event(a.fileno(), POLLIN));
            poll.modify(a, POLLOUT);
            assertThat(poll.poll(0)).containsExactly(new Poll.Event(a.fileno(), POLLOUT));
        }
    }

    @Test
    void modifyOfAnUnknownDescriptorIsEnoent() {
        Poll poll = new Poll();
        assertThatThrownBy(() -> poll.modify(5, POLLIN))
                .isInstanceOfSatisfying(NativeIOException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
    }

    @Test
    void unregisterOfAnUnknownDescriptorIsNoSuchElement() throws Exception {
        Poll poll = new Poll();
        assertThatThrownBy(() -> poll.unregister(5)).isInstanceOf(NoSuchElementException.class);
        poll.register(5);
        poll.unregister(5);
        assertThatThrownBy(() -> poll.unregister(5)).isInstanceOf(NoSuchElementException.class);
    }

    @Test
    void unregisterWorksAfterTheDescriptorWasClosed() throws Exception {
        Pipe pipe = Pipe.open();
        Poll poll = new Poll();
        int fd = pipe.sink().fileno();
        poll.register(pipe.sink());
        pipe.close();
        poll.unregister(fd);
        assertThat(poll.poll(0)).isEmpty();
    }

    @Test
    void maskMustFitAnUnsignedShort() {
        Poll poll = new Poll();
        assertThatThrownBy(() -> poll.register(0, -1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> poll.register(0, 0x10000)).isInstanceOf(IllegalArgumentException.class);
        poll.register(0, 0xFFFF);
        assertThatThrownBy(() -> poll.modify(0, 1 << 16)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> poll.register(-1, POLLIN)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void closedDescriptorIsReportedAsPollnval() throws Exception {
        int closed = SelectTestFds.closedFd();
        Poll poll = new Poll();
        poll.register(closed, POLLIN);
        assertThat(poll.poll(0)).containsExactly(new Poll.Event(closed, POLLNVAL));
    }

    @Test
    void hangUpIsReportedEvenWhenNotAskedFor() throws Exception {
        Pipe pipe = Pipe.open();
        Socket.Pair pair = Socket.pair();
        try (Pipe.End source = pipe.source(); Socket a = pair.first()) {
            Poll poll = new Poll();
            poll.register(source, POLLOUT);
            poll.register(a, 0);
            assertThat(poll.poll(0)).isEmpty();
            pipe.sink().close();
            pair.second().close();
            List<Poll.Event> events = poll.poll(0);
            assertThat(events).extracting(Poll.Event::fd).containsExactlyInAnyOrder(source.fileno(), a.fileno());
            assertThat(events).allSatisfy(e -> assertThat(e.events() & POLLHUP).isEqualTo(POLLHUP));
        }
    }

    @Test
    void regularFileIsAlwaysReady(@TempDir Path dir) throws Exception {
        try (RegularFile file = RegularFile.create(dir.resolve("f"))) {
            Poll poll = new Poll();
            poll.register(file, POLLIN | POLLOUT);
            assertThat(poll.poll(0)).containsExactly(new Poll.Event(file.fileno(), POLLIN | POLLOUT));
        }
    }

    @Test
    void tcpUrgentDataShowsAsPollpri() throws Exception {
        Socket.Pair pair = Fixtures.tcpPair();
        try (Socket client = pair.first(); Socket server = pair.second()) {
            Poll poll = new Poll();
            poll.register(server, POLLPRI);
            client.sendUrgent((byte) 1);
            assertThat(poll.poll(5000)).containsExactly(new Poll.Event(server.fileno(), POLLPRI));
        }
    }

    @Test
    void positiveTimeoutWaitsAtLeastThatLong() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Poll poll = new Poll();
            poll.register(pipe.source(), POLLIN);
            var timed = Fixtures.timed(() -> poll.poll(50));
            assertThat(timed.value()).isEmpty();
            assertThat(timed.millis()).isGreaterThanOrEqualTo(50);
        }
    }

    @Test
    void negativeTimeoutBlocksUntilReady() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Poll poll = new Poll();
            poll.register(pipe.source(), POLLIN);
            OnceBlocked writer = OnceBlocked.run(() -> pipe.sink().write(new byte[] {1})); // once poll waits
            assertThat(poll.poll(-1)).containsExactly(new Poll.Event(pipe.source().fileno(), POLLIN));
            writer.join();
        }
    }

    @Test
    void concurrentPollIsRejected() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            Poll poll = new Poll();
            poll.register(pipe.source(), POLLIN);
            CountDownLatch started = new CountDownLatch(1);
            AtomicReference<List<Poll.Event>> seen = new AtomicReference<>();
            Thread waiter = Thread.ofPlatform().daemon(true).start(() -> {
                started.countDown();
                while (seen.get() == null) {
                    try {
                        seen.set(poll.poll(-1));
                    } catch (IllegalStateException mainThreadIsPolling) {
                        Thread.onSpinWait();
                    } catch (NativeIOException e) {
                        throw new IllegalStateException(e);
                    }
                }
            });
            started.await();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            IllegalStateException rejected = null;
            while (rejected == null && System.nanoTime() < deadline) {
                try {
                    assertThat(poll.poll(0)).isEmpty();
                } catch (IllegalStateException e) {
                    rejected = e;
                }
            }
            assertThat(rejected).as("the second poll() was refused").isNotNull();
            assertThat(rejected).hasMessageContaining("concurrent poll");
            pipe.sink().write(new byte[] {1});
            waiter.join();
            assertThat(seen.get()).containsExactly(new Poll.Event(pipe.source().fileno(), POLLIN));
        }
    }

    @Test
    void readyResultsAreReadByIndexFromTheNativeBuffer() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            Poll poll = new Poll();
            poll.register(a, POLLOUT);
            poll.register(b, POLLIN);
            assertThat(poll.pollReady(0)).isEqualTo(1);
            assertThat(poll.readyFd(0)).isEqualTo(a.fileno());
            assertThat(poll.readyEvents(0)).isEqualTo(POLLOUT);
            assertThatThrownBy(() -> poll.readyFd(1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    @Test
    void manyRegistrationsGrowTheNativeArray() throws Exception {
        Pipe[] pipes = new Pipe[40];
        try {
            Poll poll = new Poll();
            for (int i = 0; i < pipes.length; i++) {
                pipes[i] = Pipe.open();
                poll.register(pipes[i].sink(), POLLOUT);
            }
            assertThat(poll.pollReady(0)).isEqualTo(pipes.length);
            for (int i = 0; i < pipes.length; i += 2) {
                poll.unregister(pipes[i].sink());
            }
            assertThat(poll.poll(0)).extracting(Poll.Event::fd).containsExactlyInAnyOrder(
                    java.util.stream.IntStream.range(0, pipes.length).filter(i -> i % 2 == 1)
                            .map(i -> pipes[i].sink().fileno()).boxed().toArray(Integer[]::new));
        } finally {
            for (Pipe pipe : pipes) {
                if (pipe != null) {
                    pipe.close();
                }
            }
        }
    }
}
