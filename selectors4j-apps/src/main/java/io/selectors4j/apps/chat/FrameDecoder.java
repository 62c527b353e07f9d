package io.selectors4j.apps.chat;

/**
 * Cuts one connection's byte stream into frames, however the stream was split or merged on the way.
 * Complete frames are handed over straight from the bytes given when they lie there whole; only a
 * frame cut by the end of a read is copied, into a buffer of at most one frame (65,537 bytes), so the
 * work is linear in the bytes received and the memory bounded whatever the peer sends.
 */
public final class FrameDecoder {

    /** Receives each complete frame's payload, to be read before the call returns (it is not kept). */
    @FunctionalInterface
    public interface FrameSink {
        /** Takes the payload in {@code data[off, off + len)}; returns false to stop decoding. */
        boolean frame(byte[] data, int off, int len);
    }

    private final byte[] partial = new byte[Frames.HEADER + Frames.MAX_PAYLOAD];
    private int partialLength;

    /**
     * Decodes {@code data[off, off + len)}: every frame it completes goes to {@code sink}, the rest is
     * kept for the next call. Returns false when the sink asked to stop (the remaining bytes are dropped).
     */
    public boolean feed(byte[] data, int off, int len, FrameSink sink) {
        int end = off + len;
        int pos = off;
        if (partialLength > 0) {
            pos = completePartial(data, pos, end);
            if (!partialComplete()) {
                return true;
            }
            int payload = partialLength - Frames.HEADER;
            partialLength = 0;
            if (!sink.frame(partial, Frames.HEADER, payload)) {
                return false;
            }
        }
        while (end - pos >= Frames.HEADER) {
            int payload = Frames.length(data, pos);
            if (end - pos - Frames.HEADER < payload) {
                break;
            }
            int start = pos + Frames.HEADER;
            pos = start + payload;
            if (!sink.frame(data, start, payload)) {
                return false;
            }
        }
        System.arraycopy(data, pos, partial, 0, end - pos);
        partialLength = end - pos;
        return true;
    }

    /** Whether bytes of an unfinished frame are waiting for the rest. */
    public boolean midFrame() {
        return partialLength > 0;
    }

    private int completePartial(byte[] data, int pos, int end) {
        if (partialLength < Frames.HEADER) {
            int take = Math.min(Frames.HEADER - partialLength, end - pos);
            System.arraycopy(data, pos, partial, partialLength, take);
            partialLength += take;
            pos += take;
            if (partialLength < Frames.HEADER) {
                return pos;
            }
        }
        int wanted = Frames.HEADER + Frames.length(partial, 0) - partialLength;
        int take = Math.min(wanted, end - pos);
        System.arraycopy(data, pos, partial, partialLength, take);
        partialLength += take;
        return pos + take;
    }

    private boolean partialComplete() {
        return partialLength >= Frames.HEADER && partialLength == Frames.HEADER + Frames.length(partial, 0);
    }
}
