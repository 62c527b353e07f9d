package io.selectors4j.sys;

import java.lang.foreign.Arena;

/**
 * The native memory an io_uring loop lends the kernel besides its rings: the iovecs of gathered sends
 * and the addresses accepts write, made when first needed (the loop keeps them for reuse) and freed
 * all together when the loop closes.
 */
public final class UringMemory implements AutoCloseable {
    private final Arena arena = Arena.ofShared();

    /** A new gather, valid until {@link #close()}. */
    public SendGather newSendGather() {
        return new SendGather(arena);
    }

    /** A new accept address, valid until {@link #close()}. */
    public AcceptAddress newAcceptAddress() {
        return new AcceptAddress(arena);
    }

    /** Frees every gather and address made here; only once the ring can no longer use them. */
    @Override
    public void close() {
        arena.close();
    }
}
