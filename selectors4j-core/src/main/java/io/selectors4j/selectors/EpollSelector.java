package io.selectors4j.selectors;

import io.selectors4j.select.Epoll;
import java.io.IOException;

/** A {@link Selector} on Linux epoll, level-triggered: Python's {@code EpollSelector}. */
public final class EpollSelector extends Selector {
    private final Epoll epoll;

    EpollSelector() throws IOException {
        Epoll opened = null;
        try {
            opened = Epoll.open();
            opened.register(wakeup.fd(), Epoll.EPOLLIN);
        } catch (IOException | RuntimeException e) {
            if (opened != null) {
                opened.close();
            }
            wakeup.close();
            throw e;
        }
        epoll = opened;
    }

    @Override
    public Backend backend() {
        return Backend.EPOLL;
    }

    /** The epoll instance's descriptor. */
    public int fileno() {
        return epoll.fileno();
    }

    @Override
    void osRegister(int fd, int events) throws IOException {
        epoll.register(fd, epollBits(events));
    }

    @Override
    void osModify(int fd, int events) throws IOException {
        epoll.modify(fd, epollBits(events));
    }

    @Override
    void osUnregister(int fd) {
        try {
            epoll.unregister(fd);
        } catch (IOException alreadyGone) {
            // Closed or never added: either way the descriptor is no longer watched.
        }
    }

    @Override
    void osWait(long timeoutNanos) throws IOException {
        int count = epoll.pollReady(timeoutMillis(timeoutNanos), table().size() + 1);
        int wakeupFd = wakeup.fd();
        for (int i = 0; i < count; i++) {
            int fd = epoll.readyFd(i);
            if (fd == wakeupFd) {
                wakeup.drain();
            } else {
                addReady(fd, eventsFromPollBits(epoll.readyEvents(i)));
            }
        }
    }

    @Override
    void osClose() {
        epoll.close();
    }

    private static int epollBits(int events) {
        return ((events & Events.READ) != 0 ? Epoll.EPOLLIN : 0) | ((events & Events.WRITE) != 0 ? Epoll.EPOLLOUT : 0);
    }
}
