package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.Fd;
import io.selectors4j.net.Socket;
import io.selectors4j.sys.EpollControl;
import io.selectors4j.sys.Platform;
import io.selectors4j.testkit.OnceBlocked;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Raw descriptors closed behind the selector's back and their numbers reused: anonymous-inode files
 * that all look alike to fstat, and a duplicated descriptor that epoll keeps reporting.
 */
@Timeout(30)
class ReusedDescriptorTest extends TracksResources {
    private final RawDescriptors raw = track(new RawDescriptors());
    private final List<SelectorKey> dead = new ArrayList<>();

    private Selector open(Backend backend) throws IOException {
        Selector selector = track(Selector.open(backend));
        selector.setDeadKeyListener((key, errno) -> dead.add(key));
        return selector;
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNewEventFdUnderAnOldOnesNumberIsRegisteredAndGetsItsOwnReadiness(Backend backend) throws IOException {
        Selector selector = open(backend);
        int old = raw.eventFd();
        SelectorKey stale = selector.register(Fd.of(old), Events.READ, "old");
        raw.close(old);
        int fresh = raw.eventFdAt(old);

        SelectorKey key = selector.register(Fd.of(fresh), Events.READ, "new");
        assertThat(dead).containsExactly(stale);
        assertThat(selector.select(Duration.ZERO)).as("the new eventfd is not readable yet").isEmpty();
        raw.signal(fresh);
        assertThat(selector.select(Duration.ofSeconds(5))).containsExactly(new ReadyKey(key, Events.READ));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aLiveEventFdIsStillRefusedAsAlreadyRegistered(Backend backend) throws IOException {
        Selector selector = open(backend);
        int fd = raw.eventFd();
        selector.register(Fd.of(fd), Events.READ, "one");
        assertThatThrownBy(() -> selector.register(Fd.of(fd), Events.READ, "two"))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("already registered");
        assertThat(dead).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNewEpollDescriptorUnderAnOldOnesNumberIsRegisteredAndGetsItsOwnReadiness(Backend backend)
            throws IOException {
        Selector selector = open(backend);
        int old = raw.epoll();
        SelectorKey stale = selector.register(Fd.of(old), Events.READ, "old");
        raw.close(old);
        int fresh = raw.epollAt(old);

        SelectorKey key = selector.register(Fd.of(fresh), Events.READ, "new");
        assertThat(dead).containsExactly(stale);
        int ready = raw.eventFd();
        raw.signal(ready);
        EpollControl.add(fresh, ready, Platform.POLLIN); // an epoll set with a ready member is readable
        assertThat(selector.select(Duration.ofSeconds(5))).containsExactly(new ReadyKey(key, Events.READ));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anAnonymousInodeReplacedBehindTheSelectorsBackIsFoundByThePeriodicCheck(Backend backend)
            throws IOException {
        Selector selector = open(backend);
        int old = raw.eventFd();
        SelectorKey stale = selector.register(Fd.of(old), Events.READ, "old");
        raw.dup(old); // the file stays open under another number
        raw.close(old);
        raw.eventFdAt(old);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (dead.isEmpty() && System.nanoTime() < deadline) {
            selector.select(Duration.ofMillis(100));
        }
        assertThat(dead).containsExactly(stale);
        assertThat(selector.getMap()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anEventFdClosedAndReplacedUnderItsNumberIsReportedDeadAndGetsNoMoreReadiness(Backend backend)
            throws IOException {
        Selector selector = open(backend);
        int number = raw.eventFd();
        SelectorKey stale = selector.register(Fd.of(number), Events.READ, "old");
        assertThat(selector.select(Duration.ZERO)).as("the first periodic check passes").isEmpty();
        raw.close(number);
        raw.signal(raw.eventFdAt(number)); // another eventfd under the number, readable, never registered

        assertFoundByThePeriodicCheck(selector, stale);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void anEpollClosedAndReplacedUnderItsNumberIsReportedDeadAndGetsNoMoreReadiness(Backend backend)
            throws IOException {
        Selector selector = open(backend);
        int number = raw.epoll();
        SelectorKey stale = selector.register(Fd.of(number), Events.READ, "old");
        assertThat(selector.select(Duration.ZERO)).as("the first periodic check passes").isEmpty();
        raw.close(number);
        raw.epollAt(number);
        int member = raw.eventFd();
        raw.signal(member);
        EpollControl.add(number, member, Platform.POLLIN); // the new epoll set is readable

        assertFoundByThePeriodicCheck(selector, stale);
    }

    /** Selects for up to 5 s: the stale key must be reported, then no readiness may reach it. */
    private void assertFoundByThePeriodicCheck(Selector selector, SelectorKey stale) throws IOException {
        List<Object> delivered = new ArrayList<>();
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (dead.isEmpty() && System.nanoTime() < deadline) {
            selector.select(Duration.ofMillis(100), (key, events) -> delivered.add(key.data()));
        }
        assertThat(dead).as("the stale key is reported to the listener").containsExactly(stale);
        assertThat(selector.getMap()).isEmpty();
        delivered.clear();
        selector.select(Duration.ZERO, (key, events) -> delivered.add(key.data()));
        assertThat(delivered).as("the new file's readiness reaches no key").isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aBlockingSelectStillRunsThePeriodicCheckAndReturnsOnlyOnAWakeup(Backend backend) throws Exception {
        Selector selector = open(backend);
        CountDownLatch reported = new CountDownLatch(1);
        selector.setDeadKeyListener((key, errno) -> {
            dead.add(key);
            reported.countDown();
        });
        int number = raw.eventFd();
        SelectorKey stale = selector.register(Fd.of(number), Events.READ, "old");
        assertThat(selector.select(Duration.ZERO)).as("the first periodic check passes").isEmpty();
        AtomicBoolean foundWhileBlocked = new AtomicBoolean();
        AtomicBoolean woken = new AtomicBoolean();
        OnceBlocked replacer = OnceBlocked.run(selector, () -> {
            raw.close(number);
            raw.eventFdAt(number);
            foundWhileBlocked.set(reported.await(5, TimeUnit.SECONDS));
            woken.set(true);
            selector.wakeup();
        });

        List<ReadyKey> ready = selector.select(null);
        replacer.join();
        assertThat(woken).as("select(null) returned only after the wake-up").isTrue();
        assertThat(foundWhileBlocked).as("the check ran while select(null) was blocked").isTrue();
        assertThat(ready).isEmpty();
        assertThat(dead).containsExactly(stale);
    }

    @Test
    void anEpollModifyOfANumberNowNamingAnotherFileRemovesTheStaleKey() throws IOException {
        Selector selector = open(Backend.EPOLL);
        int old = raw.eventFd();
        SelectorKey stale = selector.register(Fd.of(old), Events.READ, "old");
        raw.close(old);
        int fresh = raw.eventFdAt(old);
        assertThatThrownBy(() -> selector.modify(Fd.of(fresh), Events.ALL, "old"))
                .isInstanceOfSatisfying(NativeIOException.class, e -> assertThat(e.errno()).isEqualTo(Errno.ENOENT));
        assertThat(dead).containsExactly(stale);
        assertThat(selector.getMap()).isEmpty();
        SelectorKey key = selector.register(Fd.of(fresh), Events.READ, "new");
        raw.signal(fresh);
        assertThat(selector.select(Duration.ofSeconds(5))).containsExactly(new ReadyKey(key, Events.READ));
    }

    @Test
    void aDuplicatedRawDescriptorClosedUnderEpollStopsWakingItOnceTheSetIsRebuilt() throws Exception {
        EpollSelector selector = (EpollSelector) open(Backend.EPOLL);
        int original = raw.eventFd();
        raw.signal(original); // readable, and stays so: nobody reads it
        SelectorKey old = selector.register(Fd.of(original), Events.READ, "old");
        raw.dup(original); // the open file outlives its registered number
        Socket.Pair pair = pair();
        Socket reused = track(raw.reuse(original, pair.first())); // closes the eventfd, a socket takes its number
        Socket peer = pair.second();

        SelectorKey key = selector.register(reused, Events.READ, "new");
        assertThat(dead).containsExactly(old);
        int openBefore = Proc.openFds(Proc.SELF);
        List<Object> delivered = new ArrayList<>();
        int returns = 0;
        long start = System.nanoTime();
        while (System.nanoTime() - start < Duration.ofMillis(200).toNanos()) {
            selector.select(Duration.ofMillis(100), (k, events) -> delivered.add(k.data()));
            returns++;
        }
        assertThat(delivered).as("the old file's readiness reaches no key").isEmpty();
        assertThat(selector.rebuilds()).isEqualTo(1);
        assertThat(returns).as("select returns in 200 ms with a 100 ms timeout")
                .isLessThanOrEqualTo(EpollSelector.REBUILD_AFTER_STALE_WAITS + 3);

        assertThat(Proc.openFds(Proc.SELF)).as("the old epoll set was closed").isEqualTo(openBefore);

        OnceBlocked waker = OnceBlocked.wakeup(selector);
        assertThat(selector.select(null)).as("the rebuilt set still holds the wake-up descriptor").isEmpty();
        waker.join();
        peer.send(new byte[] {1}, 0, 1);
        assertThat(selector.select(Duration.ofSeconds(5))).containsExactly(new ReadyKey(key, Events.READ));
    }
}
