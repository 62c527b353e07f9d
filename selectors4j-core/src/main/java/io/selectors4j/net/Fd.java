package io.selectors4j.net;

import io.selectors4j.Selectable;

/**
 * A raw file descriptor number as a {@link Selectable}, like passing an int to Python's select.
 * It does not own the descriptor: closing it is the program's business.
 */
public record Fd(int fileno) implements Selectable {
    private static final Fd STDIN = new Fd(0);
    private static final Fd STDOUT = new Fd(1);
    private static final Fd STDERR = new Fd(2);

    /** Wraps a descriptor number; negative numbers are rejected. */
    public Fd {
        if (fileno < 0) {
            throw new IllegalArgumentException("file descriptor cannot be a negative integer (" + fileno + ")");
        }
    }

    /** Wraps a descriptor number. */
    public static Fd of(int fd) {
        return new Fd(fd);
    }

    /** Standard input, descriptor 0. */
    public static Fd stdin() {
        return STDIN;
    }

    /** Standard output, descriptor 1. */
    public static Fd stdout() {
        return STDOUT;
    }

    /** Standard error, descriptor 2. */
    public static Fd stderr() {
        return STDERR;
    }
}
