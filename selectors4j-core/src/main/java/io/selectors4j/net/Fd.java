package io.selectors4j.net;

import io.selectors4j.Selectable;

/**
 * A raw file descriptor number as a {@link Selectable}, like passing an int to Python's select.
 * It does not own the descriptor: closing it is the program's business.
 */
public record Fd(int fileno) implements Selectable {
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
}
