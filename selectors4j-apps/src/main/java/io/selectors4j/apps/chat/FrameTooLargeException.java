package io.selectors4j.apps.chat;

/** A packet whose JSON is longer than a frame's 2-byte length can say (65,535 bytes). */
public final class FrameTooLargeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** For a payload of {@code length} bytes. */
    public FrameTooLargeException(int length) {
        super("payload of " + length + " bytes is over the " + Frames.MAX_PAYLOAD + "-byte limit of a frame");
    }
}
