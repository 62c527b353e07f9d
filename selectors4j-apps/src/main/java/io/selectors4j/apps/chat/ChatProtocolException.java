package io.selectors4j.apps.chat;

/**
 * A packet that breaks the chat protocol. Its message is meant for the peer (it names no internal
 * detail); {@link #fatal()} says whether the stream can no longer be trusted and the connection must
 * close after the error is sent.
 */
public final class ChatProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final boolean fatal;
    private final String unknownType;

    private ChatProtocolException(String message, boolean fatal, String unknownType) {
        super(message, null, false, false);
        this.fatal = fatal;
        this.unknownType = unknownType;
    }

    /** A packet that is refused while the connection stays open. */
    public static ChatProtocolException refused(String message) {
        return new ChatProtocolException(message, false, null);
    }

    /** Bytes that cannot be parsed: the connection closes after the error. */
    public static ChatProtocolException unparseable(String message) {
        return new ChatProtocolException(message, true, null);
    }

    /**
     * A well-formed packet of a type this side does not know, {@code unknown type: TYPE}: refused by the
     * server, skipped by the client (a newer server may send types an older client does not know).
     */
    public static ChatProtocolException unknownType(String type) {
        return new ChatProtocolException("unknown type: " + shortened(type), false, type);
    }

    /** {@code text} cut to 32 characters (with "..." when cut), to quote a peer's input in an error. */
    public static String shortened(String text) {
        int limit = 32;
        return text.codePointCount(0, text.length()) <= limit
                ? text : text.substring(0, text.offsetByCodePoints(0, limit)) + "...";
    }

    /** Whether the connection must close. */
    public boolean fatal() {
        return fatal;
    }

    /** The type of a packet refused only for its unknown type, or {@code null} for any other problem. */
    public String unknownType() {
        return unknownType;
    }
}
