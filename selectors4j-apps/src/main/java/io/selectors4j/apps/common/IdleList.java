package io.selectors4j.apps.common;

import java.time.Duration;
import java.util.function.Consumer;

/**
 * The connections of a selector server in the order they last made progress, the longest idle first,
 * so that a connection idle past the limit is found without looking at the others: progress moves a
 * connection to the back in constant time, the wait for the next expiry is the front's, and nothing is
 * allocated per event (the links are fields of the connection itself). One thread, the selector's.
 *
 * @param <E> the connections
 */
public final class IdleList<E extends IdleList.Entry> {

    /** A connection's place in the list; a connection class extends it. */
    public abstract static class Entry {
        private Entry previous;
        private Entry next;
        private long lastProgress;
        private boolean listed;
    }

    private final long limitNanos;
    private Entry first;
    private Entry last;

    /** A list whose entries expire after {@code limit} without progress; {@link Duration#ZERO}: never. */
    public IdleList(Duration limit) {
        if (limit.isNegative()) {
            throw new IllegalArgumentException("the idle limit must not be negative, not " + limit);
        }
        this.limitNanos = limit.toNanos();
    }

    /** Whether entries ever expire. */
    public boolean enabled() {
        return limitNanos > 0;
    }

    /** Puts {@code entry} at the back: it has made progress at {@code now} ({@link System#nanoTime()}). */
    public void progress(E connection, long now) {
        if (!enabled()) {
            return;
        }
        Entry entry = connection;
        if (entry.listed) {
            if (entry == last) {
                entry.lastProgress = now;
                return;
            }
            unlink(entry);
        }
        entry.lastProgress = now;
        entry.previous = last;
        entry.next = null;
        if (last == null) {
            first = entry;
        } else {
            last.next = entry;
        }
        last = entry;
        entry.listed = true;
    }

    /** Takes {@code entry} out, as its connection closes; nothing happens when it is not in the list. */
    public void remove(E connection) {
        Entry entry = connection;
        if (entry.listed) {
            unlink(entry);
        }
    }

    /**
     * How long a selector may wait before the front entry expires, in nanoseconds for
     * {@code Selector.select(long, ...)}: 0 when one has expired, -1 (wait forever) when none can.
     */
    public long nanosToNextExpiry(long now) {
        if (first == null) {
            return -1;
        }
        return Math.max(0, first.lastProgress + limitNanos - now);
    }

    /** Takes out every entry idle for the limit or longer at {@code now} and hands it to {@code expired}. */
    @SuppressWarnings("unchecked")
    public void expire(long now, Consumer<? super E> expired) {
        while (first != null && now - first.lastProgress >= limitNanos) {
            Entry entry = first;
            unlink(entry);
            expired.accept((E) entry);
        }
    }

    private void unlink(Entry entry) {
        if (entry.previous == null) {
            first = entry.next;
        } else {
            entry.previous.next = entry.next;
        }
        if (entry.next == null) {
            last = entry.previous;
        } else {
            entry.next.previous = entry.previous;
        }
        entry.previous = null;
        entry.next = null;
        entry.listed = false;
    }
}
