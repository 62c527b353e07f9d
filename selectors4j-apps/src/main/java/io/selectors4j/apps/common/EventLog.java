package io.selectors4j.apps.common;

import java.io.PrintWriter;

/**
 * A program's log on standard output: one line per call, flushed at once so that a reader at the
 * other end of a pipe sees each event as it happens. Event lines are left out under {@code --quiet};
 * start-up lines never are.
 */
public final class EventLog {
    private final PrintWriter out;
    private final boolean quiet;

    /** A log writing to {@code out}; with {@code quiet}, {@link #event} prints nothing. */
    public EventLog(PrintWriter out, boolean quiet) {
        this.out = out;
        this.quiet = quiet;
    }

    /** Whether event lines are printed: a caller can skip building a line nobody will see. */
    public boolean eventsShown() {
        return !quiet;
    }

    /** One line about an event (a connection, a read, a write), unless quiet. */
    public void event(String line) {
        if (!quiet) {
            line(line);
        }
    }

    /** One line that is always printed: what the program is and where it listens. */
    public void line(String line) {
        synchronized (out) {
            out.println(line);
            out.flush();
        }
    }
}
