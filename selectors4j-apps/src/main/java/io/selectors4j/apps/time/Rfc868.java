package io.selectors4j.apps.time;

import java.time.Instant;

/**
 * RFC 868 time values: seconds since 1900-01-01T00:00Z as an unsigned 32-bit number, sent as 4 bytes
 * big-endian.
 *
 * <p>The counter wraps at 2036-02-07T06:28:16Z. A value is read in the era that puts it nearest to now,
 * by the rule NTP uses: values from 2<sup>31</sup> (1968-01-20T03:14:08Z) up belong to era 0, values
 * below it to era 1, after the wrap. That reads every time from 1968 to 2104 right.
 */
public final class Rfc868 {
    /** Seconds from 1900-01-01T00:00Z to 1970-01-01T00:00Z. */
    static final long EPOCH_OFFSET = 2_208_988_800L;
    /** Values below this are after the 2036 wrap (era 1). */
    static final long ERA_PIVOT = 1L << 31;
    private static final long ERA = 1L << 32;

    private Rfc868() {
    }

    /** The 32-bit value for {@code time}, whole seconds, wrapping in 2036. */
    public static long value(Instant time) {
        return Math.floorMod(time.getEpochSecond() + EPOCH_OFFSET, ERA);
    }

    /** {@link #value} as the 4 bytes sent on the wire, big-endian. */
    public static byte[] encode(Instant time) {
        long value = value(time);
        return new byte[] {(byte) (value >>> 24), (byte) (value >>> 16), (byte) (value >>> 8), (byte) value};
    }

    /** The time of 4 bytes big-endian from {@code data} at {@code off}. */
    public static Instant decode(byte[] data, int off) {
        long value = (data[off] & 0xffL) << 24 | (data[off + 1] & 0xffL) << 16
                | (data[off + 2] & 0xffL) << 8 | data[off + 3] & 0xffL;
        return time(value);
    }

    /** The time of an unsigned 32-bit value, era 1 when it is below the pivot. */
    public static Instant time(long value) {
        if (value < 0 || value >= ERA) {
            throw new IllegalArgumentException("not a 32-bit unsigned value: " + value);
        }
        long sinceCentury = value < ERA_PIVOT ? value + ERA : value;
        return Instant.ofEpochSecond(sinceCentury - EPOCH_OFFSET);
    }
}
