package io.selectors4j.selectors;

import io.selectors4j.net.Socket;
import io.selectors4j.sys.Libc;
import io.selectors4j.sys.Platform;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;

/**
 * Test helper: raw descriptors that no selectors4j object owns (eventfds, epoll instances, duplicates),
 * closed behind a selector's back on purpose; whatever is still open is closed by {@link #close()}.
 */
final class RawDescriptors implements AutoCloseable {
    private final List<Integer> open = new ArrayList<>();

    /** A new non-blocking eventfd. */
    int eventFd() {
        return opened(Libc.eventfd(0, Platform.EFD_NONBLOCK | Platform.EFD_CLOEXEC), "eventfd");
    }

    /** A new epoll instance. */
    int epoll() {
        return opened(Libc.epollCreate1(Platform.EPOLL_CLOEXEC), "epoll_create1");
    }

    /** A duplicate of {@code fd} under the lowest free number. */
    int dup(int fd) {
        return opened(Libc.dup(fd), "dup");
    }

    /**
     * Reuses {@code number} for the file {@code fd} refers to: {@code dup3} puts it there and closes the
     * file that was there in one step, then {@code fd} is closed. The kernel would hand a freed number
     * to the next open anyway, but only if no other thread opens something first; this makes the reuse
     * certain, so the check that depends on it always runs. Returns {@code number}.
     */
    int reuse(int number, int fd) {
        if (Libc.dup3(Libc.threadCallState(), fd, number, Platform.O_CLOEXEC) != number) {
            throw new IllegalStateException("dup3 failed, errno " + Libc.errno());
        }
        if (!open.contains(number)) {
            open.add(number);
        }
        close(fd);
        return number;
    }

    /**
     * Reuses {@code number} for {@code socket}'s file and returns a socket that owns {@code number}
     * ({@code socket} is closed; the file lives on under {@code number}). The caller closes the result.
     */
    Socket reuse(int number, Socket socket) throws IOException {
        if (Libc.dup3(Libc.threadCallState(), socket.fileno(), number, Platform.O_CLOEXEC) != number) {
            throw new IllegalStateException("dup3 failed, errno " + Libc.errno());
        }
        open.remove(Integer.valueOf(number)); // the socket below owns it now
        socket.close();
        return Socket.adopt(number);
    }

    /** Makes eventfd {@code fd} readable. */
    void signal(int fd) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment one = arena.allocateFrom(ValueLayout.JAVA_LONG, 1L);
            if (Libc.write(fd, one, Long.BYTES) != Long.BYTES) {
                throw new IllegalStateException("eventfd write failed, errno " + Libc.errno());
            }
        }
    }

    /** Closes {@code fd} now. */
    void close(int fd) {
        if (open.remove(Integer.valueOf(fd)) && Libc.close(fd) != 0) {
            throw new IllegalStateException("close failed, errno " + Libc.errno());
        }
    }

    @Override
    public void close() {
        for (int fd : List.copyOf(open)) {
            close(fd);
        }
    }

    private int opened(int fd, String call) {
        if (fd < 0) {
            throw new IllegalStateException(call + " failed, errno " + Libc.errno());
        }
        open.add(fd);
        return fd;
    }
}
