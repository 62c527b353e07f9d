package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Selectable;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.time.Duration;
import java.util.NoSuchElementException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Python: unregister never fails because the descriptor was closed, even when closing removed the key;
 * otherwise a closed object is an invalid file descriptor (CPython's ValueError), not an unknown one.
 */
@Timeout(20)
class UnregisterAfterCloseTest extends TracksResources {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void unregisterReturnsTheKeyThatClosingRemovedOnceThenTheObjectIsInvalidAsInPython(Backend backend)
            throws IOException {
        Selector selector = track(Selector.open(backend));
        Socket.Pair pair = pair();
        SelectorKey key = selector.register(pair.first(), Events.READ, "data");
        pair.first().close();
        assertThat(selector.getMap()).isEmpty();
        // CPython: a closed socket's fileno() is -1, and -1 is "Invalid file descriptor" (ValueError)
        assertInvalid(() -> selector.getKey(pair.first()));
        assertInvalid(() -> selector.modify(pair.first(), Events.WRITE, null));
        assertThat(selector.unregister(pair.first())).as("the key closing removed, handed back once").isSameAs(key);
        assertInvalid(() -> selector.unregister(pair.first()));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aClosedObjectThatWasNeverRegisteredIsInvalidAsInPython(Backend backend) throws IOException {
        Selector selector = track(Selector.open(backend));
        Socket.Pair pair = pair();
        pair.first().close();
        assertInvalid(() -> selector.getKey(pair.first()));
        assertInvalid(() -> selector.modify(pair.first(), Events.READ, null));
        assertInvalid(() -> selector.unregister(pair.first()));
        assertInvalid(() -> selector.register(pair.first(), Events.READ));
        Selectable noDescriptor = () -> -1;
        assertInvalid(() -> selector.getKey(noDescriptor));
        assertInvalid(() -> selector.unregister(noDescriptor));
        assertThatThrownBy(() -> selector.getKey(pair.second())).as("an open object that is not registered")
                .isInstanceOf(NoSuchElementException.class).hasMessageContaining("is not registered");
    }

    private static void assertInvalid(ThrowingCallable call) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid file descriptor: -1");
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aNewSocketUnderTheSameNumberIsNotTouchedByTheOldOnesUnregister(Backend backend) throws IOException {
        Selector selector = track(Selector.open(backend));
        Socket.Pair old = pair();
        int number = old.first().fileno();
        SelectorKey oldKey = selector.register(old.first(), Events.READ, "old");
        old.first().close();
        Socket.Pair fresh = pair();
        Socket reused = fresh.first().fileno() == number ? fresh.first() : fresh.second();
        assertThat(reused.fileno()).isEqualTo(number);
        SelectorKey newKey = selector.register(reused, Events.READ, "new");
        assertThat(selector.unregister(old.first())).isSameAs(oldKey);
        assertThat(selector.getKey(reused)).isSameAs(newKey);
        Socket peer = reused == fresh.first() ? fresh.second() : fresh.first();
        peer.send(new byte[] {1}, 0, 1);
        assertThat(selector.select(Duration.ofSeconds(5))).containsExactly(new ReadyKey(newKey, Events.READ));
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void onlyTheMostRecentlyClosedObjectsAreRemembered(Backend backend) throws IOException {
        Selector selector = track(Selector.open(backend));
        Socket.Pair first = pair();
        SelectorKey firstKey = selector.register(first.first(), Events.READ);
        first.first().close();
        for (int i = 0; i < 200; i++) {
            Socket.Pair pair = Socket.pair();
            selector.register(pair.first(), Events.READ);
            pair.first().close();
            pair.second().close();
        }
        assertThat(firstKey).isNotNull();
        assertThatThrownBy(() -> selector.unregister(first.first()))
                .as("bounded memory: the oldest of 201 closed objects is forgotten")
                .isInstanceOf(IllegalArgumentException.class).hasMessage("Invalid file descriptor: -1");
    }
}
