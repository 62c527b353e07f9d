package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code epoll_create1} and {@code epoll_ctl}. The event passed to the kernel lives in a small
 * per-thread segment, so changing a registration allocates nothing and threads do not share it.
 */
public final class EpollControl {
    private static final long EVENTS = Structs.offset(Structs.EPOLL_EVENT, "events");
    private static final long DATA = Structs.offset(Structs.EPOLL_EVENT, "data");
    private static final ThreadLocal<MemorySegment> EVENT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Structs.EPOLL_EVENT));

    private EpollControl() {
    }

    /** A new epoll descriptor, closed on exec. */
    public static int create() throws NativeIOException {
        return Libc.check(Libc.epollCreate1(Platform.EPOLL_CLOEXEC), "epoll_create1");
    }

    /** Adds {@code fd} to {@code epfd} for {@code events}, with the descriptor as the event's data. */
    public static void add(int epfd, int fd, int events) throws NativeIOException {
        ctl(epfd, Platform.EPOLL_CTL_ADD, fd, events);
    }

    /** Changes the events {@code fd} is watched for. */
    public static void modify(int epfd, int fd, int events) throws NativeIOException {
        ctl(epfd, Platform.EPOLL_CTL_MOD, fd, events);
    }

    /** Removes {@code fd} from {@code epfd}. */
    public static void delete(int epfd, int fd) throws NativeIOException {
        ctl(epfd, Platform.EPOLL_CTL_DEL, fd, 0);
    }

    /** Closes an epoll descriptor; errors are ignored, as the descriptor is gone either way. */
    public static void close(int epfd) {
        Libc.close(epfd);
    }

    private static void ctl(int epfd, int op, int fd, int events) throws NativeIOException {
        MemorySegment event = EVENT.get();
        event.set(JAVA_INT, EVENTS, events);
        event.set(JAVA_LONG_UNALIGNED, DATA, Integer.toUnsignedLong(fd));
        Libc.check(Libc.epollCtl(epfd, op, fd, event), "epoll_ctl");
    }
}
