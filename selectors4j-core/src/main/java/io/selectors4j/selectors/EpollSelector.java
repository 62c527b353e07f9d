package io.selectors4j.selectors;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.sys.EpollControl;
import io.selectors4j.sys.EpollEventBuffer;
import io.selectors4j.sys.Platform;
import java.io.IOException;

/**
 * A {@link Selector} on Linux epoll, level-triggered: Python's {@code EpollSelector}.
 *
 * <p><b>Tokens.</b> Each registration's event data is a token, {@code generation << 32 | fd}, the
 * generation being the key table's count for that number. Readiness whose token is not the current
 * one belongs to a registration the selector no longer has, and is dropped: a descriptor registered
 * anew under an old number never receives the old file's readiness, and a change refused with ENOENT
 * means the registered file is gone from that number.
 *
 * <p><b>Rebuild.</b> A raw descriptor that was duplicated and then closed stays in the kernel's set
 * (the open file lives on under the other number) where no {@code epoll_ctl} can reach it, and keeps
 * being reported. After three consecutive waits with such stale events, the selector builds a new
 * epoll set holding the wake-up descriptor and every live key, and closes the old one;
 * {@link #fileno()} changes then.
 *
 * <p>Its waits and control calls capture errno into segments of the selector's own, not the thread's.
 */
public final class EpollSelector extends Selector {
    /** How many waits in a row must see stale events before the epoll set is rebuilt. */
    static final int REBUILD_AFTER_STALE_WAITS = 3;
    private static final long WAKEUP_TOKEN = -1L;

    private final EpollControl control = new EpollControl();
    private final EpollEventBuffer buffer = new EpollEventBuffer(64);
    private int epfd;
    private int staleWaits;
    private int rebuilds;

    EpollSelector() throws IOException {
        int opened = -1;
        try {
            opened = createWithWakeup();
        } catch (IOException | RuntimeException e) {
            wakeup.close();
            throw e;
        }
        epfd = opened;
    }

    @Override
    public Backend backend() {
        return Backend.EPOLL;
    }

    /** The epoll instance's descriptor (a new one after a rebuild; -1 once closed). */
    public int fileno() {
        return epfd;
    }

    /** How many times the epoll set has been rebuilt to shed stale registrations. */
    int rebuilds() {
        return rebuilds;
    }

    @Override
    void osRegister(int fd, int events, int options) throws IOException {
        check(control.control(epfd, Platform.EPOLL_CTL_ADD, fd, epollBits(events, options), token(fd)));
    }

    @Override
    void osModify(int fd, int events, int options) throws IOException {
        int bits = epollBits(events, options);
        if ((options & KeyOptions.EXCLUSIVE) != 0) {
            // The kernel refuses EPOLL_CTL_MOD on an exclusive registration: remove it and add it again.
            check(control.control(epfd, Platform.EPOLL_CTL_DEL, fd, 0, 0));
            check(control.control(epfd, Platform.EPOLL_CTL_ADD, fd, bits, token(fd)));
        } else {
            check(control.control(epfd, Platform.EPOLL_CTL_MOD, fd, bits, token(fd)));
        }
    }

    @Override
    void osUnregister(int fd) {
        // Closed or never added: either way the descriptor is no longer watched, so errors are ignored.
        control.control(epfd, Platform.EPOLL_CTL_DEL, fd, 0, 0);
    }

    /** Asks the kernel: changing the registration to what it is fails when the file at the number is not it. */
    @Override
    boolean osKnowsStale(SelectorKey key) {
        int options = table().options(key.fd());
        if ((options & KeyOptions.EXCLUSIVE) != 0) {
            return false; // cannot be modified in place: no question to ask
        }
        int errno = control.control(epfd, Platform.EPOLL_CTL_MOD, key.fd(), epollBits(key.events(), options),
                token(key.fd()));
        return errno == Errno.ENOENT || errno == Errno.EBADF;
    }

    /** The epoll set itself answers {@link #osKnowsStale}: no witness needed. */
    @Override
    void osWitnessAnonymous(int fd) {
    }

    @Override
    void osWait(long timeoutNanos, ReadyBatch batch) throws IOException {
        KeyTable table = table();
        buffer.reserve(table.size() + 1);
        int count = buffer.await(control.callState(), epfd, table.size() + 1, timeoutNanos);
        boolean stale = false;
        for (int i = 0; i < count; i++) {
            long token = buffer.data(i);
            int fd = (int) token;
            int generation = (int) (token >>> 32);
            if (token == WAKEUP_TOKEN) {
                wakeup.drain();
            } else if (table.generation(fd) == generation && table.get(fd) != null) {
                batch.addReady(fd, events(buffer.events(i)), generation);
            } else {
                stale = true;
            }
        }
        staleWaits = stale ? staleWaits + 1 : 0;
        if (staleWaits >= REBUILD_AFTER_STALE_WAITS) {
            rebuild(batch);
        }
    }

    @Override
    void osClose() {
        EpollControl.close(epfd);
        epfd = -1;
    }

    /**
     * Replaces the epoll set by a new one with the wake-up descriptor and every live key, and closes the
     * old one. A key whose descriptor turns out closed goes to {@code batch} as dead. If the new set cannot be built
     * (out of descriptors or memory), the old one stays and the selector goes on serving every key,
     * trying again after as many stale waits.
     */
    private void rebuild(ReadyBatch batch) {
        staleWaits = 0;
        int fresh;
        try {
            fresh = createWithWakeup();
        } catch (NativeIOException e) {
            return;
        }
        KeyTable table = table();
        for (int fd = 0; fd < table.capacity(); fd++) {
            SelectorKey key = table.get(fd);
            if (key != null) {
                int errno = control.control(fresh, Platform.EPOLL_CTL_ADD, fd,
                        epollBits(key.events(), table.options(fd)), token(fd));
                if (errno == Errno.EBADF) {
                    batch.addDead(fd, errno);
                } else if (errno != 0) {
                    EpollControl.close(fresh);
                    return;
                }
            }
        }
        EpollControl.close(epfd);
        epfd = fresh;
        rebuilds++;
    }

    private int createWithWakeup() throws NativeIOException {
        int created = EpollControl.create();
        int errno = control.control(created, Platform.EPOLL_CTL_ADD, wakeup.fd(), Platform.EPOLLIN, WAKEUP_TOKEN);
        if (errno != 0) {
            EpollControl.close(created);
            throw new NativeIOException("epoll_ctl", errno, "wake-up descriptor");
        }
        return created;
    }

    private long token(int fd) {
        return (long) table().generation(fd) << 32 | Integer.toUnsignedLong(fd);
    }

    private static void check(int errno) throws NativeIOException {
        if (errno != 0) {
            throw new NativeIOException("epoll_ctl", errno);
        }
    }

    private static int epollBits(int events, int options) {
        return ((events & Events.READ) != 0 ? Platform.EPOLLIN : 0)
                | ((events & Events.WRITE) != 0 ? Platform.EPOLLOUT : 0)
                | ((options & KeyOptions.PEER_SHUTDOWN) != 0 ? Platform.EPOLLRDHUP : 0)
                | ((options & KeyOptions.EXCLUSIVE) != 0 ? Platform.EPOLLEXCLUSIVE : 0);
    }

    /** Python's mapping of epoll bits: anything but EPOLLIN counts as WRITE, anything but EPOLLOUT as READ. */
    private static int events(int epollBits) {
        return ((epollBits & ~Platform.EPOLLIN) != 0 ? Events.WRITE : 0)
                | ((epollBits & ~Platform.EPOLLOUT) != 0 ? Events.READ : 0);
    }
}
