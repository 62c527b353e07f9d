package io.selectors4j.apps.chat;

/** The chat framing: a 2-byte big-endian unsigned payload length, then that many bytes of UTF-8 JSON. */
public final class Frames {
    /** Bytes of the length header. */
    public static final int HEADER = 2;
    /** The largest payload a header can describe. */
    public static final int MAX_PAYLOAD = 0xFFFF;

    private Frames() {}

    /** Reads the payload length of the header at {@code off}. */
    static int length(byte[] data, int off) {
        return (data[off] & 0xFF) << 8 | data[off + 1] & 0xFF;
    }

    /** Writes the header for a payload of {@code length} bytes at {@code off}. */
    static void writeHeader(byte[] data, int off, int length) {
        if (length < 0 || length > MAX_PAYLOAD) {
            throw new FrameTooLargeException(length);
        }
        data[off] = (byte) (length >>> 8);
        data[off + 1] = (byte) length;
    }
}
