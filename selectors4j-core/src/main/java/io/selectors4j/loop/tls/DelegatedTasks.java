package io.selectors4j.loop.tls;

import io.selectors4j.loop.EventLoop;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import javax.net.ssl.SSLEngine;

/**
 * Runs an engine's delegated tasks (certificate checks, key exchange, signatures) off the loop thread
 * — on a virtual thread each, or on the settings' executor — and hands the connection back to its loop
 * when they are done. The loop never waits for them, so a slow check holds only its own connection.
 */
final class DelegatedTasks {
    private DelegatedTasks() {
    }

    /**
     * Takes the engine's pending tasks and starts them; {@code done} then runs on {@code loop} (unless
     * the loop has closed meanwhile, which has ended the connection).
     *
     * @throws RejectedExecutionException the executor refused the work
     */
    static void start(SSLEngine engine, Executor executor, EventLoop loop, Runnable done) {
        List<Runnable> tasks = new ArrayList<>(2);
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            tasks.add(task);
        }
        Runnable job = () -> {
            try {
                for (Runnable each : tasks) {
                    each.run(); // a task that fails leaves its error in the engine, thrown by its next call
                }
            } finally {
                try {
                    loop.callSoon(done);
                } catch (RejectedExecutionException closedLoop) {
                    // the loop closed: it has aborted the connection
                }
            }
        };
        if (executor == null) {
            Thread.ofVirtual().name("s4j-tls-task").start(job);
        } else {
            executor.execute(job);
        }
    }
}
