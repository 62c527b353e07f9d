package io.selectors4j.net;

import io.selectors4j.sys.FileCalls;
import io.selectors4j.sys.Platform;
import io.selectors4j.sys.Transfers;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A regular file's descriptor, for programs and tests that hand files to select, poll or epoll (files
 * are always "ready"; epoll refuses them with EPERM). Reads and writes go through a native buffer.
 */
public final class RegularFile extends OwnedDescriptor {

    private RegularFile(int fd) {
        super(fd, "file", true);
    }

    /** Opens an existing file read-only. */
    public static RegularFile open(Path path) throws IOException {
        return new RegularFile(FileCalls.open(path, Platform.O_RDONLY, 0));
    }

    /** Creates or truncates a file (mode 0644) and opens it read-write. */
    public static RegularFile create(Path path) throws IOException {
        return new RegularFile(FileCalls.open(path, Platform.O_RDWR | Platform.O_CREAT | Platform.O_TRUNC, 0644));
    }

    /** Reads into {@code data} from the current position: count, or 0 at end of file. */
    public int read(byte[] data) throws IOException {
        return read(data, 0, data.length);
    }

    /** Reads up to {@code len} bytes into {@code data} at {@code off}: count, or 0 at end of file. */
    public int read(byte[] data, int off, int len) throws IOException {
        int fd = acquire();
        try {
            return (int) Transfers.array(Transfers.READ, fd, context(), data, off, len, true, 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    /** Writes {@code data} at the current position; returns the count written. */
    public int write(byte[] data) throws IOException {
        return write(data, 0, data.length);
    }

    /** Writes {@code len} bytes from {@code off} at the current position; returns the count written. */
    public int write(byte[] data, int off, int len) throws IOException {
        int fd = acquire();
        try {
            return (int) Transfers.array(Transfers.WRITE, fd, context(), data, off, len, true, 0);
        } catch (IOException e) {
            throw failure(e);
        } finally {
            release();
        }
    }

    @Override
    public String toString() {
        return "RegularFile[" + describe() + "]";
    }
}
