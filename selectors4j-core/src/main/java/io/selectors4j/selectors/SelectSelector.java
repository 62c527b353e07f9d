package io.selectors4j.selectors;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.select.Select;
import io.selectors4j.select.SelectSet;
import java.io.IOException;

/**
 * A {@link Selector} on select(2): Python's {@code SelectSelector}. It watches descriptors below 1024
 * only and refuses others at {@code register}. When select fails with EBADF because a registered
 * descriptor was closed behind its back, it finds that key, removes and reports it, and waits again for
 * the rest of the timeout. {@link KeyOptions} are ignored: select reports a peer's shutdown as
 * readable anyway.
 *
 * <p><b>Many open files.</b> The kernel hands out the lowest free descriptor number, so the wake-up
 * descriptor lands at 1024 or above only when every number below is taken. The selector still opens
 * then, but cannot watch its wake-up descriptor: its waits are cut into slices of 20 ms, and a
 * {@link #wakeup()} ends a blocked {@code select} at the end of the current slice instead of at once.
 */
public final class SelectSelector extends Selector {
    /** The most descriptors select(2) can watch: every fd must be below this. */
    public static final int FD_SETSIZE = Select.FD_SETSIZE;

    /** The longest single select(2) when the wake-up descriptor cannot be watched. */
    private static final long WAKEUP_SLICE_NANOS = 20_000_000;

    private final SelectSet set = new SelectSet();
    private final FileWitness witness = new FileWitness();
    private final boolean wakeupWatched = wakeup.fd() < FD_SETSIZE;

    SelectSelector() throws IOException {
    }

    @Override
    public Backend backend() {
        return Backend.SELECT;
    }

    @Override
    void checkRegistrable(int fd) {
        if (fd >= FD_SETSIZE) {
            throw new IllegalArgumentException("fd " + fd + " is out of range for select(): it must be below "
                    + "FD_SETSIZE (" + FD_SETSIZE + "); use Backend.POLL or Backend.EPOLL");
        }
    }

    @Override
    void osRegister(int fd, int events, int options) {
        // The key table is the registry: select(2) takes the whole set on every call.
    }

    @Override
    void osModify(int fd, int events, int options) {
        // As for osRegister.
    }

    @Override
    void osUnregister(int fd) {
        witness.remove(fd); // the set itself is refilled from the key table on every wait
    }

    @Override
    boolean osKnowsStale(SelectorKey key) {
        return witness.isStale(key.fd());
    }

    @Override
    void osWitnessAnonymous(int fd) {
        witness.add(fd);
    }

    @Override
    void osWait(long timeoutNanos, ReadyBatch batch) throws IOException {
        if (wakeupWatched || timeoutNanos == 0) {
            waitAndCollect(timeoutNanos, batch);
            return;
        }
        long start = timeoutNanos > 0 ? System.nanoTime() : 0;
        while (true) {
            long left = timeoutNanos < 0 ? WAKEUP_SLICE_NANOS : timeoutNanos - (System.nanoTime() - start);
            if (left <= 0 || waitAndCollect(Math.min(left, WAKEUP_SLICE_NANOS), batch) > 0) {
                return;
            }
            if (wakeup.isPending()) {
                wakeup.drain();
                return;
            }
        }
    }

    /**
     * One select for up to {@code timeoutNanos}, past dead descriptors (found after EBADF, put in
     * {@code batch} and left out of the next try); returns how many keys were ready.
     */
    private int waitAndCollect(long timeoutNanos, ReadyBatch batch) throws IOException {
        long deadline = timeoutNanos > 0 ? System.nanoTime() + timeoutNanos : 0;
        long remaining = timeoutNanos;
        while (true) {
            fillSet(batch);
            try {
                set.select(remaining);
                break;
            } catch (NativeIOException e) {
                if (e.errno() != Errno.EBADF || deadKeys().findAll(batch) == 0) {
                    throw e;
                }
                if (remaining > 0) {
                    remaining = Math.max(0, deadline - System.nanoTime());
                }
            }
        }
        if (wakeupWatched && set.readable(wakeup.fd())) {
            wakeup.drain();
        }
        int found = 0;
        int limit = Math.min(table().capacity(), FD_SETSIZE);
        for (int fd = 0; fd < limit; fd++) {
            if (table().get(fd) != null) {
                int events = (set.readable(fd) ? Events.READ : 0) | (set.writable(fd) ? Events.WRITE : 0);
                if (events != 0) {
                    batch.addReady(fd, events, table().generation(fd));
                    found++;
                }
            }
        }
        return found;
    }

    /** Puts the wake-up descriptor (when it fits) and every key not found dead into the set. */
    private void fillSet(ReadyBatch batch) {
        set.clear();
        if (wakeupWatched) {
            set.add(wakeup.fd(), true, false, false);
        }
        int limit = Math.min(table().capacity(), FD_SETSIZE);
        for (int fd = 0; fd < limit; fd++) {
            SelectorKey key = table().get(fd);
            if (key != null && !batch.isDead(fd)) {
                set.add(fd, (key.events() & Events.READ) != 0, (key.events() & Events.WRITE) != 0, false);
            }
        }
    }

    @Override
    void osClose() {
        set.close();
        witness.close();
    }
}
