package io.selectors4j.select;

import static io.selectors4j.select.Epoll.EPOLLET;
import static io.selectors4j.select.Epoll.EPOLLHUP;
import static io.selectors4j.select.Epoll.EPOLLIN;
import static io.selectors4j.select.Epoll.EPOLLONESHOT;
import static io.selectors4j.select.Epoll.EPOLLOUT;
import static io.selectors4j.select.Epoll.EPOLLRDHUP;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.Pipe;
import io.selectors4j.net.RegularFile;
import io.selectors4j.net.Socket;
import io.selectors4j.sys.SelectTestFds;
import io.selectors4j.testkit.OnceBlocked;
import io.selectors4j.testkit.Proc;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class EpollTest {
    @Test
    void constantsHaveTheLinuxValues() {
        assertThat(List.of(Epoll.EPOLLIN, Epoll.EPOLLPRI, Epoll.EPOLLOUT, Epoll.EPOLLERR, Epoll.EPOLLHUP,
                Epoll.EPOLLRDNORM, Epoll.EPOLLRDBAND, Epoll.EPOLLWRNORM, Epoll.EPOLLWRBAND, Epoll.EPOLLMSG,
                Epoll.EPOLLRDHUP, Epoll.EPOLLEXCLUSIVE, Epoll.EPOLLONESHOT, Epoll.EPOLLET, Epoll.EPOLL_CLOEXEC))
                .containsExactly(1, 2, 4, 8, 16, 64, 128, 256, 512, 1024, 0x2000, 1 << 28, 1 << 30, 1 << 31,
                        0x80000);
    }

    @Test
    void openGivesACloseOnExecDescriptor() throws Exception {
        try (Epoll epoll = Epoll.open()) {
            assertThat(epoll.fileno()).isNotNegative();
            assertThat(epoll.isClosed()).isFalse();
            assertThat(Proc.fdFlags(epoll.fileno()) & Epoll.EPOLL_CLOEXEC).isNotZero();
        }
    }

    @Test
    void defaultMaskAndLevelTriggeredReporting() throws Exception {
        try (Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            epoll.register(pipe.source());
            epoll.register(pipe.sink().fileno());
            assertThat(epoll.poll(Duration.ZERO)).containsExactly(new Epoll.Event(pipe.sink().fileno(), EPOLLOUT));
            pipe.sink().write(new byte[] {1});
            Epoll.Event readable = new Epoll.Event(pipe.source().fileno(), EPOLLIN);
            assertThat(epoll.poll(Duration.ZERO)).contains(readable);
            assertThat(epoll.poll(Duration.ZERO)).as("still readable: reported again").contains(readable);
        }
    }

    @Test
    void edgeTriggeredReportsOnce() throws Exception {
        try (Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            epoll.register(pipe.source(), EPOLLIN | EPOLLET);
            pipe.sink().write(new byte[] {1});
            assertThat(epoll.poll(Duration.ZERO)).containsExactly(new Epoll.Event(pipe.source().fileno(), EPOLLIN));
            assertThat(epoll.poll(Duration.ZERO)).isEmpty();
            pipe.sink().write(new byte[] {2});
            assertThat(epoll.poll(Duration.ZERO)).hasSize(1);
        }
    }

    @Test
    void oneShotReportsOnceUntilModifyReArmsIt() throws Exception {
        try (Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            epoll.register(pipe.source(), EPOLLIN | EPOLLONESHOT);
            pipe.sink().write(new byte[] {1});
            Epoll.Event readable = new Epoll.Event(pipe.source().fileno(), EPOLLIN);
            assertThat(epoll.poll(Duration.ZERO)).containsExactly(readable);
            assertThat(epoll.poll(Duration.ZERO)).isEmpty();
            epoll.modify(pipe.source(), EPOLLIN | EPOLLONESHOT);
            assertThat(epoll.poll(Duration.ZERO)).containsExactly(readable);
        }
    }

    @Test
    void peerCloseReportsInHupAndRdhup() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Epoll epoll = Epoll.open()) {
            epoll.register(a, EPOLLIN | EPOLLRDHUP);
            pair.second().close();
            assertThat(epoll.poll(Duration.ofSeconds(5)))
                    .containsExactly(new Epoll.Event(a.fileno(), EPOLLIN | EPOLLHUP | EPOLLRDHUP));
            assertThat(EPOLLIN | EPOLLHUP | EPOLLRDHUP).isEqualTo(8209);
        }
    }

    @Test
    void registeringTwiceIsEexist() throws Exception {
        try (Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            epoll.register(pipe.source(), EPOLLIN);
            assertErrno(() -> epoll.register(pipe.source(), EPOLLIN), Errno.EEXIST);
        }
    }

    @Test
    void regularFileIsEperm(@TempDir Path dir) throws Exception {
        try (RegularFile file = RegularFile.create(dir.resolve("f")); Epoll epoll = Epoll.open()) {
            assertErrno(() -> epoll.register(file), Errno.EPERM);
        }
    }

    @Test
    void badDescriptorIsEbadf() throws Exception {
        try (Epoll epoll = Epoll.open()) {
            assertErrno(() -> epoll.register(10_000, EPOLLIN), Errno.EBADF);
            assertErrno(() -> epoll.register(SelectTestFds.closedFd(), EPOLLIN), Errno.EBADF);
            assertThatThrownBy(() -> epoll.register(-1, EPOLLIN)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void modifyOrUnregisterOfAnUnknownDescriptorIsEnoent() throws Exception {
        try (Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            assertErrno(() -> epoll.modify(pipe.source(), EPOLLIN), Errno.ENOENT);
            assertErrno(() -> epoll.unregister(pipe.source()), Errno.ENOENT);
            epoll.register(pipe.source(), EPOLLIN);
            epoll.unregister(pipe.source());
            assertErrno(() -> epoll.unregister(pipe.source()), Errno.ENOENT);
        }
    }

    @Test
    void unregisterOfAClosedDescriptorIsEbadf() throws Exception {
        Pipe pipe = Pipe.open();
        try (Epoll epoll = Epoll.open(); Pipe.End sink = pipe.sink()) {
            int fd = pipe.source().fileno();
            epoll.register(fd, EPOLLIN);
            pipe.source().close();
            assertErrno(() -> epoll.unregister(fd), Errno.EBADF);
        }
    }

    @Test
    void fromFdSharesTheDescriptor() throws Exception {
        Epoll original = Epoll.open();
        Epoll wrapper = Epoll.fromFd(original.fileno());
        assertThat(wrapper.fileno()).isEqualTo(original.fileno());
        original.close();
        assertErrno(() -> wrapper.poll(Duration.ZERO), Errno.EBADF);
        wrapper.close();
    }

    @Test
    void everyUseAfterCloseIsAnError() throws Exception {
        Epoll epoll = Epoll.open();
        epoll.close();
        epoll.close();
        assertThat(epoll.isClosed()).isTrue();
        List<ThrowingCallable> uses = List.of(epoll::fileno, () -> epoll.register(0), () -> epoll.register(0, EPOLLIN),
                () -> epoll.modify(0, EPOLLIN), () -> epoll.unregister(0), () -> epoll.poll(Duration.ZERO),
                () -> epoll.poll(null, 1), () -> epoll.pollReady(0, 1));
        for (ThrowingCallable use : uses) {
            assertThatThrownBy(use).isInstanceOf(IllegalStateException.class)
                    .hasMessage("I/O operation on closed epoll object");
        }
    }

    @Test
    void aSecondCloseLeavesADescriptorThatReusedTheNumberOpen() throws Exception {
        Epoll epoll = Epoll.open();
        int number = epoll.fileno();
        epoll.close();
        try (Pipe pipe = Pipe.open()) {
            int reused = pipe.source().fileno() == number ? pipe.source().fileno() : pipe.sink().fileno();
            assertThat(reused).as("the kernel hands out the lowest free number").isEqualTo(number);
            epoll.close();
            pipe.sink().write(new byte[] {7});
            byte[] read = new byte[1];
            assertThat(pipe.source().read(read)).isEqualTo(1);
            assertThat(read[0]).isEqualTo((byte) 7);
        }
    }

    @Test
    void maxEventsMustBePositiveAndLimitsTheBatch() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second(); Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            epoll.register(a, EPOLLOUT);
            epoll.register(b, EPOLLOUT);
            epoll.register(pipe.sink(), EPOLLOUT);
            assertThatThrownBy(() -> epoll.poll(Duration.ZERO, 0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("maxevents must be greater than 0, got 0");
            assertThatThrownBy(() -> epoll.pollReady(0, -2)).isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> epoll.poll(null, Integer.MAX_VALUE))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("kernel's limit");
            assertThat(epoll.pollReady(0, 10_000_000)).isEqualTo(3); // a large request waits in smaller batches
            assertThat(epoll.poll(Duration.ZERO, 2)).hasSize(2);
            assertThat(epoll.poll(Duration.ZERO)).hasSize(3);
            assertThat(epoll.pollReady(0, 1)).isEqualTo(1);
            assertThat(epoll.pollReady(0, 100)).isEqualTo(3);
        }
    }

    @Test
    void positiveTimeoutIsRoundedUpAndWaitedInFull() throws Exception {
        try (Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            epoll.register(pipe.source(), EPOLLIN);
            var timed = Fixtures.timed(() -> epoll.poll(Duration.ofMillis(40).plusNanos(1)));
            assertThat(timed.value()).isEmpty();
            assertThat(timed.millis()).isGreaterThanOrEqualTo(40);
            var tiny = Fixtures.timed(() -> epoll.poll(Duration.ofNanos(1)));
            assertThat(tiny.millis()).as("1 ns rounds up to 1 ms, not down to a poll").isGreaterThanOrEqualTo(1);
        }
    }

    @Test
    void nullOrNegativeTimeoutBlocksUntilReady() throws Exception {
        try (Pipe pipe = Pipe.open(); Epoll epoll = Epoll.open()) {
            epoll.register(pipe.source(), EPOLLIN);
            for (Duration timeout : new Duration[] {null, Duration.ofSeconds(-1)}) {
                OnceBlocked writer = OnceBlocked.run(() -> pipe.sink().write(new byte[] {1})); // once it waits
                assertThat(epoll.poll(timeout)).containsExactly(new Epoll.Event(pipe.source().fileno(), EPOLLIN));
                writer.join();
                pipe.source().read(new byte[1]);
            }
        }
    }

    @Test
    void readyResultsAreReadByIndexFromTheNativeBuffer() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second(); Epoll epoll = Epoll.open()) {
            epoll.register(a, EPOLLOUT);
            epoll.register(b, EPOLLIN);
            assertThat(epoll.pollReady(0, 16)).isEqualTo(1);
            assertThat(epoll.readyFd(0)).isEqualTo(a.fileno());
            assertThat(epoll.readyEvents(0)).isEqualTo(EPOLLOUT);
            assertThatThrownBy(() -> epoll.readyEvents(1)).isInstanceOf(IndexOutOfBoundsException.class);
        }
    }

    private static void assertErrno(ThrowingCallable call, int errno) {
        assertThatThrownBy(call).isInstanceOfSatisfying(NativeIOException.class,
                e -> assertThat(e.errnoName()).isEqualTo(Errno.name(errno)));
    }
}
