package io.selectors4j.loop;

import java.util.Arrays;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An event loop's timers: a binary heap ordered by deadline, then by scheduling order, owned by the
 * loop thread; timers scheduled from other threads wait in a concurrent queue until the loop takes
 * them. Cancelled timers stay in the heap until they come up or until they make more than half of it,
 * when the heap is rebuilt without them, so cancel churn cannot make it grow without bound.
 */
final class TimerQueue {
    private static final int PURGE_MINIMUM = 64;

    private final ConcurrentLinkedQueue<ScheduledTask> incoming = new ConcurrentLinkedQueue<>();
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicInteger cancelledCount = new AtomicInteger();
    private ScheduledTask[] heap = new ScheduledTask[64];
    private int size;

    /** A new timer; {@code onLoopThread} says whether the heap may be touched now. */
    ScheduledTask schedule(long deadline, Runnable task, boolean onLoopThread) {
        ScheduledTask timer = new ScheduledTask(deadline, sequence.getAndIncrement(), task, this);
        if (onLoopThread) {
            purgeIfMostlyCancelled();
            push(timer);
        } else {
            incoming.add(timer);
        }
        return timer;
    }

    /** Called by a timer when it gets cancelled, on any thread. */
    void cancelled() {
        cancelledCount.incrementAndGet();
    }

    /** Whether timers scheduled from other threads are waiting to be taken into the heap. */
    boolean hasIncoming() {
        return !incoming.isEmpty();
    }

    /** Loop thread: takes the timers scheduled from other threads, dropping those already cancelled. */
    void takeIncoming() {
        ScheduledTask timer;
        while ((timer = incoming.poll()) != null) {
            push(timer);
        }
        purgeIfMostlyCancelled();
    }

    /** Loop thread: the deadline of the earliest live timer, or {@code Long.MAX_VALUE} when none. */
    long nextDeadline() {
        while (size > 0 && heap[0].isCancelled()) {
            pop();
            cancelledCount.decrementAndGet();
        }
        return size == 0 ? Long.MAX_VALUE : heap[0].deadline;
    }

    /**
     * Loop thread: removes and returns the earliest timer due at {@code now} that is not cancelled, or
     * {@code null} when none is due.
     */
    ScheduledTask pollDue(long now) {
        while (size > 0 && heap[0].deadline - now <= 0) {
            ScheduledTask timer = pop();
            if (timer.start()) {
                return timer;
            }
            cancelledCount.decrementAndGet();
        }
        return null;
    }

    /** The timers in the heap, live or cancelled. */
    int heapSize() {
        return size;
    }

    /** Loop thread: forgets every timer (the loop is closing). */
    void clear() {
        Arrays.fill(heap, 0, size, null);
        size = 0;
        incoming.clear();
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
