package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.testkit.LoopBackends;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** An event loop running on its own thread for a test, with its callback failures collected. */
final class RunningLoop implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final EventLoop loop;
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private RunningLoop(EventLoop loop) {
        this.loop = loop;
        loop.setCallbackErrorHandler((origin, error) -> failures.add(origin + ": " + error));
        CountDownLatch running = new CountDownLatch(1);
        loop.callSoon(running::countDown);
        this.thread = Thread.ofPlatform().name("test-loop").start(loop::run);
        try {
            assertThat(running.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("the loop runs").isTrue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** A loop on {@code backend} (for io_uring, where the kernel allows it), running. */
    static RunningLoop start(LoopBackend backend) throws IOException {
        return new RunningLoop(LoopBackends.open(backend));
    }

    /** Runs {@code task} on the loop and returns its result. */
    <T> T call(Callable<T> task) throws Exception {
        CompletableFuture<T> result = new CompletableFuture<>();
        loop.callSoon(() -> {
            try {
                result.complete(task.call());
            } catch (Throwable e) {
                result.completeExceptionally(e);
            }
        });
        return result.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        loop.stop();
        thread.join(WAIT.toMillis());
        assertThat(thread.isAlive()).as("loop thread ended").isFalse();
        loop.close();
    }
}
