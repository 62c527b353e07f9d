package io.selectors4j.loop;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * A timer of an {@link EventLoop}: its deadline, its place among equal deadlines and its state. It waits
 * in the loop's heap, then, once due, in the loop's queue of callbacks, where {@link #run()} runs its
 * task unless it was cancelled in between.
 */
final class ScheduledTask implements TimerHandle, Runnable {
    /** In the heap (or on its way there from another thread). */
    private static final int SCHEDULED = 0;
    /** Taken out of the heap as due, waiting in the loop's callback queue. */
    private static final int DUE = 1;
    private static final int CANCELLED = 2;
    private static final int STARTED = 3;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(ScheduledTask.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    final long deadline;
    final Runnable task;
    private final TimerQueue queue;
    /** Set when the timer enters the heap: ties run in the order timers reached the loop. */
    long sequence;
    @SuppressWarnings("unused") // through STATE
    private volatile int state;

    ScheduledTask(long deadline, Runnable task, TimerQueue queue) {
        this.deadline = deadline;
        this.task = task;
        this.queue = queue;
    }

    @Override
    public boolean cancel() {
        while (true) {
            int current = (int) STATE.getVolatile(this);
            if (current != SCHEDULED && current != DUE) {
                return false;
            }
            if (STATE.compareAndSet(this, current, CANCELLED)) {
                if (current == SCHEDULED) {
                    queue.cancelled(); // still in the heap: counted until the heap drops it
                }
                return true;
            }
        }
    }

    @Override
    public boolean isCancelled() {
        return (int) STATE.getVolatile(this) == CANCELLED;
    }

    @Override
    public long deadline() {
        return deadline;
    }

    /** Loop thread: the timer leaves the heap as due; false when it was cancelled first. */
    boolean markDue() {
        return STATE.compareAndSet(this, SCHEDULED, DUE);
    }

    /** Runs the task unless the timer was cancelled after it fell due. */
    @Override
    public void run() {
        if (STATE.compareAndSet(this, DUE, STARTED)) {
            task.run();
        }
    }

    /** Earlier deadline first, then earlier arrival: a total order, whatever the deadlines. */
    boolean before(ScheduledTask other) {
        return deadline != other.deadline ? deadline < other.deadline : sequence < other.sequence;
    }

    @Override
    public String toString() {
        return "timer " + task;
    }
}
