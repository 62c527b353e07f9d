package io.selectors4j.loop;

import io.selectors4j.Errno;
import io.selectors4j.Selectable;
import io.selectors4j.selectors.Events;

/**
 * The reader and writer callbacks watching one descriptor: {@link EventLoop#addReader} and friends.
 * The selector key is its only reference, so a watch goes with its key (removed, found dead, or dropped
 * when a watched socket or pipe end is closed) and the loop keeps no list of watches.
 */
final class FdWatch implements Handler {
    private final EventLoop loop;
    private final Selectable fd;
    private Runnable reader;
    private Runnable writer;

    FdWatch(EventLoop loop, Selectable fd) {
        this.loop = loop;
        this.fd = fd;
    }

    Selectable fd() {
        return fd;
    }

    Runnable reader() {
        return reader;
    }

    Runnable writer() {
        return writer;
    }

    void setReader(Runnable callback) {
        reader = callback;
    }

    void setWriter(Runnable callback) {
        writer = callback;
    }

    /** The {@link Events} bits the callbacks present ask for; 0 when none is left. */
    int events() {
        return (reader != null ? Events.READ : 0) | (writer != null ? Events.WRITE : 0);
    }

    /**
     * Runs the reader, then the writer, each only if it is still set. The writer also needs the watch to
     * be still registered: a reader that closed the descriptor's object, or removed the watch and
     * watched a new file on the same number, must not have the writer run on what the number is now.
     */
    @Override
    public void ready(int events) {
        Runnable r = reader;
        boolean readerRan = false;
        if ((events & Events.READ) != 0 && r != null) {
            readerRan = true;
            try {
                r.run();
            } catch (RuntimeException | Error e) {
                loop.callbackFailed("reader of " + fd, e);
            }
        }
        Runnable w = writer;
        if ((events & Events.WRITE) != 0 && w != null && (!readerRan || loop.isCurrent(this))) {
            try {
                w.run();
            } catch (RuntimeException | Error e) {
                loop.callbackFailed("writer of " + fd, e);
            }
        }
    }

    @Override
    public void descriptorLost(int errno) {
        loop.callbackFailed("watch of " + fd, new IllegalStateException(
                "descriptor " + fd + " was closed while watched (" + Errno.name(errno) + "); its callbacks are removed"));
    }

    @Override
    public String toString() {
        return "watch of " + fd;
    }
}
