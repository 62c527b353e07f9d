package io.selectors4j.apps.chat;

import java.util.Arrays;

/**
 * Cuts one connection's byte stream into frames, however the stream was split or merged on the way.
 * Complete frames are handed over straight from the bytes given when they lie there whole; only a
 * frame cut by the end of a read is copied, into a buffer sized for that frame once its header is
 * known (at most 65,537 bytes). The work is linear in the bytes received, and an idle connection
 * holds no more than a small buffer, whatever its peer sent before.
 */
public final class FrameDecoder {
    /** A buffer up to this size is kept between frames; a larger one is let go once its frame is done. */
    private static final int KEPT = 1024;

    /** Receives each complete frame's payload, to be read before the call returns (it is not kept). */
    @FunctionalInterface
    public interface FrameSink {
        /** Takes the payload in {@code data[off, off + len)}; returns false to stop decoding. */
        boolean frame(byte[] data, int off, int len);
    }

    private byte[] partial = new byte[0];
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
            boolean more = sink.frame(partial, Frames.HEADER, payload);
            if (partial.length > KEPT) {
                partial = new byte[0];
            }
            if (!more) {
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
        int rest = end - pos;
        if (rest > 0) {
            ensureRoom(rest >= Frames.HEADER ? Frames.HEADER + Frames.length(data, pos) : Frames.HEADER);
            System.arraycopy(data, pos, partial, 0, rest);
            partialLength = rest;
        }
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
            ensureRoom(Frames.HEADER + Frames.length(partial, 0));
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

    /** Makes the buffer hold at least {@code size} bytes, keeping those already in it. */
    private void ensureRoom(int size) {
        if (partial.length < size) {
            partial = Arrays.copyOf(partial, Math.max(size, Math.min(KEPT, 2 * size)));
        }
    }
}
