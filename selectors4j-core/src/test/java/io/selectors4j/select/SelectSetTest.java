package io.selectors4j.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.Pipe;
import io.selectors4j.sys.SelectTestFds;
import io.selectors4j.testkit.OnceBlocked;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class SelectSetTest {
    @Test
    void reportsEachDescriptorInTheSetsItWasAskedFor() throws Exception {
        try (Pipe pipe = Pipe.open(); SelectSet set = new SelectSet()) {
            int source = pipe.source().fileno();
            int sink = pipe.sink().fileno();
            set.add(source, true, false, true);
            set.add(sink, false, true, false);
            assertThat(set.select(0)).isEqualTo(1);
            assertThat(set.writable(sink)).isTrue();
            assertThat(set.readable(source)).isFalse();

            pipe.sink().write(new byte[] {1});
            assertThat(set.select(0)).as("the same request waited on again").isEqualTo(2);
            assertThat(set.readable(source)).isTrue();
            assertThat(set.writable(sink)).isTrue();
            assertThat(set.exceptional(source)).isFalse();
            assertThat(set.readable(sink)).isFalse();
        }
    }

    @Test
    void clearEmptiesTheSets() throws Exception {
        try (Pipe pipe = Pipe.open(); SelectSet set = new SelectSet()) {
            set.add(pipe.sink().fileno(), false, true, false);
            set.clear();
            long start = System.nanoTime();
            assertThat(set.select(20_000_000)).isZero();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(20_000_000);
            assertThat(set.writable(pipe.sink().fileno())).isFalse();
        }
    }

    @Test
    void negativeTimeoutBlocksUntilReady() throws Exception {
        try (Pipe pipe = Pipe.open(); SelectSet set = new SelectSet()) {
            set.add(pipe.source().fileno(), true, false, false);
            OnceBlocked writer = OnceBlocked.run(() -> pipe.sink().write(new byte[] {1})); // once select waits
            assertThat(set.select(-1)).isEqualTo(1);
            assertThat(set.readable(pipe.source().fileno())).isTrue();
            writer.join();
        }
    }

    @Test
    void descriptorsOutsideTheSetAreRejected() {
        try (SelectSet set = new SelectSet()) {
            assertThatThrownBy(() -> set.add(1024, true, false, false))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1024");
            assertThatThrownBy(() -> set.add(-1, true, false, false))
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closedDescriptorFailsWithEbadf() throws Exception {
        try (SelectSet set = new SelectSet()) {
            set.add(SelectTestFds.closedFd(), true, false, false);
            assertThatThrownBy(() -> set.select(0))
                    .isInstanceOfSatisfying(NativeIOException.class,
                            e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
        }
    }

    @Test
    void removeTakesADescriptorOutOfEverySet() throws Exception {
        try (Pipe pipe = Pipe.open(); SelectSet set = new SelectSet()) {
            int source = pipe.source().fileno();
            int sink = pipe.sink().fileno();
            int closed = SelectTestFds.closedFd();
            set.add(source, true, false, true);
            set.add(sink, false, true, false);
            set.add(closed, true, true, true);
            set.remove(closed);
            set.remove(closed);
            set.remove(1023);
            assertThat(set.select(0)).as("the closed descriptor is no longer asked for").isEqualTo(1);
            assertThat(set.writable(sink)).isTrue();

            set.remove(sink);
            pipe.sink().write(new byte[] {1});
            assertThat(set.select(0)).isEqualTo(1);
            assertThat(set.readable(source)).isTrue();
            assertThat(set.writable(sink)).isFalse();

            set.add(sink, false, true, false);
            assertThat(set.select(0)).as("a removed descriptor can be added again").isEqualTo(2);
            assertThat(set.writable(sink)).isTrue();
        }
    }

    @Test
    void removeChecksTheRange() {
        try (SelectSet set = new SelectSet()) {
            assertThatThrownBy(() -> set.remove(1024)).isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1024");
            assertThatThrownBy(() -> set.remove(-1)).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void closeMayBeCalledAgainAndEveryOtherUseAfterItIsAnError() {
        SelectSet set = new SelectSet();
        set.add(0, true, false, false);
        set.close();
        set.close();
        assertThat(set.isClosed()).isTrue();
        List<ThrowingCallable> uses = List.of(set::clear, () -> set.add(0, true, false, false), () -> set.remove(0),
                () -> set.select(0), () -> set.readable(0), () -> set.writable(0), () -> set.exceptional(0));
        for (ThrowingCallable use : uses) {
            assertThatThrownBy(use).isInstanceOf(IllegalStateException.class)
                    .hasMessage("select sets used after close()");
        }
    }

    @Test
    void closingFromManyThreadsAtOnceFreesTheSetsOnce() throws Exception {
        for (int round = 0; round < 50; round++) {
            SelectSet set = new SelectSet();
            CyclicBarrier start = new CyclicBarrier(4);
            List<Future<?>> closers = new ArrayList<>();
            try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
                for (int i = 0; i < 4; i++) {
                    closers.add(threads.submit(() -> {
                        start.await(5, TimeUnit.SECONDS);
                        set.close();
                        return null;
                    }));
                }
                for (Future<?> closer : closers) {
                    closer.get(5, TimeUnit.SECONDS);
                }
            }
            assertThat(set.isClosed()).isTrue();
        }
    }
}
