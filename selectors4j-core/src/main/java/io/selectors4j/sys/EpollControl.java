package io.selectors4j.sys;

import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG_UNALIGNED;

import io.selectors4j.NativeIOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * {@code epoll_create1} and {@code epoll_ctl}. The static methods keep the descriptor as the event's
 * data and pass the event to the kernel in a small per-thread segment. An instance has its own event
 * and errno segments, lets the caller choose each registration's 64-bit data (a selector's token) and
 * reports failures as errno values, for one thread at a time; neither form allocates per call.
 */
public final class EpollControl {
    private static final long EVENTS = Structs.offset(Structs.EPOLL_EVENT, "events");
    private static final long DATA = Structs.offset(Structs.EPOLL_EVENT, "data");
    private static final ThreadLocal<MemorySegment> EVENT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Structs.EPOLL_EVENT));

    private final MemorySegment event;
    private final MemorySegment callState;

    /** Control calls with segments of their own; {@link #callState()} also serves the owner's waits. */
    public EpollControl() {
        Arena arena = Arena.ofAuto();
        event = arena.allocate(Structs.EPOLL_EVENT);
        callState = Libc.newCallState(arena);
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

    /** The errno capture segment of this instance's calls, for the owner's other calls on the same thread. */
    public MemorySegment callState() {
        return callState;
    }

    /**
     * {@code epoll_ctl(epfd, op, fd, {events, data})}.
     *
     * @return 0, or the errno of the failure (ENOENT: {@code fd}'s current file is not in the set)
     */
    public int control(int epfd, int op, int fd, int events, long data) {
        event.set(JAVA_INT, EVENTS, events);
        event.set(JAVA_LONG_UNALIGNED, DATA, data);
        return Libc.epollCtl(callState, epfd, op, fd, event) < 0 ? Libc.errno(callState) : 0;
    }

    private static void ctl(int epfd, int op, int fd, int events) throws NativeIOException {
        MemorySegment event = EVENT.get();
        event.set(JAVA_INT, EVENTS, events);
        event.set(JAVA_LONG_UNALIGNED, DATA, Integer.toUnsignedLong(fd));
        Libc.check(Libc.epollCtl(epfd, op, fd, event), "epoll_ctl");
    }
}
