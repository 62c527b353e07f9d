package io.selectors4j.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * The timer heap against a model, with deadlines at the ends of the clock, equal deadlines and cancels:
 * every due live timer comes out once, in deadline then arrival order, none early, none lost, and the
 * wait until the next one is right.
 */
class TimerQueueTest {

    /** One step: schedule at a deadline, cancel the n-th timer made so far, or take what is due at a time. */
    sealed interface Step permits Schedule, Cancel, TakeDue {
    }

    record Schedule(long deadline) implements Step {
    }

    record Cancel(int which) implements Step {
    }

    record TakeDue(long now) implements Step {
    }

    /** A timer of the model. */
    private static final class Timer {
        final long deadline;
        final int arrival;
        final ScheduledTask task;
        boolean cancelled;
        boolean taken;

        Timer(long deadline, int arrival, ScheduledTask task) {
            this.deadline = deadline;
            this.arrival = arrival;
            this.task = task;
        }
    }

    @Property(tries = 1000)
    void dueTimersComeOutOnceInOrderWhateverTheDeadlines(@ForAll("steps") List<Step> steps) {
        TimerQueue queue = new TimerQueue();
        List<Timer> timers = new ArrayList<>();
        List<Timer> taken = new ArrayList<>();
        AtomicInteger runs = new AtomicInteger();
        for (Step step : steps) {
            switch (step) {
                case Schedule(long deadline) -> {
                    ScheduledTask task = queue.newTimer(deadline, runs::incrementAndGet);
                    queue.add(task);
                    timers.add(new Timer(deadline, timers.size(), task));
                }
                case Cancel(int which) -> {
                    if (!timers.isEmpty()) {
                        Timer timer = timers.get(Math.floorMod(which, timers.size()));
                        boolean expected = !timer.cancelled;
                        assertThat(timer.task.cancel()).as("cancel of a timer not cancelled before").isEqualTo(expected);
                        timer.cancelled = true;
                    }
                }
                case TakeDue(long now) -> {
                    List<Timer> expected = timers.stream()
                            .filter(t -> !t.cancelled && !t.taken && t.deadline <= now)
                            .sorted(Comparator.<Timer>comparingLong(t -> t.deadline).thenComparingInt(t -> t.arrival))
                            .toList();
                    ArrayDeque<Runnable> ready = new ArrayDeque<>();
                    queue.moveDue(now, ready);
                    assertThat(ready).as("due at %d", now).containsExactlyElementsOf(
                            expected.stream().map(t -> (Runnable) t.task).toList());
                    expected.forEach(t -> t.taken = true);
                    taken.addAll(expected);
                    long next = timers.stream().filter(t -> !t.cancelled && !t.taken)
                            .mapToLong(t -> t.deadline).min().orElse(Long.MAX_VALUE);
                    long wait = queue.waitNanos(now);
                    if (next == Long.MAX_VALUE) {
                        assertThat(wait).as("nothing left that can fall due: wait forever").isEqualTo(-1);
                    } else {
                        assertThat(next).as("nothing due is left behind").isGreaterThan(now);
                        long exact = next - now;
                        assertThat(wait).as("the wait until %d from %d", next, now)
                                .isEqualTo(exact < 0 ? Long.MAX_VALUE : exact);
                    }
                }
            }
        }
        taken.forEach(t -> t.task.run());
        assertThat(runs.get()).as("a timer cancelled after it fell due does not run")
                .isEqualTo((int) taken.stream().filter(t -> !t.cancelled).count());
        assertThat(queue.heapSize()).isLessThanOrEqualTo(timers.size() - taken.size());
    }

    @Property(tries = 1000)
    void aDelayAddedToAnyTimeSaturatesInsteadOfWrapping(@ForAll("times") long now, @ForAll("times") long delay) {
        long nonNegative = delay == Long.MIN_VALUE ? Long.MAX_VALUE : Math.abs(delay);
        long deadline = TimerQueue.deadlineAfter(now, nonNegative);
        assertThat(deadline).isGreaterThanOrEqualTo(now);
        long exact;
        try {
            exact = Math.addExact(now, nonNegative);
        } catch (ArithmeticException overflow) {
            exact = Long.MAX_VALUE;
        }
        assertThat(deadline).isEqualTo(exact);
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<Step> schedule = times().map(Schedule::new);
        Arbitrary<Step> cancel = Arbitraries.integers().between(0, 1000).map(Cancel::new);
        Arbitrary<Step> take = times().map(TakeDue::new);
        return Arbitraries.frequencyOf(Tuple.of(6, schedule), Tuple.of(2, cancel), Tuple.of(2, take))
                .list().ofMaxSize(300);
    }

    /** Times at the ends of the clock and around zero, a few shared values for ties, and any long. */
    @Provide
    Arbitrary<Long> times() {
        Arbitrary<Long> edges = Arbitraries.of(Long.MIN_VALUE, Long.MIN_VALUE + 1, -1L, 0L, 1L,
                Long.MAX_VALUE - 1, Long.MAX_VALUE, Long.MAX_VALUE / 2, Long.MIN_VALUE / 2);
        Arbitrary<Long> ties = Arbitraries.of(1_000L, 2_000L, 3_000L);
        Arbitrary<Long> any = Arbitraries.longs();
        return Arbitraries.frequencyOf(Tuple.of(3, edges), Tuple.of(3, ties), Tuple.of(4, any));
    }
}
