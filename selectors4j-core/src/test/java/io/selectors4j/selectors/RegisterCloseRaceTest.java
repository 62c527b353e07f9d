package io.selectors4j.selectors;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.net.Socket;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code register} racing {@code close()} of the same socket on another thread, and the kernel handing
 * the number to a new socket at once: whichever wins, no key is left for the closed socket, and the new
 * socket under the old number is registered and served under its own key.
 */
@Timeout(60)
class RegisterCloseRaceTest extends TracksResources {
    private static final int ROUNDS = 5_000;
    private static final Duration BUDGET = Duration.ofSeconds(4);
    private static final byte[] ONE = {1};

    /** Closes the socket it is handed after a short random spin, then opens a new pair at once. */
    private static final class Closer implements AutoCloseable {
        private final Thread thread = Thread.ofPlatform().name("s4j-closer").start(this::run);
        private volatile Socket target;
        private volatile Socket.Pair reopened;
        private volatile Throwable failure;
        private volatile boolean stop;

        void closeSoon(Socket socket) {
            reopened = null;
            target = socket;
        }

        Socket.Pair awaitReopened() {
            Socket.Pair pair;
            while ((pair = reopened) == null && failure == null) {
                Thread.onSpinWait();
            }
            if (failure != null) {
                throw new AssertionError("the closing thread failed", failure);
            }
            return pair;
        }

        private void run() {
            try {
                while (!stop) {
                    Socket socket = target;
                    if (socket == null) {
                        Thread.onSpinWait();
                        continue;
                    }
                    target = null;
                    for (int spins = ThreadLocalRandom.current().nextInt(400); spins > 0; spins--) {
                        Thread.onSpinWait();
                    }
                    socket.close();
                    reopened = Socket.pair(); // likely takes the number just released
                }
            } catch (Throwable e) {
                failure = e;
            }
        }

        @Override
        public void close() throws InterruptedException {
            stop = true;
            thread.join();
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void registerRacingCloseLeavesNoKeyForTheClosedSocket(Backend backend) throws Exception {
        Selector selector = track(Selector.open(backend));
        List<SelectorKey> dead = new ArrayList<>();
        selector.setDeadKeyListener((key, errno) -> dead.add(key));
        Closer closer = track(new Closer());
        int registered = 0;
        int refused = 0;
        long deadline = System.nanoTime() + BUDGET.toNanos();
        for (int round = 0; round < ROUNDS && System.nanoTime() < deadline; round++) {
            Socket.Pair pair = Socket.pair();
            Socket target = pair.first();
            closer.closeSoon(target);
            try {
                selector.register(target, Events.READ, "closed");
                registered++;
            } catch (IllegalArgumentException closedBeforeOrDuring) {
                refused++;
            }
            Socket.Pair fresh = closer.awaitReopened();
            try {
                assertThat(selector.getMap().values()).as("round %d: keys after the close", round)
                        .noneMatch(key -> key.fileobj() == target);
                SelectorKey key = selector.register(fresh.first(), Events.READ, "fresh");
                fresh.second().send(ONE, 0, 1);
                List<Object> delivered = new ArrayList<>();
                while (delivered.isEmpty()) {
                    selector.select(Duration.ofSeconds(5), (ready, events) -> delivered.add(ready.data()));
                }
                assertThat(delivered).as("round %d: the new socket's readiness", round).containsExactly("fresh");
                assertThat(selector.unregister(fresh.first())).isSameAs(key);
            } finally {
                fresh.first().close();
                fresh.second().close();
                pair.second().close();
            }
            assertThat(dead).as("closing an owned socket is no dead key").isEmpty();
        }
        assertThat(selector.getMap()).isEmpty();
        System.out.printf("%s: %d registered before the close, %d refused%n", backend, registered, refused);
    }
}
