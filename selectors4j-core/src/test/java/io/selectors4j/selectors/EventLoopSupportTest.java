package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.net.Socket;
import io.selectors4j.testkit.Proc;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What an event loop needs: allocation-free toggling of WRITE interest, and epoll's extra flags. */
@Timeout(20)
class EventLoopSupportTest extends TracksResources {
    private static final int EPOLLRDHUP = 0x2000;
    private static final int EPOLLEXCLUSIVE = 1 << 28;

    @ParameterizedTest
    @EnumSource(Backend.class)
    void togglingWriteInterestWithTheSameDataReusesTheTwoKeys(Backend backend) throws IOException {
        Selector selector = track(Selector.open(backend));
        Socket.Pair pair = pair();
        Object connection = new Object();
        SelectorKey reading = selector.register(pair.first(), Events.READ, connection);
        SelectorKey writing = selector.modify(pair.first(), Events.ALL, connection);
        for (int i = 0; i < 100; i++) {
            assertThat(selector.modify(pair.first(), Events.READ, connection)).isSameAs(reading);
            assertThat(selector.modify(pair.first(), Events.ALL, connection)).isSameAs(writing);
        }
        assertThat(selector.select(Duration.ZERO)).containsExactly(new ReadyKey(writing, Events.WRITE));
        SelectorKey other = selector.modify(pair.first(), Events.READ, new Object());
        assertThat(other).isNotSameAs(reading).isEqualTo(new SelectorKey(pair.first(), reading.fd(), Events.READ,
                other.data()));
        assertThat(selector.getKey(pair.first())).isSameAs(other);
    }

    /** A connection whose queue fills (WRITE only) and drains moves through all three event sets. */
    @ParameterizedTest
    @EnumSource(Backend.class)
    void movingThroughAllThreeEventSetsWithTheSameDataReusesTheThreeKeys(Backend backend) throws IOException {
        Selector selector = track(Selector.open(backend));
        Socket.Pair pair = pair();
        Object connection = new Object();
        SelectorKey reading = selector.register(pair.first(), Events.READ, connection);
        SelectorKey both = selector.modify(pair.first(), Events.ALL, connection);
        SelectorKey writing = selector.modify(pair.first(), Events.WRITE, connection);
        for (int i = 0; i < 100; i++) {
            assertThat(selector.modify(pair.first(), Events.ALL, connection)).isSameAs(both);
            assertThat(selector.modify(pair.first(), Events.READ, connection)).isSameAs(reading);
            assertThat(selector.modify(pair.first(), Events.WRITE, connection)).isSameAs(writing);
            assertThat(selector.modify(pair.first(), Events.READ, connection)).isSameAs(reading);
            assertThat(selector.modify(pair.first(), Events.ALL, connection)).isSameAs(both);
            assertThat(selector.modify(pair.first(), Events.WRITE, connection)).isSameAs(writing);
        }
        assertThat(selector.select(Duration.ZERO)).containsExactly(new ReadyKey(writing, Events.WRITE));
        Object replaced = new Object();
        SelectorKey other = selector.modify(pair.first(), Events.READ, replaced);
        assertThat(other).isNotSameAs(reading);
        assertThat(selector.modify(pair.first(), Events.ALL, replaced)).isNotSameAs(both)
                .extracting(SelectorKey::data).isSameAs(replaced);
        assertThat(selector.modify(pair.first(), Events.READ, replaced)).isSameAs(other);
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void aPeerShutdownIsReportedAsReadOnEveryBackend(Backend backend) throws IOException {
        Selector selector = track(Selector.open(backend));
        Socket.Pair pair = pair();
        SelectorKey key = selector.register(pair.first(), Events.READ, "conn", KeyOptions.PEER_SHUTDOWN);
        assertThat(selector.select(Duration.ZERO)).isEmpty();
        pair.second().shutdown(Socket.SHUT_WR);
        assertThat(selector.select(Duration.ofSeconds(5))).containsExactly(new ReadyKey(key, Events.READ));
    }

    @Test
    void epollPassesPeerShutdownAndExclusiveToTheKernelAndKeepsThemThroughModify() throws IOException {
        EpollSelector selector = (EpollSelector) track(Selector.open(Backend.EPOLL));
        Socket listener = track(Socket.listenTcp(new InetSocketAddress("127.0.0.1", 0), 8));
        Socket.Pair pair = pair();
        selector.register(pair.first(), Events.READ, "conn", KeyOptions.PEER_SHUTDOWN);
        SelectorKey accept = selector.register(listener, Events.READ, "accept", KeyOptions.EXCLUSIVE);
        assertThat(maskInKernel(selector, pair.first().fileno()) & EPOLLRDHUP).isNotZero();
        assertThat(maskInKernel(selector, listener.fileno()) & EPOLLEXCLUSIVE).isNotZero();

        SelectorKey both = selector.modify(listener, Events.ALL, "accept"); // EPOLL_CTL_MOD would fail: EINVAL
        assertThat(maskInKernel(selector, listener.fileno()) & EPOLLEXCLUSIVE).isNotZero();
        selector.modify(listener, Events.READ, "accept");
        selector.modify(pair.first(), Events.ALL, "conn");
        assertThat(maskInKernel(selector, pair.first().fileno()) & EPOLLRDHUP).isNotZero();
        assertThat(both.events()).isEqualTo(Events.ALL);

        track(Socket.connectTcp((InetSocketAddress) listener.localAddress()));
        assertThat(selector.select(Duration.ofSeconds(5))).extracting(ReadyKey::key).contains(accept);
    }

    @Test
    void unknownOptionBitsAreRefused() throws IOException {
        Selector selector = track(Selector.open());
        Socket.Pair pair = pair();
        assertThatThrownBy(() -> selector.register(pair.first(), Events.READ, null, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("Invalid options");
        assertThat(selector.getMap()).isEmpty();
    }

    /** The event mask the kernel holds for {@code fd} in the selector's epoll set, from /proc. */
    private static int maskInKernel(EpollSelector selector, int fd) {
        int mask = Proc.epollMask(selector.fileno(), fd);
        assertThat(mask).as("fd %d is in the epoll set", fd).isNotNegative();
        return mask;
    }
}
