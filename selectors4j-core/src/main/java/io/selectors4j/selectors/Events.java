package io.selectors4j.selectors;

/** Python's {@code EVENT_READ} and {@code EVENT_WRITE}: bits that combine with {@code |}. */
public final class Events {
    /** Ready to read (Python's {@code EVENT_READ}). */
    public static final int READ = 1;
    /** Ready to write (Python's {@code EVENT_WRITE}). */
    public static final int WRITE = 2;
    /** Both bits. */
    public static final int ALL = READ | WRITE;

    private Events() {
    }

    /** Python's text for an event mask: {@code "READ"}, {@code "WRITE"}, {@code "READ|WRITE"} or {@code "0"}. */
    public static String toString(int events) {
        return switch (events & ALL) {
            case READ -> "READ";
            case WRITE -> "WRITE";
            case ALL -> "READ|WRITE";
            default -> "0";
        };
    }
}
