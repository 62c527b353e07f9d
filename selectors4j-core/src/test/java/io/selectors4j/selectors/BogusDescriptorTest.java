package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.Fd;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.time.Duration;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Numbers that are no open descriptor are refused with EBADF before any table grows. */
@Timeout(20)
class BogusDescriptorTest extends TracksResources {

    @ParameterizedTest
    @EnumSource(Backend.class)
    void hugeAndUnopenedNumbersAreRefusedWithEbadf(Backend backend) throws IOException {
        Selector selector = track(Selector.open(backend));
        Socket.Pair pair = pair();
        SelectorKey live = selector.register(pair.first(), Events.READ, "live");
        for (int number : new int[] {Integer.MAX_VALUE, 1 << 26, 1 << 20}) {
            assertThatThrownBy(() -> selector.register(Fd.of(number), Events.READ))
                    .as("fd %d", number)
                    .isInstanceOfSatisfying(NativeIOException.class, e -> assertThat(e.errno()).isEqualTo(Errno.EBADF));
            assertThatThrownBy(() -> selector.getKey(Fd.of(number))).isInstanceOf(java.util.NoSuchElementException.class);
        }
        assertThat(selector.getMap()).containsOnlyKeys(live.fd());
        assertThat(selector.table().capacity()).as("the key table did not grow").isLessThan(1 << 20);
        pair.second().send(new byte[] {1}, 0, 1);
        assertThat(selector.select(Duration.ofSeconds(5))).containsExactly(new ReadyKey(live, Events.READ));
    }
}
