package io.selectors4j.selectors;

import io.selectors4j.Errno;
import io.selectors4j.sys.FdCheck;
import java.util.Objects;

/**
 * Finds the keys whose descriptor was closed, or closed and its number given to another file, behind
 * the selector's back, and reports them to the program's {@link DeadKeyListener}.
 *
 * <p>A key of an {@link io.selectors4j.OwnedSelectable} is dead when its object no longer has the
 * key's number (such an object tells the selector before it closes, so this is seldom asked). A raw
 * descriptor's key records the file's identity at {@code register} (device and inode, by fstat); it
 * is dead when the number is closed or names another file. fstat cannot tell one anonymous-inode file
 * (epoll, eventfd, timerfd) from another, so the backend then asks the kernel ({@link KernelWitness}).
 *
 * <p>Raw keys are checked about once a second, before a wait ({@link #beforeWait}), which also caps
 * the wait at the time left until the next check while raw keys exist: a blocked select must still
 * notice a raw descriptor closed and its number reused, which no readiness may ever announce. A
 * select that may wait reads the clock for it, a zero-timeout one only every 256th time, so that
 * polling stays free of clock reads. Nothing here allocates.
 */
final class DeadKeys {
    static final long CHECK_INTERVAL_NANOS = 1_000_000_000L;
    private static final int POLLS_PER_CLOCK_READ = 256;
    private static final System.Logger LOG = System.getLogger(Selector.class.getName());
    private static final DeadKeyListener LOG_DEAD_KEY = (key, errno) -> LOG.log(System.Logger.Level.WARNING,
            "removed a key whose descriptor was closed without unregistering: {0} ({1})", key, Errno.name(errno));

    /** The backend's question to the kernel, for what fstat cannot tell. */
    @FunctionalInterface
    interface KernelWitness {
        /**
         * Whether the kernel tells that the file now at {@code key.fd()} is not the one registered;
         * false when it cannot tell.
         */
        boolean knowsStale(SelectorKey key);
    }

    private final KeyTable table;
    private final KernelWitness kernel;
    private DeadKeyListener listener = LOG_DEAD_KEY;
    private long nextCheck;
    private int pollsSinceClockRead;

    DeadKeys(KeyTable table, KernelWitness kernel) {
        this.table = table;
        this.kernel = kernel;
    }

    void setListener(DeadKeyListener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /** Tells the program that {@code key}, already removed, was dead. */
    void report(SelectorKey key, int errno) {
        listener.deadKey(key, errno);
    }

    /** 0 when the key's descriptor is still the one registered, else the errno to report (EBADF). */
    int errno(SelectorKey key) {
        FdCheck.Identity registered = table.identity(key.fd());
        if (registered == null) {
            return key.fileobj().fileno() == key.fd() ? 0 : Errno.EBADF;
        }
        return FdCheck.refersTo(key.fd(), registered) && !kernel.knowsStale(key) ? 0 : Errno.EBADF;
    }

    /**
     * Adds to {@code batch} every key that is dead now and not yet in it (the select backend asks after
     * EBADF); returns how many it added.
     */
    int findAll(ReadyBatch batch) {
        int found = 0;
        for (int fd = 0; fd < table.capacity(); fd++) {
            SelectorKey key = table.get(fd);
            if (key != null && !batch.isDead(fd)) {
                int errno = errno(key);
                if (errno != 0) {
                    batch.addDead(fd, errno);
                    found++;
                }
            }
        }
        return found;
    }

    /**
     * Before a wait of {@code timeoutNanos} (negative: forever): checks the raw descriptors' keys when
     * the interval has passed since the last check, putting dead ones in {@code batch}, and returns how
     * long the wait may be: the timeout itself, or, while raw keys exist, at most the time until the
     * next check.
     */
    long beforeWait(long timeoutNanos, ReadyBatch batch) {
        if (table.unwatchedCount() == 0) {
            return timeoutNanos;
        }
        if (timeoutNanos == 0) {
            if (++pollsSinceClockRead < POLLS_PER_CLOCK_READ) {
                return 0;
            }
            pollsSinceClockRead = 0;
        }
        long now = System.nanoTime();
        if (now - nextCheck >= 0) {
            nextCheck = now + CHECK_INTERVAL_NANOS;
            checkUnwatched(batch);
        }
        long untilCheck = nextCheck - now;
        return timeoutNanos < 0 || timeoutNanos > untilCheck ? untilCheck : timeoutNanos;
    }

    private void checkUnwatched(ReadyBatch batch) {
        for (int fd = 0; fd < table.capacity(); fd++) {
            SelectorKey key = table.get(fd);
            if (key != null && table.identity(fd) != null) {
                int errno = errno(key);
                if (errno != 0) {
                    batch.addDead(fd, errno);
                }
            }
        }
    }
}
