package io.selectors4j.net;

import io.selectors4j.sys.FileCalls;
import io.selectors4j.sys.Transfers;
import java.io.Closeable;
import java.io.File;
import java.io.IOException;

/**
 * A one-way pipe: Python's {@code os.pipe()}, both ends close-on-exec and blocking at first.
 * Bytes written to {@link #sink()} are read from {@link #source()}. {@link #start} gives a child
 * process a pipe as its standard output, to watch what it writes with a selector or an event loop.
 */
public final class Pipe implements Closeable {
    /** Returned by read and write when a non-blocking end would block (EAGAIN). */
    public static final int WOULD_BLOCK = -1;

    private final End source;
    private final End sink;

    private Pipe(int readFd, int writeFd) {
        this.source = new End(readFd, "pipe source");
        this.sink = new End(writeFd, "pipe sink");
    }

    /** Opens a pipe with {@code pipe2(O_CLOEXEC)}. */
    public static Pipe open() throws IOException {
        int[] fds = FileCalls.pipe();
        return new Pipe(fds[0], fds[1]);
    }

    /** The read end. */
    public End source() {
        return source;
    }

    /** The write end. */
    public End sink() {
        return sink;
    }

    /**
     * Starts {@code child} with its standard output written into {@code output} and its standard error
     * into {@code errors}, so that a selector or an event loop can watch a child process's output: the
     * JDK's own pipes ({@code Process.getInputStream()}) are streams with no descriptor to wait on.
     * Either pipe may be {@code null} (that stream keeps the builder's redirect), and one pipe may take
     * both. The child gets each sink as its descriptor 1 or 2; once it has started, this process closes
     * its own copy of each sink, so that the source reads end of stream (0) when the child, and any
     * process it started that kept the descriptor, has exited. The builder's output and error redirects
     * are changed; its other settings are kept.
     *
     * <p>How: each sink is handed to the JDK as the file {@code /dev/fd/N}, which the JDK opens in this
     * process while it starts the child, and which names this very pipe because the sink's number is held
     * for the whole start (a concurrent close cannot let the number be reused for another file). Linux
     * (where {@code /dev/fd} is {@code /proc/self/fd}); the BSDs and macOS have {@code /dev/fd} too.
     *
     * @throws IOException a pipe is closed, or the process cannot be started (the sinks are then left open)
     */
    public static Process start(ProcessBuilder child, Pipe output, Pipe errors) throws IOException {
        End out = output == null ? null : output.sink;
        End err = errors == null ? null : errors.sink;
        int outFd = out == null ? -1 : out.acquire();
        try {
            int errFd = err == null ? -1 : err.acquire();
            try {
                if (out != null) {
                    child.redirectOutput(ProcessBuilder.Redirect.appendTo(descriptorFile(outFd)));
                }
                if (err != null) {
                    child.redirectErrorStream(false);
                    child.redirectError(ProcessBuilder.Redirect.appendTo(descriptorFile(errFd)));
                }
                Process process = child.start();
                if (out != null) {
                    out.close();
                }
                if (err != null) {
                    err.close();
                }
                return process;
            } finally {
                if (err != null) {
                    err.release();
                }
            }
        } finally {
            if (out != null) {
                out.release();
            }
        }
    }

    private static File descriptorFile(int fd) {
        return new File("/dev/fd/" + fd);
    }

    /** Closes both ends (each once). */
    @Override
    public void close() throws IOException {
        try {
            source.close();
        } finally {
            sink.close();
        }
    }

    /**
     * One end of a pipe. {@code read} returns the count, 0 at end of stream (every writer closed) or
     * {@link #WOULD_BLOCK}; {@code write} returns the count or {@link #WOULD_BLOCK}, and writing when
     * every reader is closed throws EPIPE. The blocking mode must be changed through this class only.
     *
     * <p>Closing an end while another thread is inside a call on it is safe: the number is not released
     * until that call has left (see {@code OwnedDescriptor}). A pipe cannot be shut down, so a blocking
     * read already waiting in the kernel returns only when data or end of stream arrives.
     */
    public static final class End extends OwnedDescriptor {

        private End(int fd, String kind) {
            super(fd, kind, true);
        }

        /** Reads into {@code data}: count, 0 at EOF, or {@link #WOULD_BLOCK}. */
        public int read(byte[] data) throws IOException {
            return read(data, 0, data.length);
        }

        /** Reads up to {@code len} bytes into {@code data} at {@code off}: count, 0 at EOF, or {@link #WOULD_BLOCK}. */
        public int read(byte[] data, int off, int len) throws IOException {
            int fd = acquire();
            try {
                return (int) Transfers.array(Transfers.READ, fd, context(), data, off, len, blockingMode(), 0);
            } catch (IOException e) {
                throw failure(e);
            } finally {
                release();
            }
        }

        /** Writes what it can of {@code data}: count or {@link #WOULD_BLOCK}. */
        public int write(byte[] data) throws IOException {
            return write(data, 0, data.length);
        }

        /** Writes what it can of {@code len} bytes from {@code off}: count or {@link #WOULD_BLOCK}. */
        public int write(byte[] data, int off, int len) throws IOException {
            int fd = acquire();
            try {
                return (int) Transfers.array(Transfers.WRITE, fd, context(), data, off, len, blockingMode(), 0);
            } catch (IOException e) {
                throw failure(e);
            } finally {
                release();
            }
        }

        /** Sets blocking ({@code true}) or non-blocking mode. */
        public void setBlocking(boolean blocking) throws IOException {
            changeBlocking(blocking);
        }

        /** Whether this end is in blocking mode. */
        public boolean isBlocking() {
            return blockingMode();
        }




        @Override
        public String toString() {
            return "Pipe.End[" + describe() + "]";
        }
    }
}
