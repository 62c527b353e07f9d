package io.selectors4j.sys;

import io.selectors4j.NativeIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.SocketAddress;
import java.util.Objects;

/**
 * {@code sendto} and {@code recvfrom} for datagram sockets, copied through the thread's native bounce
 * buffer (a datagram larger than {@link ThreadScratch#BOUNCE_SIZE} is truncated on receipt). Results
 * follow {@link Transfers}: a count, or {@link Transfers#WOULD_BLOCK}; EINTR is retried.
 */
public final class Datagrams {
    private Datagrams() {
    }

    /** Sends one datagram of {@code len} bytes from {@code off} to {@code target}. */
    public static long sendTo(int fd, int family, byte[] data, int off, int len, SocketAddress target)
            throws NativeIOException {
        Objects.checkFromIndexSize(off, len, data.length);
        if (len > ThreadScratch.BOUNCE_SIZE) {
            throw new IllegalArgumentException("datagram too large: " + len + " bytes");
        }
        ThreadScratch scratch = ThreadScratch.get();
        int addressLength = SockAddrs.encode(target, family, scratch.address);
        MemorySegment.copy(data, off, scratch.bounce(), ValueLayout.JAVA_BYTE, 0, len);
        while (true) {
            long n = Libc.sendto(fd, scratch.bounce(), len, Platform.MSG_NOSIGNAL, scratch.address, addressLength);
            if (n >= 0) {
                return n;
            }
            int errno = Libc.errno();
            if (errno == Platform.EAGAIN) {
                return Transfers.WOULD_BLOCK;
            }
            if (errno != Platform.EINTR) {
                throw new NativeIOException("sendto", errno);
            }
        }
    }

    /**
     * Receives one datagram into {@code data} at {@code off} (at most {@code len} bytes, the rest of a
     * longer datagram is dropped); the sender is then available from {@link #lastSender()}.
     */
    public static long recvFrom(int fd, byte[] data, int off, int len) throws NativeIOException {
        Objects.checkFromIndexSize(off, len, data.length);
        ThreadScratch scratch = ThreadScratch.get();
        int chunk = Math.min(len, ThreadScratch.BOUNCE_SIZE);
        while (true) {
            scratch.length.set(ValueLayout.JAVA_INT, 0, (int) Structs.SOCKADDR_STORAGE.byteSize());
            long n = Libc.recvfrom(fd, scratch.bounce(), chunk, 0, scratch.address, scratch.length);
            if (n >= 0) {
                MemorySegment.copy(scratch.bounce(), ValueLayout.JAVA_BYTE, 0, data, off, (int) n);
                return n;
            }
            int errno = Libc.errno();
            if (errno == Platform.EAGAIN) {
                return Transfers.WOULD_BLOCK;
            }
            if (errno != Platform.EINTR) {
                throw new NativeIOException("recvfrom", errno);
            }
        }
    }

    /** The sender of the last datagram {@link #recvFrom} received on this thread. */
    public static SocketAddress lastSender() {
        ThreadScratch scratch = ThreadScratch.get();
        return SockAddrs.decode(scratch.address, scratch.length.get(ValueLayout.JAVA_INT, 0));
    }
}
