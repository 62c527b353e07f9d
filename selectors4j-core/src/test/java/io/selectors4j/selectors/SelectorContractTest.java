package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.Selectable;
import io.selectors4j.net.Fd;
import io.selectors4j.net.Pipe;
import io.selectors4j.net.RegularFile;
import io.selectors4j.net.Socket;
import io.selectors4j.testkit.OnceBlocked;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every rule of Python's selectors, on every backend. */
@Timeout(20)
class SelectorContractTest extends TracksResources {

    @TempDir
    Path tmp;

    private Selector open(Backend backend) throws IOException {
        return track(Selector.open(backend));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void eventsAreCheckedBeforeTheDescriptor(Backend backend) throws IOException {
        Selector selector = open(backend);
        Selectable closedObject = () -> -1;
        for (int bad : new int[] {0, 4, 999999, -1}) {
            assertThatThrownBy(() -> selector.register(Fd.of(0), bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid events");
            assertThatThrownBy(() -> selector.register(closedObject, bad))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid events");
        }
        assertThatThrownBy(() -> selector.register(closedObject, Events.READ))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid file descriptor: -1");
        assertThat(selector.getMap()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void registerReturnsAKeyWithTheObjectFdEventsAndData(Backend backend) throws IOException {
        Selector selector = open(backend);
        Socket.Pair pair = pair();
        Object data = new Object();
        SelectorKey key = selector.register(pair.first(), Events.READ | Events.WRITE, data);
        assertThat(key).isEqualTo(new SelectorKey(pair.first(), pair.first().fileno(), Events.ALL, data));
        assertThat(selector.getKey(pair.first())).isEqualTo(key);
        assertThat(selector.getKey(Fd.of(pair.first().fileno()))).isEqualTo(key);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aDescriptorCanBeRegisteredOnceThroughAnyObject(Backend backend) throws IOException {
        Selector selector = open(backend);
        Socket.Pair pair = pair();
        selector.register(pair.first(), Events.READ);
        assertThatThrownBy(() -> selector.register(pair.first(), Events.WRITE))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("is already registered");
        assertThatThrownBy(() -> selector.register(Fd.of(pair.first().fileno()), Events.READ))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("(FD " + pair.first().fileno() + ") is already registered");
        assertThat(selector.getMap()).hasSize(1);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void unknownObjectsAreClearErrors(Backend backend) throws IOException {
        Selector selector = open(backend);
        Socket.Pair pair = pair();
        assertThatThrownBy(() -> selector.unregister(pair.first()))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("is not registered");
        assertThatThrownBy(() -> selector.modify(pair.first(), Events.READ, null))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("is not registered");
        assertThatThrownBy(() -> selector.getKey(pair.first()))
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("is not registered");
        Selectable invalid = () -> -1;
        assertThatThrownBy(() -> selector.getKey(invalid)).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void unregisterNeverFailsBecauseTheDescriptorWasClosed(Backend backend) throws IOException {
        Selector selector = open(backend);
        Pipe pipe = track(Pipe.open());
        Fd raw = Fd.of(pipe.source().fileno());
        SelectorKey key = selector.register(raw, Events.READ, "data");
        pipe.source().close();
        assertThat(selector.unregister(raw)).isEqualTo(key);
        assertThat(selector.getMap()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aClosedObjectIsStillFoundByIdentity(Backend backend) throws IOException {
        Selector selector = open(backend);
        int[] fd = {pair().first().fileno()};
        Selectable custom = () -> fd[0];
        SelectorKey key = selector.register(custom, Events.READ);
        fd[0] = -1;
        assertThat(selector.getKey(custom)).isEqualTo(key);
        assertThat(selector.getMap().get(custom)).isEqualTo(key);
        assertThat(selector.unregister(custom)).isEqualTo(key);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void modifyWithOnlyNewDataMakesNoSystemCall(Backend backend) throws IOException {
        Selector selector = open(backend);
        Pipe pipe = track(Pipe.open());
        Fd raw = Fd.of(pipe.sink().fileno());
        SelectorKey first = selector.register(raw, Events.WRITE, "old");
        selector.setDeadKeyListener((key, errno) -> { });
        pipe.sink().close(); // any system call on the descriptor would now fail
        SelectorKey second = selector.modify(raw, Events.WRITE, "new");
        assertThat(second).isEqualTo(new SelectorKey(raw, first.fd(), Events.WRITE, "new"));
        assertThat(selector.getKey(raw)).isSameAs(second);
        assertThat(selector.modify(raw, Events.WRITE, "new")).isSameAs(second);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void modifyChangesTheEventsThatAreReported(Backend backend) throws IOException {
        Selector selector = open(backend);
        Socket.Pair pair = pair();
        selector.register(pair.first(), Events.READ, "r");
        assertThat(selector.select(Duration.ZERO)).isEmpty();
        SelectorKey key = selector.modify(pair.first(), Events.WRITE, "w");
        assertThat(selector.select(Duration.ZERO)).containsExactly(new ReadyKey(key, Events.WRITE));
        assertThatThrownBy(() -> selector.modify(pair.first(), 8, "x")).isInstanceOf(IllegalArgumentException.class);
        assertThat(selector.getKey(pair.first())).isSameAs(key);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void selectMasksReadyEventsByTheKeysEvents(Backend backend) throws IOException {
        Selector selector = open(backend);
        Socket.Pair pair = pair();
        SelectorKey readKey = selector.register(pair.first(), Events.READ);
        SelectorKey bothKey = selector.register(pair.second(), Events.ALL);
        assertThat(selector.select(Duration.ZERO)).containsExactly(new ReadyKey(bothKey, Events.WRITE));
        pair.second().send(new byte[] {1, 2, 3}, 0, 3);
        assertThat(selector.select(Duration.ZERO))
                .containsExactlyInAnyOrder(new ReadyKey(readKey, Events.READ), new ReadyKey(bothKey, Events.WRITE));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void eachKeyIsReportedOncePerCall(Backend backend) throws IOException {
        Selector selector = open(backend);
        Socket.Pair pair = pair();
        selector.register(pair.first(), Events.ALL);
        pair.second().send(new byte[] {1}, 0, 1);
        List<ReadyKey> ready = selector.select(Duration.ZERO);
        assertThat(ready).hasSize(1);
        assertThat(ready.getFirst().events()).isEqualTo(Events.ALL);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aHangUpIsReadinessForWhatTheKeyAskedFor(Backend backend) throws IOException {
        Selector selector = open(backend);
        Socket.Pair readPair = pair();
        Socket.Pair writePair = pair();
        SelectorKey reader = selector.register(readPair.first(), Events.READ);
        readPair.second().close();
        assertThat(selector.select(Duration.ZERO)).containsExactly(new ReadyKey(reader, Events.READ));
        selector.unregister(readPair.first());
        SelectorKey writer = selector.register(writePair.first(), Events.WRITE);
        writePair.second().close();
        assertThat(selector.select(Duration.ZERO)).containsExactly(new ReadyKey(writer, Events.WRITE));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void zeroAndNegativeTimeoutsPoll(Backend backend) throws IOException {
        Selector selector = open(backend);
        selector.register(pair().first(), Events.READ);
        long start = System.nanoTime();
        assertThat(selector.select(Duration.ZERO)).isEmpty();
        assertThat(selector.select(Duration.ofSeconds(-5))).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPositiveTimeoutIsNeverCutShort(Backend backend) throws IOException {
        Selector selector = open(backend);
        selector.register(pair().first(), Events.READ);
        for (Duration timeout : List.of(Duration.ofMillis(50), Duration.ofNanos(30_000_100))) {
            long start = System.nanoTime();
            assertThat(selector.select(timeout)).isEmpty();
            assertThat(System.nanoTime() - start).isGreaterThanOrEqualTo(timeout.toNanos());
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNullTimeoutBlocksUntilSomethingIsReady(Backend backend) throws Exception {
        Selector selector = open(backend);
        Socket.Pair pair = pair();
        SelectorKey key = selector.register(pair.first(), Events.READ);
        OnceBlocked writer = OnceBlocked.run(selector, () -> pair.second().send(new byte[] {7}, 0, 1));
        List<ReadyKey> ready = selector.select(null);
        writer.join();
        assertThat(ready).containsExactly(new ReadyKey(key, Events.READ));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void getMapIsALiveReadOnlyViewByFdAndByObject(Backend backend) throws IOException {
        Selector selector = open(backend);
        Socket.Pair pair = pair();
        var map = selector.getMap();
        assertThat(map).isEmpty();
        SelectorKey first = selector.register(pair.first(), Events.READ);
        SelectorKey second = selector.register(pair.second(), Events.WRITE);
        assertThat(selector.getMap()).isSameAs(map);
        assertThat(map).hasSize(2);
        int low = Math.min(first.fd(), second.fd());
        assertThat(map.keySet()).containsExactly(low, Math.max(first.fd(), second.fd()));
        assertThat(map.get(first.fd())).isEqualTo(first);
        assertThat(map.get(pair.second())).isEqualTo(second);
        assertThat(map.containsKey(pair.first())).isTrue();
        assertThat(map.values()).containsExactlyInAnyOrder(first, second);
        assertThatThrownBy(() -> map.put(99, first)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> map.remove(first.fd())).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(map::clear).isInstanceOf(UnsupportedOperationException.class);
        selector.unregister(pair.first());
        assertThat(map).hasSize(1).doesNotContainKey(first.fd());
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aClosedSelectorRefusesUseAndItsMapIsEmpty(Backend backend) throws IOException {
        Selector selector = open(backend);
        Socket.Pair pair = pair();
        selector.register(pair.first(), Events.READ);
        var map = selector.getMap();
        selector.close();
        selector.close();
        assertThat(selector.isClosed()).isTrue();
        assertThat(map).isEmpty();
        assertThat(map.get(pair.first())).isNull();
        assertThatThrownBy(() -> selector.getKey(pair.first())).isInstanceOf(ClosedSelectorException.class);
        assertThatThrownBy(() -> selector.register(pair.second(), Events.READ)).isInstanceOf(ClosedSelectorException.class);
        assertThatThrownBy(() -> selector.select(Duration.ZERO)).isInstanceOf(ClosedSelectorException.class);
        assertThatThrownBy(() -> selector.unregister(pair.first())).isInstanceOf(ClosedSelectorException.class);
        selector.wakeup();
        pair.first().close(); // its close listener was removed: nothing to tell a closed selector
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void regularFilesAreReadyOrRefusedAsTheBackendDefines(Backend backend) throws IOException {
        Selector selector = open(backend);
        RegularFile file = track(RegularFile.create(tmp.resolve("data")));
        if (backend == Backend.EPOLL) {
            assertThatThrownBy(() -> selector.register(file, Events.READ))
                    .isInstanceOfSatisfying(NativeIOException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EPERM));
            assertThat(selector.getMap()).isEmpty();
            assertThatThrownBy(() -> selector.getKey(file)).isInstanceOf(NoSuchElementException.class);
        } else {
            SelectorKey key = selector.register(file, Events.ALL);
            assertThat(selector.select(Duration.ZERO)).containsExactly(new ReadyKey(key, Events.ALL));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Backend.class, names = "EPOLL")
    void aFailedModifyLeavesNoKey(Backend backend) throws IOException {
        Selector selector = open(backend);
        Pipe pipe = track(Pipe.open());
        Fd raw = Fd.of(pipe.source().fileno());
        selector.register(raw, Events.READ);
        pipe.source().close();
        assertThatThrownBy(() -> selector.modify(raw, Events.ALL, null)).isInstanceOf(NativeIOException.class);
        assertThat(selector.getMap()).isEmpty();
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void wakeupEndsABlockedSelectFromAnotherThread(Backend backend) throws Exception {
        Selector selector = open(backend);
        selector.register(pair().first(), Events.READ);
        OnceBlocked waker = OnceBlocked.wakeup(selector);
        assertThat(selector.select(null)).isEmpty();
        waker.join();
        assertThat(selector.select(Duration.ofMillis(20))).isEmpty(); // the wake-up was consumed
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aWakeupWhileNotBlockedMakesNoSystemCallAndEndsTheNextSelect(Backend backend) throws IOException {
        Selector selector = open(backend);
        for (int i = 0; i < 1000; i++) {
            selector.wakeup();
        }
        assertThat(Proc.eventFdCount(selector.wakeup.fd())).isZero();
        long start = System.nanoTime();
        assertThat(selector.select(Duration.ofSeconds(10))).isEmpty();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(5));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNumberRegisteredAnewByACallbackDoesNotInheritTheOldReadiness(Backend backend) throws IOException {
        Selector selector = open(backend);
        Socket.Pair one = pair();
        Socket.Pair two = pair();
        selector.register(one.first(), Events.READ, "one");
        selector.register(two.first(), Events.READ, "two");
        one.second().send(new byte[] {1}, 0, 1);
        two.second().send(new byte[] {2}, 0, 1);
        List<Object> handled = new ArrayList<>();
        Socket[] replacement = new Socket[1];
        selector.select(Duration.ZERO, (key, events) -> {
            handled.add(key.data());
            if (replacement[0] == null) {
                Socket other = key.data().equals("one") ? two.first() : one.first();
                int number = other.fileno();
                other.close();
                Socket.Pair fresh = pair();
                replacement[0] = fresh.first().fileno() == number ? fresh.first() : fresh.second();
                selector.register(replacement[0], Events.READ, "fresh");
            }
        });
        assertThat(handled).hasSize(1).doesNotContain("fresh");
        assertThat(selector.select(Duration.ZERO)) // the new socket has nothing to read
                .extracting(ready -> ready.key().data()).doesNotContain("fresh");
    }
}
