package io.selectors4j.selectors;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.select.SelectSet;
import java.io.IOException;

/**
 * A {@link Selector} on select(2): Python's {@code SelectSelector}. It watches descriptors below 1024
 * only and refuses others at {@code register}. When select fails with EBADF because a registered
 * descriptor was closed behind its back, it finds that key, removes and reports it, and waits again for
 * the rest of the timeout.
 */
public final class SelectSelector extends Selector {
    /** The most descriptors select(2) can watch: every fd must be below this. */
    public static final int FD_SETSIZE = 1024;

    private final SelectSet set = new SelectSet();

    SelectSelector() throws IOException {
        if (wakeup.fd() >= FD_SETSIZE) {
            close();
            throw new IllegalStateException("cannot create a select selector: its wake-up descriptor "
                    + "is above FD_SETSIZE (1024); use Backend.POLL or Backend.EPOLL");
        }
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
    void osRegister(int fd, int events) {
        // The key table is the registry: select(2) takes the whole set on every call.
    }

    @Override
    void osModify(int fd, int events) {
        // As for osRegister.
    }

    @Override
    void osUnregister(int fd) {
        // As for osRegister.
    }

    @Override
    void osWait(long timeoutNanos) throws IOException {
        long deadline = System.nanoTime() + timeoutNanos;
        long remaining = timeoutNanos;
        while (true) {
            fillSet();
            try {
                set.select(remaining);
                break;
            } catch (NativeIOException e) {
                if (e.errno() != Errno.EBADF || findDead() == 0) {
                    throw e;
                }
                removeDead();
                if (remaining > 0) {
                    remaining = Math.max(0, deadline - System.nanoTime());
                }
            }
        }
        if (set.readable(wakeup.fd())) {
            wakeup.drain();
        }
        int limit = Math.min(table().capacity(), FD_SETSIZE);
        for (int fd = 0; fd < limit; fd++) {
            if (table().get(fd) != null) {
                int events = (set.readable(fd) ? Events.READ : 0) | (set.writable(fd) ? Events.WRITE : 0);
                if (events != 0) {
                    addReady(fd, events);
                }
            }
        }
    }

    /** Puts the wake-up descriptor and every key into the set. */
    private void fillSet() {
        set.clear();
        set.add(wakeup.fd(), true, false, false);
        int limit = Math.min(table().capacity(), FD_SETSIZE);
        for (int fd = 0; fd < limit; fd++) {
            SelectorKey key = table().get(fd);
            if (key != null) {
                set.add(fd, (key.events() & Events.READ) != 0, (key.events() & Events.WRITE) != 0, false);
            }
        }
    }

    @Override
    void osClose() {
        set.close();
    }
}
