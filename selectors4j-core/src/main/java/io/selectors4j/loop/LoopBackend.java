package io.selectors4j.loop;

import io.selectors4j.selectors.Backend;
import java.util.Optional;

/**
 * What an {@link EventLoop} waits with: one of the readiness selectors ({@link #EPOLL}, {@link #POLL},
 * {@link #SELECT}), or {@link #IO_URING}, the completion backend, where the kernel performs the reads,
 * sends and accepts itself and the loop learns of them finished. Every backend runs the same
 * {@link Protocol}, {@link Transport}, {@link DatagramTransport} and watch API under the same rules.
 */
public enum LoopBackend {
    /** A readiness loop on Linux epoll: the default. */
    EPOLL,
    /** A readiness loop on poll(2). */
    POLL,
    /** A readiness loop on select(2): descriptors below 1024 only. */
    SELECT,
    /** A completion loop on io_uring (Linux 5.19 or newer, where it is not forbidden). */
    IO_URING;

    /** The loop backend that waits with {@code backend}. */
    public static LoopBackend of(Backend backend) {
        return switch (backend) {
            case EPOLL -> EPOLL;
            case POLL -> POLL;
            case SELECT -> SELECT;
        };
    }

    /** The selector backend a readiness loop waits with; empty for {@link #IO_URING}. */
    public Optional<Backend> selectorBackend() {
        return switch (this) {
            case EPOLL -> Optional.of(Backend.EPOLL);
            case POLL -> Optional.of(Backend.POLL);
            case SELECT -> Optional.of(Backend.SELECT);
            case IO_URING -> Optional.empty();
        };
    }

    /** The default: the best readiness selector that works here (epoll, then poll, then select). */
    public static LoopBackend best() {
        return of(Backend.best());
    }
}
