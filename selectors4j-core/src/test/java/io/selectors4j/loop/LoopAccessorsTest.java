package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.selectors.Backend;
import io.selectors4j.testkit.LoopBackends;
import io.selectors4j.testkit.ThreadWaits;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What a loop, a loop group, a timer and a datagram endpoint tell about themselves: the backend a loop
 * waits with, a group of one loop per processor served round-robin, a timer's deadline on the loop's
 * clock, the loop a datagram endpoint belongs to.
 */
@Timeout(30)
class LoopAccessorsTest {

    /** On the readiness selectors: an io_uring loop waits with no selector, so has none to report. */
    @ParameterizedTest
    @MethodSource(LoopBackends.READINESS)
    void aLoopWaitsWithTheBackendItWasOpenedWith(LoopBackend backend) throws Exception {
        try (EventLoop loop = EventLoop.open(backend)) {
            assertThat(loop.backend()).isEqualTo(backend.selectorBackend().orElseThrow());
        }
        try (EventLoop loop = EventLoop.open()) {
            assertThat(loop.backend()).as("the best one here").isEqualTo(Backend.best()).isEqualTo(Backend.EPOLL);
        }
    }

    @Test
    void aDefaultGroupHasALoopPerProcessorEachOnItsOwnThreadHandedOutRoundRobin() throws Exception {
        try (LoopGroup group = LoopGroup.open()) {
            List<EventLoop> loops = group.loops();
            assertThat(loops).hasSize(Runtime.getRuntime().availableProcessors()).doesNotHaveDuplicates();
            Set<Integer> threads = new HashSet<>();
            for (EventLoop loop : loops) {
                CompletableFuture<Integer> thread = new CompletableFuture<>();
                loop.callSoon(() -> thread.complete(ThreadWaits.currentThreadId()));
                threads.add(thread.get(20, TimeUnit.SECONDS));
            }
            assertThat(threads).as("each loop runs on a thread of its own").hasSize(loops.size());

            List<EventLoop> handedOut = new ArrayList<>();
            for (int i = 0; i < 3 * loops.size(); i++) {
                handedOut.add(group.next());
            }
            for (int i = 0; i < handedOut.size(); i++) {
                assertThat(handedOut.get(i)).as("next() call %d", i)
                        .isSameAs(handedOut.get(i % loops.size()));
            }
            assertThat(handedOut.subList(0, loops.size())).as("one round visits every loop")
                    .containsExactlyInAnyOrderElementsOf(loops);
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aTimersDeadlineIsOnTheLoopsClock(LoopBackend backend) throws Exception {
        try (RunningLoop running = RunningLoop.start(backend)) {
            long before = running.loop.time();
            TimerHandle later = running.loop.callLater(Duration.ofSeconds(100), () -> { });
            long after = running.loop.time();
            assertThat(later.deadline()).isBetween(before + Duration.ofSeconds(100).toNanos(),
                    after + Duration.ofSeconds(100).toNanos());
            TimerHandle at = running.loop.callAt(after + 12_345, () -> { });
            assertThat(at.deadline()).isEqualTo(after + 12_345);
            assertThat(later.cancel()).isTrue();
            assertThat(later.deadline()).as("unchanged by cancelling").isBetween(
                    before + Duration.ofSeconds(100).toNanos(), after + Duration.ofSeconds(100).toNanos());
            at.cancel();
        }
    }

    @ParameterizedTest
    @MethodSource(LoopBackends.EPOLL_AND_IO_URING)
    void aDatagramEndpointBelongsToTheLoopThatOpenedIt(LoopBackend backend) throws Exception {
        try (RunningLoop one = RunningLoop.start(backend); RunningLoop two = RunningLoop.start(backend)) {
            InetSocketAddress any = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);
            DatagramTransport first = one.loop.openDatagram(any, DatagramEndpointTest.Reverser::new);
            DatagramTransport second = two.loop.openDatagram(any, DatagramEndpointTest.Reverser::new);
            assertThat(first.loop()).isSameAs(one.loop);
            assertThat(second.loop()).isSameAs(two.loop);
            first.close();
            second.close();
        }
    }
}
