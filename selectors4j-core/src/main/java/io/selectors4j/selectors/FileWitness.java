package io.selectors4j.selectors;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.sys.EpollControl;
import io.selectors4j.sys.Platform;
import java.util.BitSet;

/**
 * Lets the poll and select selectors ask the kernel whether a number still names the anonymous-inode
 * file (eventfd, epoll, timerfd...) registered under it, which fstat cannot tell. The descriptors are
 * added, with no events, to an epoll set of the witness's own that is never waited on: epoll keys its
 * entries by open file and number, so changing an entry fails with ENOENT once the number names
 * another file. The set is created on first use and holds no file open.
 */
final class FileWitness implements AutoCloseable {
    private final EpollControl control = new EpollControl();
    private final BitSet added = new BitSet();
    private int epfd = -1;

    /** Starts witnessing the file now at {@code fd}; without epoll, or for a file it refuses, nothing is known. */
    void add(int fd) {
        try {
            if (epfd < 0) {
                epfd = EpollControl.create();
            }
        } catch (NativeIOException noEpoll) {
            return;
        }
        int errno = control.control(epfd, Platform.EPOLL_CTL_ADD, fd, 0, fd);
        if (errno == 0 || errno == Errno.EEXIST) {
            added.set(fd);
        }
    }

    /** Whether the file now at {@code fd} is known not to be the one added; false when unknown. */
    boolean isStale(int fd) {
        if (!added.get(fd)) {
            return false;
        }
        int errno = control.control(epfd, Platform.EPOLL_CTL_MOD, fd, 0, fd);
        return errno == Errno.ENOENT || errno == Errno.EBADF;
    }

    /** Stops witnessing {@code fd} (its file may be closed already). */
    void remove(int fd) {
        if (added.get(fd)) {
            added.clear(fd);
            control.control(epfd, Platform.EPOLL_CTL_DEL, fd, 0, 0);
        }
    }

    @Override
    public void close() {
        if (epfd >= 0) {
            EpollControl.close(epfd);
            epfd = -1;
        }
        added.clear();
    }
}
