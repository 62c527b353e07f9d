package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.net.Fd;
import io.selectors4j.net.Pipe;
import io.selectors4j.net.Socket;
import io.selectors4j.sys.Libc;
import io.selectors4j.sys.Platform;
import io.selectors4j.testkit.Needs;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** One dead registration never stops a selector from serving the others. */
@Timeout(20)
class DeadDescriptorTest extends TracksResources {
    private final RawDescriptors raw = track(new RawDescriptors());
    private final List<SelectorKey> reported = new ArrayList<>();
    private final List<Integer> errnos = new ArrayList<>();

    private Selector open(Backend backend) throws IOException {
        Selector selector = track(Selector.open(backend));
        selector.setDeadKeyListener((key, errno) -> {
            reported.add(key);
            errnos.add(errno);
        });
        return selector;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void closingARegisteredSocketRemovesItsKeyFromEverySelector(Backend backend) throws IOException {
        Selector one = open(backend);
        Selector two = open(backend);
        Socket.Pair pair = pair();
        one.register(pair.first(), Events.READ);
        two.register(pair.first(), Events.WRITE);
        pair.first().close();
        assertThat(one.getMap()).isEmpty();
        assertThat(two.getMap()).isEmpty();
        assertThat(one.select(Duration.ZERO)).isEmpty();
        assertThat(two.select(Duration.ZERO)).isEmpty();
        assertThat(reported).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void closingARegisteredPipeEndRemovesItsKey(Backend backend) throws IOException {
        Selector selector = open(backend);
        Pipe pipe = track(Pipe.open());
        selector.register(pipe.source(), Events.READ);
        pipe.sink().close();
        pipe.source().close();
        assertThat(selector.getMap()).isEmpty();
        assertThat(selector.select(Duration.ZERO)).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aRawDescriptorClosedBehindTheSelectorsBackIsRemovedReportedAndTheOthersServed(Backend backend)
            throws IOException {
        Selector selector = open(backend);
        Pipe pipe = track(Pipe.open());
        Fd raw = Fd.of(pipe.source().fileno());
        SelectorKey dead = selector.register(raw, Events.READ);
        Socket.Pair pair = pair();
        SelectorKey alive = selector.register(pair.first(), Events.READ);
        pipe.source().close();
        pair.second().send(new byte[] {1}, 0, 1);

        List<ReadyKey> served = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while ((served.isEmpty() || reported.isEmpty()) && System.nanoTime() < deadline) {
            served.addAll(selector.select(Duration.ofMillis(100)));
        }
        assertThat(served).isNotEmpty().allMatch(ready -> ready.equals(new ReadyKey(alive, Events.READ)));
        assertThat(reported).containsExactly(dead);
        assertThat(errnos).containsExactly(Errno.EBADF);
        assertThat(selector.getMap()).containsOnlyKeys(alive.fd());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aClosedAndReusedNumberMeetsNoStaleKey(Backend backend) throws IOException {
        Selector selector = open(backend);
        int number = raw.eventFd();
        SelectorKey stale = selector.register(Fd.of(number), Events.READ, "old");
        Socket.Pair pair = pair();
        Socket reused = track(raw.reuse(number, pair.first())); // closes the eventfd, a socket takes its number

        SelectorKey fresh = selector.register(reused, Events.READ, "new");
        assertThat(reported).containsExactly(stale);
        assertThat(selector.getKey(reused)).isSameAs(fresh);

        pair.second().send(new byte[] {9}, 0, 1);
        assertThat(selector.select(Duration.ofSeconds(1))).containsExactly(new ReadyKey(fresh, Events.READ));
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = {"POLL", "SELECT"})
    void aReusedNumberThatIsNotRegisteredAgainIsFoundByThePeriodicCheck(Backend backend) throws IOException {
        Selector selector = open(backend);
        int number = raw.eventFd();
        SelectorKey stale = selector.register(Fd.of(number), Events.READ);
        assertThat(selector.select(Duration.ZERO)).isEmpty(); // the first periodic check passes
        Socket.Pair pair = pair();
        track(raw.reuse(number, pair.first()));
        pair.second().send(new byte[] {1}, 0, 1); // the new socket under the old number is readable

        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        List<ReadyKey> seen = new ArrayList<>();
        while (reported.isEmpty() && System.nanoTime() < deadline) {
            seen.addAll(selector.select(Duration.ofMillis(100)));
        }
        assertThat(reported).containsExactly(stale);
        assertThat(selector.getMap()).isEmpty();
    }

    @Test
    void theSelectBackendRejectsDescriptorsFromFdSetSizeAtRegister() throws IOException {
        Needs.openFiles(1_501); // the number 1500 must be allowed
        Selector selector = open(Backend.SELECT);
        Socket.Pair pair = pair();
        int high = Libc.dup3(Libc.threadCallState(), pair.first().fileno(), 1500, Platform.O_CLOEXEC);
        assertThat(high).isEqualTo(1500);
        try {
            assertThatThrownBy(() -> selector.register(Fd.of(high), Events.READ))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("1500").hasMessageContaining("POLL").hasMessageContaining("EPOLL");
            assertThat(selector.getMap()).isEmpty();
        } finally {
            Libc.close(high);
        }
    }
}
