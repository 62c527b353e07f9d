package io.selectors4j.sys;

/**
 * The user data of a submission: which kind of operation it was, the slot of the object it belongs
 * to, and that slot's generation. A slot is reused once its object is gone, with the next generation,
 * so a completion that arrives late (for a connection already closed) carries the old generation and
 * is recognised as stale: it never reaches the slot's new owner, as a bare descriptor number would.
 *
 * <p>Layout: slot in bits 0-31, generation in bits 32-55 (24 bits, wrapping), operation in 56-63.
 */
public final class CompletionToken {
    /** The generations a slot goes through before they repeat. */
    public static final int GENERATIONS = 1 << 24;

    private CompletionToken() {
    }

    /** The token for {@code operation} (0-255) on {@code slot} at {@code generation} (taken modulo 2^24). */
    public static long of(int operation, int slot, int generation) {
        return ((long) (operation & 0xFF) << 56) | ((long) (generation & (GENERATIONS - 1)) << 32)
                | Integer.toUnsignedLong(slot);
    }

    /** The operation kind of a token. */
    public static int operation(long token) {
        return (int) (token >>> 56);
    }

    /** The slot of a token. */
    public static int slot(long token) {
        return (int) token;
    }

    /** The generation of a token. */
    public static int generation(long token) {
        return (int) (token >>> 32) & (GENERATIONS - 1);
    }
}
