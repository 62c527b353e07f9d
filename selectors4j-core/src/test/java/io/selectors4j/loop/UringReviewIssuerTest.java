package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.selectors4j.testkit.LoopBackends;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Review of the io_uring loop's one-thread rule: {@code run()} on another thread after a stop is
 * refused, and the refusal leaves the loop as it was, to run again on its thread and close cleanly.
 */
class UringReviewIssuerTest {
    @Test
    void aRunRefusedOnAnotherThreadLeavesTheLoopWhole() throws Exception {
        EventLoop loop = LoopBackends.open(LoopBackend.IO_URING);
        try {
            Thread first = Thread.ofPlatform().start(() -> {
                loop.callSoon(loop::stop);
                loop.run();
            });
            first.join();
            CompletableFuture<Throwable> refused = new CompletableFuture<>();
            Thread.ofPlatform().start(() -> {
                try {
                    loop.run();
                    refused.complete(null);
                } catch (Throwable e) {
                    refused.complete(e);
                }
            }).join();
            assertThat(refused.get()).isInstanceOf(IllegalStateException.class);
            assertThat(loop.isClosed()).isFalse();
            assertThatThrownBy(loop::run).as("this thread is not the loop's either")
                    .isInstanceOf(IllegalStateException.class);
            CountDownLatch ran = new CountDownLatch(1);
            loop.callSoon(ran::countDown);
            assertThat(ran.getCount()).isOne();
        } finally {
            loop.close();
        }
        assertThat(loop.terminationFuture()).as("a refused run is no failure of the ring")
                .isCompletedWithValue(null);
    }
}
