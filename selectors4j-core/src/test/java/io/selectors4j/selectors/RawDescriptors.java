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
     * Puts a new eventfd under {@code number}, which must be free now: opened elsewhere, then moved
     * there with {@code dup3}, so the test does not rely on the kernel handing out the lowest number.
     */
    int eventFdAt(int number) {
        return movedTo(eventFd(), number);
    }

    /** Puts a new epoll instance under {@code number}, as {@link #eventFdAt} does. */
    int epollAt(int number) {
        return movedTo(epoll(), number);
    }

    private int movedTo(int fd, int number) {
        if (fd == number) {
            return number; // the kernel chose that number itself
        }
        int moved = Libc.dup3(Libc.threadCallState(), fd, number, Platform.O_CLOEXEC);
        if (moved != number) {
            throw new IllegalStateException("dup3 failed, errno " + Libc.errno());
        }
        open.add(number);
        close(fd);
        return number;
    }

    /**
     * Puts {@code socket}'s file under {@code number} with {@code dup3}, which closes the file that was
     * there in the same step (no other thread can take the number in between), and returns a socket
     * that owns {@code number}; {@code socket} is closed, its file lives on under {@code number}.
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
