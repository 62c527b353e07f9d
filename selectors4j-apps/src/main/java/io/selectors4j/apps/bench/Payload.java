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
     * What is wrong with {@code length} bytes (at most {@link #CHUNK}) echoed at {@code position} of the
     * stream of {@code phase}, when {@code sent} bytes of it have been sent: more bytes than were sent,
     * or the first wrong byte; null when they are right (nothing is allocated then).
     */
    String wrongEcho(byte[] received, int length, int phase, long position, long sent) {
        long outstanding = sent - position;
        if (length > outstanding) {
            return "the server sent " + (length - outstanding) + " bytes more than it was sent";
        }
        int offset = offset(phase, position);
        int wrong = Arrays.mismatch(received, 0, length, bytes, offset, offset + length);
        if (wrong < 0) {
            return null;
        }
        return String.format("byte %d of the stream is 0x%02x, expected 0x%02x", position + wrong,
                received[wrong] & 0xff, bytes[offset(phase, position + wrong)] & 0xff);
    }
}
