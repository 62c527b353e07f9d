package io.selectors4j.loop;

import io.selectors4j.Errno;
import io.selectors4j.NativeIOException;
import io.selectors4j.net.PythonText;
import io.selectors4j.net.RegularFile;
import io.selectors4j.net.Socket;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;

/**
 * One descriptor a loop holds in reserve (on {@code /dev/null}) so that a server out of descriptors
 * (EMFILE, ENFILE) can still take a pending connection off the queue and close it: the listener stops
 * being readable instead of waking the loop again and again. Loop thread only.
 *
 * <p>Loading this class loads what that path uses (the accept error, {@link Errno}, the accepted
 * connection, a spare's open and close): out of descriptors, a class read from a class folder cannot
 * be opened, and a class that failed to resolve fails for good, which would break the listener.
 */
final class SpareDescriptor implements AutoCloseable {
    private static final Path DEV_NULL = Path.of("/dev/null");

    static {
        loadTheExhaustedPath();
    }

    private RegularFile spare;

    /** Takes the reserve descriptor if it is not held; returns whether it is held now. */
    boolean acquire() {
        if (spare == null) {
            try {
                spare = RegularFile.open(DEV_NULL);
            } catch (IOException e) {
                return false; // still out of descriptors: the caller backs off
            }
        }
        return true;
    }

    /** Gives the reserve descriptor back to the system; returns whether one was held. */
    boolean release() {
        if (spare == null) {
            return false;
        }
        close();
        return true;
    }

    /** Runs, once while descriptors are free, the code the out-of-descriptors path runs. */
    private static void loadTheExhaustedPath() {
        new NativeIOException("accept", Errno.EMFILE).errnoName();
        Socket.Accepted.class.getName();
        PythonText.address(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)); // names in messages
        PackedAddress.unpack(PackedAddress.pack(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)));
        SpareDescriptor probe = new SpareDescriptor();
        probe.acquire();
        probe.release();
    }

    @Override
    public void close() {
        RegularFile held = spare;
        spare = null;
        if (held != null) {
            try {
                held.close();
            } catch (IOException e) {
                // a close of /dev/null that fails still frees the number
            }
        }
    }
}
