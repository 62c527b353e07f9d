package io.selectors4j.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.Selectable;
import io.selectors4j.net.Fd;
import io.selectors4j.net.Pipe;
import io.selectors4j.net.RegularFile;
import io.selectors4j.net.Socket;
import io.selectors4j.sys.SelectTestFds;
import io.selectors4j.testkit.OnceBlocked;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SelectTest {
    private static final List<Selectable> NONE = List.of();

    @Test
    void pipeIsWritableAtOnceAndReadableOnceWritten() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            var result = Select.select(List.of(pipe.source()), List.of(pipe.sink()), NONE, Duration.ZERO);
            assertThat(result.readable()).isEmpty();
            assertThat(result.writable()).containsExactly(pipe.sink());

            pipe.sink().write(new byte[] {1});
            result = Select.select(List.of(pipe.source()), NONE, NONE, Duration.ZERO);
            assertThat(result.readable()).containsExactly(pipe.source());
        }
    }

    @Test
    void socketBecomesReadableWhenItsPeerSends() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            assertThat(Select.select(List.of(a, b), NONE, NONE, Duration.ZERO).readable()).isEmpty();
            b.send("hi".getBytes());
            var result = Select.select(List.of(a, b), List.of(a, b), NONE, Duration.ZERO);
            assertThat(result.readable()).containsExactly(a);
            assertThat(result.writable()).containsExactly(a, b);
        }
    }

    @Test
    void regularFileIsAlwaysReadableAndWritable(@TempDir Path dir) throws Exception {
        try (RegularFile file = RegularFile.create(dir.resolve("data"))) {
            var result = Select.select(List.of(file), List.of(file), NONE, Duration.ZERO);
            assertThat(result.readable()).containsExactly(file);
            assertThat(result.writable()).containsExactly(file);
        }
    }

    @Test
    void keepsInputOrderDuplicatesAndTheSameObjectsInNewLists() throws Exception {
        Socket.Pair pair = Socket.pair();
        try (Socket a = pair.first(); Socket b = pair.second()) {
            List<Socket> wanted = List.of(b, a, b);
            var result = Select.select(NONE, wanted, NONE, Duration.ZERO);
            assertThat(result.writable()).hasSize(3);
            assertThat(result.writable().get(0)).isSameAs(b);
            assertThat(result.writable().get(1)).isSameAs(a);
            assertThat(result.writable().get(2)).isSameAs(b);
            assertThat(result.writable()).isNotSameAs(wanted);
            assertThat(result.readable()).isEmpty();
            assertThat(result.readable()).isNotSameAs(result.exceptional());
            result.readable().add(a);
            assertThat(result.exceptional()).isEmpty();
        }
    }

    @Test
    void positiveTimeoutWaitsAtLeastThatLongAndReturnsNothing() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            var timed = Fixtures.timed(() -> Select.select(List.of(pipe.source()), NONE, NONE,
                    Duration.ofMillis(50).plusNanos(1)));
            assertThat(timed.millis()).isGreaterThanOrEqualTo(50);
            assertThat(timed.value().readable()).isEmpty();
            assertThat(timed.value().writable()).isEmpty();
            assertThat(timed.value().exceptional()).isEmpty();
        }
    }

    @Test
    void emptyListsJustSleepForTheTimeout() throws Exception {
        var timed = Fixtures.timed(() -> Select.select(NONE, NONE, NONE, Duration.ofMillis(30)));
        assertThat(timed.millis()).isGreaterThanOrEqualTo(30);
    }

    @Test
    void zeroTimeoutPollsWithoutWaiting() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            var timed = Fixtures.timed(() -> Select.select(List.of(pipe.source()), NONE, NONE, Duration.ZERO));
            assertThat(timed.value().readable()).isEmpty();
            assertThat(timed.millis()).isLessThan(1000);
        }
    }

    @Test
    void nullTimeoutBlocksUntilReady() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            OnceBlocked writer = OnceBlocked.run(() -> pipe.sink().write(new byte[] {7})); // once select waits
            var result = Select.select(List.of(pipe.source()), NONE, NONE, null);
            assertThat(result.readable()).containsExactly(pipe.source());
            writer.join();
        }
    }

    @Test
    void negativeTimeoutIsRejected() {
        assertThatThrownBy(() -> Select.select(NONE, NONE, NONE, Duration.ofMillis(-1)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("non-negative");
    }

    @Test
    void descriptorAtOrAboveTheLimitIsRejectedBeforeAnySystemCall() throws Exception {
        Fd closed = Fd.of(SelectTestFds.closedFd());
        assertThatThrownBy(() -> Select.select(List.of(closed), List.of(Fd.of(5000)), NONE, Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("5000")
                .hasMessageContaining("1024");
        assertThatThrownBy(() -> Select.select(NONE, NONE, List.of(Fd.of(1024)), Duration.ZERO))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeFilenoIsRejected() throws Exception {
        Socket.Pair pair = Socket.pair();
        pair.second().close();
        try (Socket open = pair.first()) {
            assertThat(pair.second().fileno()).isEqualTo(-1);
            assertThatThrownBy(() -> Select.select(List.of(open, pair.second()), NONE, NONE, Duration.ZERO))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("file descriptor cannot be a negative integer (-1)");
        }
    }

    @Test
    void closedDescriptorFailsWithEbadf() throws Exception {
        Fd closed = Fd.of(SelectTestFds.closedFd());
        assertThatThrownBy(() -> Select.select(List.of(closed), NONE, NONE, Duration.ZERO))
                .isInstanceOfSatisfying(NativeIOException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
    }

    @Test
    void tcpUrgentDataIsAnExceptionalCondition() throws Exception {
        Socket.Pair pair = Fixtures.tcpPair();
        try (Socket client = pair.first(); Socket server = pair.second()) {
            assertThat(Select.select(NONE, NONE, List.of(server), Duration.ZERO).exceptional()).isEmpty();
            client.sendUrgent((byte) '!');
            var result = Select.select(NONE, NONE, List.of(client, server), Duration.ofSeconds(5));
            assertThat(result.exceptional()).containsExactly(server);
        }
    }

    @Test
    void duplicatedPipeEndWorksAsARawDescriptor() throws Exception {
        try (Pipe pipe = Pipe.open()) {
            int copy = SelectTestFds.dup(pipe.source().fileno());
            try {
                Fd raw = Fd.of(copy);
                assertThat(Select.select(List.of(raw), NONE, NONE, Duration.ZERO).readable()).isEmpty();
                pipe.sink().write(new byte[] {1});
                assertThat(Select.select(List.of(raw), NONE, NONE, Duration.ZERO).readable()).containsExactly(raw);
            } finally {
                SelectTestFds.close(copy);
            }
        }
    }

    @Test
    void standardInputCanBeWatchedWhenItIsAPipe() throws Exception {
        String target = Files.readSymbolicLink(Path.of("/proc/self/fd/0")).toString();
        Assumptions.assumeTrue(target.startsWith("pipe:"), "stdin is " + target);
        var result = Select.select(List.of(Fd.stdin()), List.of(Fd.stdin()), NONE, Duration.ZERO);
        assertThat(result.writable()).as("the read end of a pipe is never writable").isEmpty();
        assertThat(result.readable()).hasSizeLessThanOrEqualTo(1);
    }
}
