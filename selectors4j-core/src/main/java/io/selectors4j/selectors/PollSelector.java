package io.selectors4j.selectors;

import io.selectors4j.Errno;
import io.selectors4j.select.Poll;
import java.io.IOException;
import java.util.NoSuchElementException;

/**
 * A {@link Selector} on poll(2): Python's {@code PollSelector}. A descriptor closed behind its back
 * comes back as POLLNVAL; its key is removed and reported instead of being reported ready. Raw
 * anonymous-inode descriptors are shown to a {@link FileWitness}, which tells when their number names
 * another file.
 * {@link KeyOptions#PEER_SHUTDOWN} is honoured (POLLRDHUP), {@link KeyOptions#EXCLUSIVE} ignored.
 */
public final class PollSelector extends Selector {
    private final Poll poll = new Poll();
    private final FileWitness witness = new FileWitness();

    PollSelector() throws IOException {
        poll.register(wakeup.fd(), Poll.POLLIN);
    }

    @Override
    public Backend backend() {
        return Backend.POLL;
    }

    @Override
    void osRegister(int fd, int events, int options) {
        poll.register(fd, pollBits(events, options));
    }

    @Override
    void osModify(int fd, int events, int options) throws IOException {
        poll.modify(fd, pollBits(events, options));
    }

    @Override
    void osUnregister(int fd) {
        witness.remove(fd);
        try {
            poll.unregister(fd);
        } catch (NoSuchElementException alreadyGone) {
            // Never added: nothing to remove.
        }
    }

    @Override
    boolean osKnowsStale(SelectorKey key) {
        return witness.isStale(key.fd());
    }

    @Override
    void osWitnessAnonymous(int fd) {
        witness.add(fd);
    }

    @Override
    void osWait(long timeoutNanos, ReadyBatch batch) throws IOException {
        int count = poll.pollReadyNanos(timeoutNanos);
        int wakeupFd = wakeup.fd();
        for (int i = 0; i < count; i++) {
            int fd = poll.readyFd(i);
            int bits = poll.readyEvents(i);
            if (fd == wakeupFd) {
                wakeup.drain();
            } else if ((bits & Poll.POLLNVAL) != 0) {
                batch.addDead(fd, Errno.EBADF);
            } else {
                batch.addReady(fd, events(bits), table().generation(fd));
            }
        }
    }

    @Override
    void osClose() {
        witness.close(); // the poll set itself holds no descriptor; its native array goes with the object
    }

    /** Python's mapping of poll bits: anything but POLLIN counts as WRITE, anything but POLLOUT as READ. */
    private static int events(int pollBits) {
        return ((pollBits & ~Poll.POLLIN) != 0 ? Events.WRITE : 0) | ((pollBits & ~Poll.POLLOUT) != 0 ? Events.READ : 0);
    }

    /** The poll bits for {@code events}; of the {@link KeyOptions} only PEER_SHUTDOWN means anything to poll. */
    private static int pollBits(int events, int options) {
        return ((events & Events.READ) != 0 ? Poll.POLLIN : 0) | ((events & Events.WRITE) != 0 ? Poll.POLLOUT : 0)
                | ((options & KeyOptions.PEER_SHUTDOWN) != 0 ? Poll.POLLRDHUP : 0);
    }
}
