package io.selectors4j.apps.common;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A clean stop on Ctrl-C or SIGTERM: the signal sets {@link #requested()} and wakes the server's loop,
 * waits (at most 10 s) for the loop to flush and close its connections and call {@link #finished()},
 * then ends the process with exit code 0, or 2 when the loop did not finish in time.
 *
 * <p>The JVM reports a process stopped by a signal as failed (128 + the signal number) even after its
 * shutdown hooks ran; a server that stopped as asked has succeeded, so the hook halts with 0 itself.
 * A server that ends on its own calls {@link #finished()}, which takes the hook away, so its own exit
 * code stands.
 */
public final class StopSignal {
    private static final long FINISH_SECONDS = 10;

    private final CountDownLatch finished = new CountDownLatch(1);
    private final Thread hook = new Thread(this::stop, "s4j-stop");
    private volatile boolean requested;
    private volatile Runnable wake = () -> { };

    private StopSignal() {
    }

    /** Starts listening for Ctrl-C and SIGTERM. */
    public static StopSignal install() {
        StopSignal signal = new StopSignal();
        Runtime.getRuntime().addShutdownHook(signal.hook);
        return signal;
    }

    /**
     * What makes the server's loop look at {@link #requested()}, such as a selector's wake-up; run at
     * once when the stop was asked for already.
     */
    public void wakeWith(Runnable wake) {
        this.wake = wake;
        if (requested) {
            wake.run();
        }
    }

    /** Whether a stop was asked for: the loop should flush, close and call {@link #finished()}. */
    public boolean requested() {
        return requested;
    }

    /** The server has closed everything; call it exactly once, on every way out of the loop. */
    public void finished() {
        try {
            Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException stopping) {
            // The hook is running: it is waiting for this call and sets the exit code.
        }
        finished.countDown();
    }

    private void stop() {
        requested = true;
        wake.run();
        boolean clean;
        try {
            clean = finished.await(FINISH_SECONDS, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            clean = false;
        }
        System.out.flush();
        System.err.flush();
        Runtime.getRuntime().halt(clean ? 0 : 2);
    }
}
