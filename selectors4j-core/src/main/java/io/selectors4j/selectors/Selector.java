package io.selectors4j.selectors;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.OwnedSelectable;
import io.selectors4j.Selectable;
import io.selectors4j.sys.FdCheck;
import java.io.IOException;
import java.nio.channels.ClosedSelectorException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Python's {@code selectors} selector: register objects with the {@link Events} they wait for and a
 * piece of data, then ask which are ready.
 *
 * <p><b>Rules</b> (Python's, see DESIGN.md): events are checked before the descriptor; a descriptor
 * can be registered once, through whichever object; unregister never fails because the descriptor was
 * closed (see below); modify with only new data builds a new key without a system call; a failed
 * registration leaves no key behind; {@code select} reports each key at most once, with its ready events masked by
 * the key's events, a hang-up or error counting as ready for whatever the key asked for.
 *
 * <p><b>Beyond Python: dead descriptors.</b> Closing a registered {@link OwnedSelectable} (a selectors4j
 * socket or pipe end) removes its key first. A raw descriptor closed behind the selector's back is
 * found (select: EBADF; poll: POLLNVAL; every backend: its number registered again, and a check of
 * such keys about once a second, which a blocking {@code select} runs too), removed and reported to
 * the {@link DeadKeyListener}; every other key keeps being served ({@link DeadKeys}). A number that is not an open descriptor is refused at {@code register} with
 * EBADF before anything is stored. The differences from Python: {@code modify} checks the events before
 * changing anything, and invalid events leave the registration as it was; a closed selector refuses
 * every call but {@link #close()}, {@link #wakeup()} and {@link #getMap()} with
 * {@link ClosedSelectorException}.
 *
 * <p><b>Unregister after close.</b> Closing a registered {@link OwnedSelectable} removes its key and
 * the selector remembers that key for the object (for the 64 most recently closed objects): a later
 * {@code unregister} of the very object returns it, once. Otherwise a closed object is what it is to
 * Python, a descriptor of -1: {@code getKey}, {@code modify} and {@code unregister} refuse it with
 * {@link IllegalArgumentException} ("Invalid file descriptor: -1", Python's ValueError), while an open
 * object that is not registered gets {@link NoSuchElementException} (Python's KeyError).
 *
 * <p><b>Anonymous inodes</b> (epoll, eventfd, timerfd, signalfd: one device and inode for all). The
 * selector asks the kernel instead whether a number's current file is the registered one: epoll through
 * its own set (an EPOLL_CTL_MOD that fails with ENOENT), poll and select through a private epoll set
 * that holds their raw anonymous-inode descriptors, never waited on ({@link FileWitness}). So such a
 * descriptor closed behind the selector's back is found and replaced like any other.
 *
 * <p><b>Threads.</b> A selector belongs to one thread: registration, selection and closing happen on
 * it, and so must closing a registered socket. Only {@link #wakeup()} may be called from any thread;
 * it costs no system call unless the owner is blocked in {@code select}. An {@link OwnedSelectable}
 * closed on another thread while it is being registered never leaves a key behind: {@code register}
 * holds its descriptor from reading the number to adding its close listener, so the number cannot
 * name another file meanwhile, and when the close wins, the registration is undone and refused.
 */
public abstract sealed class Selector implements AutoCloseable
        permits EpollSelector, PollSelector, SelectSelector {
    private static final FdCheck.Identity NOT_OPEN = new FdCheck.Identity(-1, -1);

    private final KeyTable table = new KeyTable();
    private final ReadyBatch batch = new ReadyBatch();
    private final DeadKeys deadKeys = new DeadKeys(table, this::osKnowsStale);
    private final ClosedKeys closedKeys = new ClosedKeys();
    private final Map<Integer, SelectorKey> mapView = new SelectorMap(this);
    private final OwnedSelectable.CloseListener closeListener = this::ownedClosing;
    final WakeupSignal wakeup;
    private boolean closed;

    Selector() throws IOException {
        wakeup = new WakeupSignal();
    }

    /** The best selector this machine offers: epoll, then poll, then select (Python's DefaultSelector). */
    public static Selector open() throws IOException {
        return open(Backend.best());
    }

    /** A selector on the given backend. */
    public static Selector open(Backend backend) throws IOException {
        return switch (backend) {
            case EPOLL -> new EpollSelector();
            case POLL -> new PollSelector();
            case SELECT -> new SelectSelector();
        };
    }

    /** Which readiness call this selector uses. */
    public abstract Backend backend();

    /** Registers with no data. */
    public SelectorKey register(Selectable fileobj, int events) throws IOException {
        return register(fileobj, events, null);
    }

    /**
     * Registers {@code fileobj} for {@code events} with {@code data} attached, and returns the new key.
     *
     * @throws IllegalArgumentException zero or unknown event bits (checked first), a negative
     *                                  descriptor (Python's "Invalid file descriptor: -1", also for an
     *                                  {@link OwnedSelectable} closed on another thread during the
     *                                  call, which leaves no key), or one the backend cannot watch
     * @throws IllegalStateException    the descriptor is already registered, through any object
     * @throws IOException              the descriptor is not open (EBADF, whatever the number), or the
     *                                  backend refused it (epoll: EPERM for a regular file)
     */
    public SelectorKey register(Selectable fileobj, int events, Object data) throws IOException {
        return register(fileobj, events, data, KeyOptions.NONE);
    }

    /**
     * Like {@link #register(Selectable, int, Object)} with backend {@link KeyOptions} (peer shutdown,
     * exclusive wake-up), which the key keeps through {@code modify}. A backend that cannot honour an
     * option ignores it, as {@link KeyOptions} says for each.
     *
     * @throws IllegalArgumentException also for unknown option bits
     */
    public SelectorKey register(Selectable fileobj, int events, Object data, int options) throws IOException {
        ensureOpen();
        checkEvents(events);
        if ((options & ~KeyOptions.ALL) != 0) {
            throw new IllegalArgumentException("Invalid options: " + options);
        }
        if (!(Objects.requireNonNull(fileobj, "fileobj") instanceof OwnedSelectable owned)) {
            int fd = validFd(fileobj.fileno());
            FdCheck.Identity identity = prepare(fileobj, fd);
            SelectorKey key = add(fileobj, fd, events, data, options, identity);
            if (identity.isAnonymous()) {
                osWitnessAnonymous(fd);
            }
            return key;
        }
        // Held from the number to the close listener: a close on another thread meanwhile cannot
        // release the number, so the kernel cannot give it to another file under this key.
        int fd = validFd(owned.holdDescriptor());
        try {
            prepare(fileobj, fd);
            SelectorKey key = add(fileobj, fd, events, data, options, null);
            if (!owned.addCloseListener(closeListener)) {
                table.remove(fd); // closed since the hold: its listeners have been told already
                osUnregister(fd);
                throw new IllegalArgumentException(invalidFd(-1) + " (" + fileobj + " was closed during register)");
            }
            return key;
        } finally {
            owned.releaseDescriptor();
        }
    }

    /**
     * Checks that {@code fd} is open and that the backend can watch it, and evicts a key left there by
     * a dead registration; returns the file's identity for a raw descriptor's key.
     */
    private FdCheck.Identity prepare(Selectable fileobj, int fd) throws IOException {
        FdCheck.requireOpen(fd, "register");
        checkRegistrable(fd);
        SelectorKey existing = table.get(fd);
        if (existing != null) {
            int errno = deadKeys.errno(existing);
            if (errno == 0) {
                throw new IllegalStateException(fileobj + " (FD " + fd + ") is already registered");
            }
            evict(existing, errno);
        }
        return fileobj instanceof OwnedSelectable ? null
                : Objects.requireNonNullElse(FdCheck.identity(fd), NOT_OPEN);
    }

    /** Stores the key and registers it with the backend; a refusal leaves no key behind. */
    private SelectorKey add(Selectable fileobj, int fd, int events, Object data, int options,
                            FdCheck.Identity identity) throws IOException {
        SelectorKey key = new SelectorKey(fileobj, fd, events, data);
        if (identity == null) {
            table.put(key, options);
        } else {
            table.putUnwatched(key, options, identity);
        }
        try {
            osRegister(fd, events, options);
        } catch (IOException | RuntimeException e) {
            table.remove(fd);
            throw e;
        }
        return key;
    }

    /**
     * Removes the registration of {@code fileobj} (or of its descriptor) and returns its key. Never
     * fails because the descriptor has been closed: for an {@link OwnedSelectable} whose closing
     * removed the key, that key is returned (once).
     *
     * @throws NoSuchElementException   an open object that is not registered (Python's KeyError)
     * @throws IllegalArgumentException a closed object (descriptor -1) with no key, once the key its
     *                                  closing removed has been handed back (Python's ValueError
     *                                  "Invalid file descriptor: -1")
     */
    public SelectorKey unregister(Selectable fileobj) {
        ensureOpen();
        if (lookup(fileobj) == null) {
            SelectorKey removedAtClose = closedKeys.take(fileobj);
            if (removedAtClose != null) {
                return removedAtClose;
            }
        }
        SelectorKey key = requireKey(fileobj);
        forget(key);
        return key;
    }

    /**
     * Changes the events and the data of a registration and returns the new key. Only new data: a new
     * key, no system call. Nothing new: the same key. If the backend refuses the new events, the
     * registration is removed and the error propagates (a descriptor found closed that way is also
     * reported to the {@link DeadKeyListener}).
     *
     * <p>Toggling costs no allocation: when the events change and the data is the very same object, the
     * key that the previous {@code modify} of this descriptor replaced is handed back if it has exactly
     * the new events, so an event loop switching between READ and READ|WRITE reuses two keys.
     *
     * @throws IllegalArgumentException invalid events (checked first), or a closed object with no key
     *                                  ("Invalid file descriptor: -1")
     * @throws NoSuchElementException   an open object that is not registered
     */
    public SelectorKey modify(Selectable fileobj, int events, Object data) throws IOException {
        ensureOpen();
        checkEvents(events);
        SelectorKey key = requireKey(fileobj);
        if (events != key.events()) {
            try {
                osModify(key.fd(), events, table.options(key.fd()));
            } catch (NativeIOException e) {
                if (e.errno() == Errno.ENOENT || e.errno() == Errno.EBADF) {
                    evict(key, Errno.EBADF);
                } else {
                    forget(key);
                }
                throw e;
            } catch (IOException | RuntimeException e) {
                forget(key);
                throw e;
            }
        } else if (Objects.equals(data, key.data())) {
            return key;
        }
        return table.replace(key, events, data);
    }

    /**
     * The key of {@code fileobj} or its descriptor.
     *
     * @throws NoSuchElementException   an open object that is not registered
     * @throws IllegalArgumentException a closed object with no key, as once its closing removed the key
     *                                  ("Invalid file descriptor: -1", Python's ValueError)
     */
    public SelectorKey getKey(Selectable fileobj) {
        ensureOpen();
        return requireKey(fileobj);
    }

    /**
     * A live, read-only view of the registrations keyed by descriptor number; {@code get} and
     * {@code containsKey} also take a {@link Selectable}. Empty once the selector is closed.
     */
    public Map<Integer, SelectorKey> getMap() {
        return mapView;
    }

    /** Where keys found dead are reported; by default a warning through {@link System.Logger}. */
    public void setDeadKeyListener(DeadKeyListener listener) {
        deadKeys.setListener(listener);
    }

    /**
     * Waits until a registered object is ready or the timeout passes, and returns the ready keys.
     *
     * @param timeout {@code null} blocks; zero or negative polls; positive is the longest wait, never cut
     *                short by signals (rounded up to the backend's unit), but ended by {@link #wakeup()}
     */
    public List<ReadyKey> select(Duration timeout) throws IOException {
        List<ReadyKey> ready = new ArrayList<>();
        select(timeout, (key, events) -> ready.add(new ReadyKey(key, events)));
        return ready;
    }

    /**
     * Like {@link #select(Duration)}, handing each ready key to {@code consumer} instead: no object is
     * created per call or per event. Returns how many keys were handed over.
     */
    public int select(Duration timeout, ReadyKeyConsumer consumer) throws IOException {
        return select(timeoutNanos(timeout), consumer);
    }

    /**
     * Like {@link #select(Duration, ReadyKeyConsumer)} with the timeout in nanoseconds, for callers that
     * keep deadlines on {@link System#nanoTime()} (an event loop's timers): negative blocks, zero polls,
     * positive is the longest wait.
     */
    public int select(long timeoutNanos, ReadyKeyConsumer consumer) throws IOException {
        ensureOpen();
        long timeout = timeoutNanos < 0 ? -1 : timeoutNanos;
        while (true) {
            batch.clear();
            long wait = deadKeys.beforeWait(timeout, batch);
            long waitStart = wait != timeout && timeout > 0 ? System.nanoTime() : 0;
            removeDead();
            if (closed) {
                return 0; // by the dead-key listener
            }
            boolean woken;
            try {
                osWait(wait != 0 && wakeup.mayBlock() ? wait : 0, batch);
            } finally {
                woken = wakeup.afterWait();
            }
            removeDead();
            int delivered = deliver(consumer);
            if (wait == timeout || delivered > 0 || woken || closed) {
                return delivered;
            }
            // The wait was cut short for the raw-descriptor check: the caller's wait goes on.
            if (timeout > 0) {
                timeout -= System.nanoTime() - waitStart;
                if (timeout <= 0) {
                    return 0;
                }
            }
        }
    }

    /**
     * Makes a blocked {@code select} return at once, or the next one if none is blocked; any thread. A
     * wake-up that arrives just as a wait ends may also make the following {@code select} return early,
     * once, with nothing ready.
     */
    public void wakeup() {
        wakeup.wakeup();
    }

    /** Whether {@link #close()} has been called. */
    public boolean isClosed() {
        return closed;
    }

    /** Releases every registration and the backend's descriptors; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (int fd = 0; fd < table.capacity(); fd++) {
            SelectorKey key = table.get(fd);
            if (key != null && key.fileobj() instanceof OwnedSelectable owned) {
                owned.removeCloseListener(closeListener);
            }
        }
        table.clear();
        closedKeys.clear();
        osClose();
        wakeup.close();
    }

    // ---- for the backends ----

    /** Throws IllegalArgumentException when the backend cannot watch {@code fd}. */
    void checkRegistrable(int fd) {
    }

    /** Adds {@code fd}, whose key is already in the table, with its {@link KeyOptions}. */
    abstract void osRegister(int fd, int events, int options) throws IOException;

    abstract void osModify(int fd, int events, int options) throws IOException;

    /** Removes {@code fd} from the backend, ignoring every error (it may be closed already). */
    abstract void osUnregister(int fd);

    /**
     * Whether the kernel tells that the file now at {@code key.fd()} is not the one registered (a
     * number closed and reused behind the selector's back); false when it cannot tell.
     */
    abstract boolean osKnowsStale(SelectorKey key);

    /** A raw anonymous-inode descriptor was registered, whose file only the kernel can tell apart. */
    abstract void osWitnessAnonymous(int fd);

    /**
     * Waits up to {@code timeoutNanos} (negative: forever, zero: not at all) and writes each ready
     * descriptor (in {@link Events} bits) and each dead one into {@code batch}. The wake-up descriptor
     * is the backend's to watch and drain.
     */
    abstract void osWait(long timeoutNanos, ReadyBatch batch) throws IOException;

    abstract void osClose();

    KeyTable table() {
        return table;
    }

    DeadKeys deadKeys() {
        return deadKeys;
    }

    // ---- internals ----

    private static long timeoutNanos(Duration timeout) {
        if (timeout == null) {
            return -1;
        }
        if (timeout.isNegative() || timeout.isZero()) {
            return 0;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE; // about 292 years: still a finite wait
        }
    }

    /** {@code fd} when it is not negative; Python's ValueError otherwise. */
    private static int validFd(int fd) {
        if (fd < 0) {
            throw new IllegalArgumentException(invalidFd(fd));
        }
        return fd;
    }

    private static String invalidFd(int fd) {
        return "Invalid file descriptor: " + fd;
    }

    private static void checkEvents(int events) {
        if (events == 0 || (events & ~Events.ALL) != 0) {
            throw new IllegalArgumentException("Invalid events: " + events);
        }
    }

    private void ensureOpen() {
        if (closed) {
            throw new ClosedSelectorException();
        }
    }

    /** {@link #requireKey} for the map view: null instead of an error. */
    SelectorKey lookup(Selectable fileobj) {
        return keyOf(fileobj, Objects.requireNonNull(fileobj, "fileobj").fileno());
    }

    /**
     * The key of {@code fileobj}, whose descriptor is {@code fd}, as Python finds it: by the descriptor,
     * or, when it has none (closed), by the object itself among the keys.
     */
    private SelectorKey keyOf(Selectable fileobj, int fd) {
        return fd >= 0 ? table.get(fd) : table.findByObject(fileobj);
    }

    private SelectorKey requireKey(Selectable fileobj) {
        int fd = Objects.requireNonNull(fileobj, "fileobj").fileno();
        SelectorKey key = keyOf(fileobj, fd);
        if (key != null) {
            return key;
        }
        if (fd < 0) {
            throw new IllegalArgumentException(invalidFd(fd));
        }
        throw new NoSuchElementException(fileobj + " is not registered");
    }

    private void forget(SelectorKey key) {
        table.remove(key.fd());
        if (key.fileobj() instanceof OwnedSelectable owned) {
            owned.removeCloseListener(closeListener);
        }
        osUnregister(key.fd());
    }

    /** A registered object is closing: drop its key while its descriptor is still valid. */
    private void ownedClosing(OwnedSelectable source, int fd) {
        SelectorKey key = closed ? null : table.get(fd);
        if (key != null && key.fileobj() == source) {
            table.remove(fd);
            osUnregister(fd);
            closedKeys.remember(source, key);
        }
    }

    private void evict(SelectorKey key, int errno) {
        forget(key);
        deadKeys.report(key, errno);
    }

    /** Removes the keys the last wait or check found dead, before any key is delivered. */
    private void removeDead() {
        for (int i = 0; i < batch.deadCount(); i++) {
            SelectorKey key = table.get(batch.deadFd(i));
            if (key != null) {
                evict(key, batch.deadErrno(i));
            }
        }
        batch.clearDead();
    }

    private int deliver(ReadyKeyConsumer consumer) throws IOException {
        int delivered = 0;
        for (int i = 0; i < batch.readyCount(); i++) {
            int fd = batch.fd(i);
            SelectorKey key = table.get(fd);
            if (key == null || table.generation(fd) != batch.generation(i)) {
                continue; // unregistered, or registered anew by an earlier callback of this call
            }
            int events = batch.events(i) & key.events();
            if (events != 0) {
                delivered++;
                consumer.accept(key, events);
            }
        }
        return delivered;
    }
}
