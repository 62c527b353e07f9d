package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import io.selectors4j.loop.uring.UringEngine;
import io.selectors4j.testkit.Needs;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/** An io_uring event loop running on its own thread for the io_uring tests, its callback failures collected. */
final class UringLoops implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);

    final EventLoop loop;
    final List<String> failures = new CopyOnWriteArrayList<>();
    private final Thread thread;

    private UringLoops(EventLoop loop) throws Exception {
        this.loop = loop;
        loop.setCallbackErrorHandler((origin, error) -> failures.add(origin + ": " + error));
        CompletableFuture<Void> running = new CompletableFuture<>();
        loop.callSoon(() -> running.complete(null));
        thread = Thread.ofPlatform().name("uring-test-loop").start(loop::run);
        running.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Makes the io_uring loops opened from now on lend the kernel {@code count} receive buffers of
     * {@code size} bytes: the fault and flood tests shrink the ring to reach its edges.
     */
    static void receiveBuffers(int count, int size) {
        System.setProperty(UringEngine.BUFFERS, Integer.toString(count));
        System.setProperty(UringEngine.BUFFER_SIZE, Integer.toString(size));
    }

    /** Gives the io_uring loops opened from now on the ring's default sizes again. */
    static void defaultSizes() {
        System.clearProperty(UringEngine.ENTRIES);
        System.clearProperty(UringEngine.CQ_ENTRIES);
        System.clearProperty(UringEngine.BUFFERS);
        System.clearProperty(UringEngine.BUFFER_SIZE);
    }

    /** Starts an io_uring loop, or skips the test where io_uring is missing (fails under CI). */
    static UringLoops start() throws Exception {
        Needs.ioUring();
        return new UringLoops(EventLoop.open(LoopBackend.IO_URING));
    }

    /** Runs {@code task} on the loop and waits for its result. */
    <T> T call(java.util.concurrent.Callable<T> task) throws Exception {
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
