package io.selectors4j.apps.bench;

import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The bytes the connections send: one fixed pseudo-random sequence with a period of {@link #PERIOD}
 * bytes, each connection starting at its own phase. Byte {@code i} of a connection's stream is
 * {@code sequence[(phase + i) % PERIOD]}, so every echoed byte can be checked against its position
 * without storing what was sent, and a byte echoed on the wrong connection or out of order shows.
 */
final class Payload {
    /** The period of the sequence: a prime, so that messages of most sizes differ one from the next. */
    static final int PERIOD = 4093;
    /** The most bytes handed to one send or taken by one recv. */
    static final int CHUNK = 64 * 1024;

    private final byte[] bytes = new byte[PERIOD + CHUNK];

    Payload() {
        SplittableRandom random = new SplittableRandom(0x5e1ec7025L);
        for (int i = 0; i < PERIOD; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        for (int i = PERIOD; i < bytes.length; i++) {
            bytes[i] = bytes[i - PERIOD];
        }
    }

    /** The phase of connection number {@code connection}: spread over the period. */
    static int phaseOf(int connection) {
        return (int) ((connection * 7919L) % PERIOD);
    }

    /** Copies {@code length} bytes (at most {@link #CHUNK}) of the stream of {@code phase} from {@code position} to the start of {@code target}. */
    void copy(int phase, long position, byte[] target, int length) {
        System.arraycopy(bytes, offset(phase, position), target, 0, length);
    }

    /** Where byte {@code position} of the stream of {@code phase} is in the repeated sequence. */
    private static int offset(int phase, long position) {
        return (int) ((phase + position) % PERIOD);
    }

    /**
     * Checks {@code length} received bytes (at most {@link #CHUNK}) against the stream of {@code phase}
     * from {@code position}: -1 when they match, else the index in {@code received} of the first wrong byte.
     */
    int mismatch(byte[] received, int length, int phase, long position) {
        int offset = offset(phase, position);
        return Arrays.mismatch(received, 0, length, bytes, offset, offset + length);
    }

    /** The byte expected at {@code position} of the stream of {@code phase}. */
    byte expected(int phase, long position) {
        return bytes[offset(phase, position)];
    }
}
