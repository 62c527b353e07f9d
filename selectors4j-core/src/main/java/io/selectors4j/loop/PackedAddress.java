package io.selectors4j.loop;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnknownHostException;

/**
 * An IPv4 socket address packed into a {@code long} ({@code address << 16 | port}), so that a
 * connection keeps its peer in 8 bytes instead of four JDK objects (about 96 bytes); other addresses
 * are not packed. The address object is made again when it is asked for.
 */
final class PackedAddress {
    /** What {@link #pack} returns for an address it cannot pack. */
    static final long NOT_PACKED = -1;

    private PackedAddress() {
    }

    /** {@code address} packed, or {@link #NOT_PACKED} when it is not an IPv4 socket address. */
    static long pack(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && inet.getAddress() instanceof Inet4Address v4) {
            byte[] b = v4.getAddress();
            long ip = (b[0] & 0xffL) << 24 | (b[1] & 0xffL) << 16 | (b[2] & 0xffL) << 8 | (b[3] & 0xffL);
            return ip << 16 | inet.getPort();
        }
        return NOT_PACKED;
    }

    /** The address that {@link #pack} packed into {@code packed}. */
    static InetSocketAddress unpack(long packed) {
        long ip = packed >>> 16;
        byte[] b = {(byte) (ip >>> 24), (byte) (ip >>> 16), (byte) (ip >>> 8), (byte) ip};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(b), (int) (packed & 0xffff));
        } catch (UnknownHostException e) {
            throw new AssertionError("four bytes are always an IPv4 address", e);
        }
    }
}
