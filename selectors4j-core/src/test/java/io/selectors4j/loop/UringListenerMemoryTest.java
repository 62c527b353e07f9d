package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A program that listens and closes again and again on one io_uring loop does not grow its native memory. */
class UringListenerMemoryTest {

    @Test
    void listenersOpenedAndClosedReuseTheLoopsAcceptAddresses() throws Exception {
        try (EventLoop loop = LoopBackends.open(LoopBackend.IO_URING)) {
            Thread runner = Thread.ofPlatform().start(loop::run);
            try {
                for (int i = 0; i < 200; i++) {
                    Server server = loop.listen(new InetSocketAddress("127.0.0.1", 0), () -> new Protocol() { });
                    server.close();
                }
                CompletableFuture<Integer> made = new CompletableFuture<>();
                loop.callSoon(() -> made.complete(loop.uring().acceptAddressesMade()));
                int created = made.get(10, TimeUnit.SECONDS);
                assertThat(created).as("accept addresses made for 200 listeners opened and closed one after another")
                        .isLessThanOrEqualTo(2);
            } finally {
                loop.stop();
                runner.join(10_000);
            }
        }
    }
}
