package io.selectors4j.loop;

import java.util.concurrent.atomic.AtomicInteger;

/** A timer in an {@link EventLoop}'s heap: its deadline, its place in scheduling order and its state. */
final class ScheduledTask implements TimerHandle {
    private static final int SCHEDULED = 0;
    private static final int CANCELLED = 1;
    private static final int STARTED = 2;

    final long deadline;
    final long sequence;
    final Runnable task;
    private final AtomicInteger state = new AtomicInteger(SCHEDULED);
    private final TimerQueue queue;

    ScheduledTask(long deadline, long sequence, Runnable task, TimerQueue queue) {
        this.deadline = deadline;
        this.sequence = sequence;
        this.task = task;
        this.queue = queue;
    }

    @Override
    public boolean cancel() {
        if (state.compareAndSet(SCHEDULED, CANCELLED)) {
            queue.cancelled();
            return true;
        }
        return false;
    }

    @Override
    public boolean isCancelled() {
        return state.get() == CANCELLED;
    }

    @Override
    public long deadline() {
        return deadline;
    }

    /** Marks the task as running; false when it was cancelled first. */
    boolean start() {
        return state.compareAndSet(SCHEDULED, STARTED);
    }

    /** Earlier deadline first, then earlier scheduling. */
    boolean before(ScheduledTask other) {
        long diff = deadline - other.deadline;
        return diff != 0 ? diff < 0 : sequence < other.sequence;
    }

    @Override
    public String toString() {
        return "timer " + task;
    }
}
