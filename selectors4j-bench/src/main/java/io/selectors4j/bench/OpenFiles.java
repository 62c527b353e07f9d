package io.selectors4j.bench;

import io.selectors4j.ResourceLimits;
import java.io.IOException;

/** Raises the open-files limit for a fixture of many sockets, or says clearly why it cannot run. */
final class OpenFiles {
    /** Descriptors the JVM, JMH and the selectors hold besides a fixture's sockets. */
    private static final int HEADROOM = 256;

    private OpenFiles() {
    }

    /**
     * Makes room for {@code sockets} more descriptors.
     *
     * @throws IllegalStateException naming the limits when the hard limit is too low; JMH then skips
     * this parameter combination with that message and goes on with the others
     */
    static void ensure(int sockets) throws IOException {
        long wanted = (long) sockets + HEADROOM;
        long soft = ResourceLimits.raiseOpenFiles(wanted);
        if (soft < wanted) {
            ResourceLimits.Limit limit = ResourceLimits.openFiles();
            throw new IllegalStateException("skipped: " + sockets + " sockets need an open-files limit of "
                    + wanted + ", but the hard limit is " + limit.hard() + " (raise it with ulimit -Hn as root)");
        }
    }
}
