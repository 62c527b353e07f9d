package io.selectors4j.select;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.Pipe;
import io.selectors4j.sys.SelectTestFds;
import java.util.concurrent.TimeUnit;
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
            Thread writer = Thread.ofPlatform().start(() -> {
                try {
                    pipe.sink().write(new byte[] {1});
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
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
}
