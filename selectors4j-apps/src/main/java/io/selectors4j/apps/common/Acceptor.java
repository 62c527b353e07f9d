package io.selectors4j.apps.common;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.Socket;
import java.io.IOException;

/**
 * Takes pending connections from a non-blocking listener and survives running out of descriptors.
 *
 * <p>When {@code accept} fails with EMFILE or ENFILE the connection stays pending and the listener
 * stays readable, so a plain loop would spin. This class keeps one descriptor in reserve: on EMFILE it
 * closes the reserve, accepts and closes the pending connection (the client sees it closed rather than
 * hanging), logs it, and takes the reserve again. A connection aborted before it was taken
 * (ECONNABORTED) is skipped.
 */
public final class Acceptor implements AutoCloseable {
    /**
     * Read once at start-up: it loads {@link Errno} before descriptors run out, when loading a class
     * from a class folder would itself fail with EMFILE.
     */
    private static final String OUT_OF_DESCRIPTORS = Errno.message(Errno.EMFILE);

    private final Socket listener;
    private final EventLog log;
    private final String prefix;
    private Socket reserve;

    /** An acceptor for {@code listener}, logging shed connections with the given line prefix. */
    public Acceptor(Socket listener, EventLog log, String prefix) throws IOException {
        this.listener = listener;
        this.log = log;
        this.prefix = prefix;
        this.reserve = Socket.udp4();
    }

    /** The next pending connection, non-blocking, or {@code null} when there is none to serve now. */
    public Socket.Accepted accept() throws IOException {
        try {
            return listener.accept(true);
        } catch (NativeIOException e) {
            switch (e.errno()) {
                case Errno.ECONNABORTED -> {
                    return null;
                }
                case Errno.EMFILE, Errno.ENFILE -> {
                    shed();
                    return null;
                }
                default -> throw e;
            }
        }
    }

    private void shed() throws IOException {
        if (reserve == null) {
            return;
        }
        reserve.close();
        reserve = null;
        Socket.Accepted refused = listener.accept(true);
        if (refused != null) {
            refused.socket().close();
            log.event(prefix + "closed a connection from " + PythonText.address(refused.peer())
                    + ": " + OUT_OF_DESCRIPTORS);
        }
        try {
            reserve = Socket.udp4();
        } catch (NativeIOException e) {
            if (e.errno() != Errno.EMFILE && e.errno() != Errno.ENFILE) {
                throw e;
            }
            // Another descriptor took the slot; the next EMFILE finds no reserve and leaves the
            // connection pending until a descriptor is free.
        }
    }

    /** Gives back the reserve descriptor; the listener is the caller's to close. */
    @Override
    public void close() throws IOException {
        if (reserve != null) {
            reserve.close();
            reserve = null;
        }
    }
}
