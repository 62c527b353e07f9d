package io.selectors4j.loop;

import io.selectors4j.Errno;
import io.selectors4j.OwnedSelectable;
import io.selectors4j.Selectable;
import io.selectors4j.loop.uring.CompletionOwner;
import io.selectors4j.loop.uring.UringEngine;
import io.selectors4j.selectors.Events;
import io.selectors4j.sys.FdCheck;
import io.selectors4j.sys.Platform;
import java.io.IOException;
import java.util.Arrays;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * {@link Readiness} on an io_uring loop: each registration is a one-shot poll in the ring, armed again
 * after its handler has run while the registration stands, so readiness stays level-triggered (a
 * multishot poll reports each new arrival, not a readiness that persists). A poll names its
 * registration by token; changing the events or removing the registration removes the poll and frees
 * its slot at once, so a completion of the old poll arrives stale and is dropped.
 *
 * <p>Dead descriptors: a raw number closed behind the loop fails its next poll (EBADF or POLLNVAL) and
 * its handler hears {@code descriptorLost}; a raw number registered again through another object,
 * its file changed, evicts the old registration the same way (the selector's rule). A registered
 * {@link OwnedSelectable} removes its registration as it closes, and the removal is submitted at once,
 * since the poll holds the file open until then.
 */
final class UringReadiness implements Readiness {
    private static final int OP_POLL = 10;

    private final EventLoop loop;
    private final UringEngine engine;
    private final OwnedSelectable.CloseListener closeListener = this::closing;
    private Registration[] byFd = new Registration[64];

    /** One descriptor's registration and the slot its poll answers to. */
    private final class Registration implements CompletionOwner {
        final Selectable object;
        final int fd;
        /** The file a raw number named when registered; null for an owned object. */
        final FdCheck.Identity identity;
        int events;
        Handler handler;
        int slot;
        boolean armed;

        Registration(Selectable object, int fd, FdCheck.Identity identity, int events, Handler handler) {
            this.object = object;
            this.fd = fd;
            this.identity = identity;
            this.events = events;
            this.handler = handler;
        }

        @Override
        public void complete(int operation, int result, int flags) {
            polled(this, result);
        }
    }

    UringReadiness(EventLoop loop, UringEngine engine) {
        this.loop = loop;
        this.engine = engine;
    }

    @Override
    public void register(Selectable fd, int events, Handler handler) throws IOException {
        checkEvents(events);
        if (Objects.requireNonNull(fd, "fileobj") instanceof OwnedSelectable owned) {
            int number = owned.holdDescriptor();
            try {
                requireValid(number);
                Registration added = add(fd, number, null, events, handler);
                if (!owned.addCloseListener(closeListener)) {
                    remove(added);
                    throw new IllegalArgumentException("Invalid file descriptor: -1 (" + fd + " was closed during register)");
                }
            } finally {
                owned.releaseDescriptor();
            }
        } else {
            int number = fd.fileno();
            requireValid(number);
            FdCheck.requireOpen(number, "register");
            add(fd, number, Objects.requireNonNullElse(FdCheck.identity(number), new FdCheck.Identity(-1, -1)),
                    events, handler);
        }
    }

    private Registration add(Selectable object, int fd, FdCheck.Identity identity, int events, Handler handler) {
        if (fd >= byFd.length) {
            byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        }
        Registration existing = byFd[fd];
        if (existing != null) {
            if (existing.identity == null || FdCheck.refersTo(fd, existing.identity)) {
                throw new IllegalStateException(object + " (FD " + fd + ") is already registered");
            }
            evict(existing, Errno.EBADF); // its number was closed and given to another file
        }
        Registration added = new Registration(object, fd, identity, events, handler);
        byFd[fd] = added;
        added.slot = engine.attach(added);
        arm(added);
        return added;
    }

    @Override
    public void modify(Selectable fd, int events, Handler handler) {
        checkEvents(events);
        Registration registration = find(fd);
        registration.handler = handler;
        if (events != registration.events) {
            registration.events = events;
            if (registration.armed) { // the poll in flight waits for the old events: a new one
                disarm(registration);
                registration.slot = engine.attach(registration);
                arm(registration);
            }
        }
    }

    @Override
    public void unregister(Selectable fd) {
        remove(find(fd));
    }

    @Override
    public Handler handler(int fd) {
        Registration registration = fd >= 0 && fd < byFd.length ? byFd[fd] : null;
        return registration == null ? null : registration.handler;
    }

    @Override
    public void close() {
        for (Registration registration : byFd) {
            if (registration != null && registration.object instanceof OwnedSelectable owned) {
                owned.removeCloseListener(closeListener);
            }
        }
        Arrays.fill(byFd, null);
    }

    private Registration find(Selectable fd) {
        int number = Objects.requireNonNull(fd, "fileobj").fileno();
        requireValid(number);
        Registration registration = number < byFd.length ? byFd[number] : null;
        if (registration == null) {
            throw new NoSuchElementException(fd + " is not registered");
        }
        return registration;
    }

    private void arm(Registration registration) {
        registration.armed = true;
        engine.sqe().pollOnce(registration.fd, pollBits(registration.events), engine.token(OP_POLL, registration.slot));
    }

    /** Removes the poll in flight, if any, and frees the slot: whatever it still reports is stale. */
    private void disarm(Registration registration) {
        if (registration.armed && !loop.isRefusing()) { // a closing loop's ring goes, and its polls
            registration.armed = false;
            engine.sqe().pollRemove(engine.token(OP_POLL, registration.slot), UringEngine.ignored());
        }
        registration.armed = false;
        engine.detach(registration.slot);
    }

    private void remove(Registration registration) {
        if (byFd[registration.fd] == registration) {
            byFd[registration.fd] = null;
        }
        if (registration.object instanceof OwnedSelectable owned) {
            owned.removeCloseListener(closeListener);
        }
        disarm(registration);
    }

    private void evict(Registration registration, int errno) {
        remove(registration);
        registration.handler.descriptorLost(errno);
    }

    /** A registered object is closing: its registration goes, and its poll's removal is submitted now. */
    private void closing(OwnedSelectable source, int fd) {
        Registration registration = fd < byFd.length ? byFd[fd] : null;
        if (registration != null && registration.object == source) {
            remove(registration);
            if (engine.isIssuer() && !loop.isRefusing()) {
                engine.submitNow(); // the poll holds the file: without this it would stay open a while
            }
        }
    }

    private void polled(Registration registration, int result) {
        registration.armed = false;
        if (result < 0 || (result & Platform.POLLNVAL) != 0) {
            evict(registration, result < 0 ? -result : Errno.EBADF);
            return;
        }
        int ready = events(result) & registration.events;
        if (ready != 0) {
            loop.ready(registration.handler, ready);
        }
        if (byFd[registration.fd] == registration && !registration.armed) {
            arm(registration); // level-triggered: still ready, it fires again at the next wait
        }
    }

    /** Python's mapping of poll bits: anything but POLLIN counts as WRITE, anything but POLLOUT as READ. */
    private static int events(int pollBits) {
        return ((pollBits & ~Platform.POLLIN) != 0 ? Events.WRITE : 0)
                | ((pollBits & ~Platform.POLLOUT) != 0 ? Events.READ : 0);
    }

    private static int pollBits(int events) {
        return ((events & Events.READ) != 0 ? Platform.POLLIN : 0) | ((events & Events.WRITE) != 0 ? Platform.POLLOUT : 0);
    }

    private static void checkEvents(int events) {
        if (events == 0 || (events & ~Events.ALL) != 0) {
            throw new IllegalArgumentException("Invalid events: " + events);
        }
    }

    private static void requireValid(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException("Invalid file descriptor: " + fd);
        }
    }
}
