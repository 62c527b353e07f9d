package io.selectors4j.loop;

import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An event loop's timers: a binary heap ordered by deadline, then by arrival, owned by the loop thread
 * (timers made on other threads reach it through the loop's hand-over queue).
 *
 * <p>Deadlines are plain {@link System#nanoTime()} values compared with {@code <}, never by the
 * wrap-around difference: a delay is added with saturation ({@link #deadlineAfter}), so "forever"
 * ({@code Long.MAX_VALUE}) stays the latest deadline and an overdue one ({@code Long.MIN_VALUE}
 * included) the earliest, and the order stays total. {@code nanoTime} counts from boot on the platforms
 * we run on and does not wrap in the life of a process.
 *
 * <p>Cancelled timers stay in the heap until they come up or until they make more than half of it,
 * when the heap is rebuilt without them, so cancel churn cannot make it grow without bound.
 */
final class TimerQueue {
    private static final int PURGE_MINIMUM = 64;

    private final AtomicInteger cancelledCount = new AtomicInteger();
    private ScheduledTask[] heap = new ScheduledTask[64];
    private int size;
    private long nextSequence;

    /** The deadline {@code delayNanos} (not negative) after {@code now}, {@code Long.MAX_VALUE} at most. */
    static long deadlineAfter(long now, long delayNanos) {
        long deadline = now + delayNanos;
        return deadline < now ? Long.MAX_VALUE : deadline;
    }

    /** A timer for this queue, not in the heap yet; any thread. */
    ScheduledTask newTimer(long deadline, Runnable task) {
        return new ScheduledTask(deadline, task, this);
    }

    /** Loop thread: puts {@code timer} into the heap. */
    void add(ScheduledTask timer) {
        purgeIfMostlyCancelled();
        timer.sequence = nextSequence++;
        push(timer);
    }

    /** Called by a timer in the heap when it gets cancelled, on any thread. */
    void cancelled() {
        cancelledCount.incrementAndGet();
    }

    /** Loop thread: whether no timer, live or cancelled, is in the heap. */
    boolean isEmpty() {
        return size == 0;
    }

    /**
     * Loop thread: how long the loop may wait at {@code now} for the next live timer: 0 when one is
     * due, -1 (forever) when none is left or the next is due at {@code Long.MAX_VALUE}.
     */
    long waitNanos(long now) {
        long next = nextDeadline();
        if (next == Long.MAX_VALUE) {
            return -1;
        }
        return next <= now ? 0 : saturatedDifference(next, now);
    }

    /**
     * Loop thread: moves every live timer due at {@code now} to {@code ready}, in deadline order. Timers
     * that their tasks schedule wait for a later call, so a timer that keeps re-arming itself at or
     * before the present runs once per loop iteration and cannot starve I/O.
     */
    void moveDue(long now, Queue<Runnable> ready) {
        while (size > 0 && heap[0].deadline <= now) {
            ScheduledTask timer = pop();
            if (timer.markDue()) {
                ready.add(timer);
            } else {
                cancelledCount.decrementAndGet();
            }
        }
    }

    /** The timers in the heap, live or cancelled. */
    int heapSize() {
        return size;
    }

    /** Loop thread: forgets every timer (the loop is closing). */
    void clear() {
        Arrays.fill(heap, 0, size, null);
        size = 0;
        cancelledCount.set(0);
    }

    /** Loop thread: the deadline of the earliest live timer, or {@code Long.MAX_VALUE} when none. */
    private long nextDeadline() {
        while (size > 0 && heap[0].isCancelled()) {
            pop();
            cancelledCount.decrementAndGet();
        }
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    private static long saturatedDifference(long later, long earlier) {
        long difference = later - earlier;
        return difference < 0 ? Long.MAX_VALUE : difference;
    }

    private void purgeIfMostlyCancelled() {
        int cancelled = cancelledCount.get();
        if (size < PURGE_MINIMUM || cancelled <= size / 2) {
            return;
        }
        int kept = 0;
        int removed = 0;
        for (int i = 0; i < size; i++) {
            if (heap[i].isCancelled()) {
                removed++;
            } else {
                heap[kept++] = heap[i];
            }
        }
        Arrays.fill(heap, kept, size, null);
        size = kept;
        cancelledCount.addAndGet(-removed);
        for (int i = size / 2 - 1; i >= 0; i--) {
            siftDown(i);
        }
    }

    private void push(ScheduledTask timer) {
        if (size == heap.length) {
            heap = Arrays.copyOf(heap, size * 2);
        }
        heap[size] = timer;
        siftUp(size++);
    }

    private ScheduledTask pop() {
        ScheduledTask top = heap[0];
        ScheduledTask last = heap[--size];
        heap[size] = null;
        if (size > 0) {
            heap[0] = last;
            siftDown(0);
        }
        return top;
    }

    private void siftUp(int index) {
        ScheduledTask timer = heap[index];
        while (index > 0) {
            int parent = (index - 1) >>> 1;
            if (!timer.before(heap[parent])) {
                break;
            }
            heap[index] = heap[parent];
            index = parent;
        }
        heap[index] = timer;
    }

    private void siftDown(int index) {
        ScheduledTask timer = heap[index];
        int half = size >>> 1;
        while (index < half) {
            int child = 2 * index + 1;
            int right = child + 1;
            if (right < size && heap[right].before(heap[child])) {
                child = right;
            }
            if (!heap[child].before(timer)) {
                break;
            }
            heap[index] = heap[child];
            index = child;
        }
        heap[index] = timer;
    }
}
