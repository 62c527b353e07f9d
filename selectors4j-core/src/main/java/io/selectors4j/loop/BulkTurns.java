package io.selectors4j.loop;

import java.util.ArrayDeque;

/**
 * The loop's fairness between connections, decided here and nowhere else. A connection whose last read
 * filled the read buffer, or whose last flush sent a full buffer's worth, has more waiting: a bulk
 * sender. When the selector reports it ready, it does not act at once but takes a turn in this queue,
 * and each iteration of the loop moves at most {@link #BUDGET_BYTES} through the turns, oldest first.
 * Every other connection acts as soon as it is ready, so an interactive client waits behind bulk
 * senders for at most one budget, however many of them there are, while the bulk senders share the
 * rest in turn.
 */
final class BulkTurns {
    /**
     * Bytes moved by bulk connections per loop iteration: a few hundred microseconds of echo work. The
     * flood comparison (docs/RELIABILITY.md) chose it: 1 MiB left an interactive client's p99 at 3-9 ms,
     * 64 KiB cost 10 % more CPU in extra waits.
     */
    static final int BUDGET_BYTES = 256 * 1024;

    private final ArrayDeque<StreamConnection> turns = new ArrayDeque<>();

    /** Whether moving {@code bytes} in one call, {@code full} being a whole buffer, marks a bulk connection. */
    static boolean isBulk(long bytes, int full) {
        return bytes >= full;
    }

    /** Loop thread: {@code transport} is ready again and waits for its turn. */
    void add(StreamConnection transport) {
        turns.add(transport);
    }

    /** Whether turns are waiting: the loop must not sleep then. */
    boolean isEmpty() {
        return turns.isEmpty();
    }

    /** Loop thread: gives turns, oldest first, until the budget of this iteration is spent. */
    void run() {
        long spent = 0;
        StreamConnection next;
        while (spent < BUDGET_BYTES && (next = turns.poll()) != null) {
            spent += next.takeTurn();
        }
    }

    /** Loop thread: the loop is closing. */
    void clear() {
        turns.clear();
    }
}
