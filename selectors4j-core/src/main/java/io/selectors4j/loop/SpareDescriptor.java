package io.selectors4j.loop;

import io.selectors4j.net.RegularFile;
import java.io.IOException;
import java.nio.file.Path;

/**
 * One descriptor a loop holds in reserve (on {@code /dev/null}) so that a server out of descriptors
 * (EMFILE, ENFILE) can still take a pending connection off the queue and close it: the listener stops
 * being readable instead of waking the loop again and again. Loop thread only.
 */
final class SpareDescriptor implements AutoCloseable {
    private static final Path DEV_NULL = Path.of("/dev/null");

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
