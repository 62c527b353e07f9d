package io.selectors4j.sys;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * Converts between Java socket addresses and the C structs {@code sockaddr_in}, {@code sockaddr_in6}
 * and {@code sockaddr_un}.
 *
 * <p>An IPv4 address given to an IPv6 socket is written as an IPv4-mapped IPv6 address. Unix paths
 * are UTF-8; an unnamed Unix socket decodes as the empty path. Linux abstract names (a path starting
 * with a NUL byte) have no Java form and also decode as the empty path.
 */
public final class SockAddrs {
    private static final ValueLayout.OfShort NET_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfShort HOST_SHORT = ValueLayout.JAVA_SHORT_UNALIGNED;
    private static final ValueLayout.OfInt HOST_INT = ValueLayout.JAVA_INT_UNALIGNED;

    private static final long IN_PORT = Structs.offset(Structs.SOCKADDR_IN, "sin_port");
    private static final long IN_ADDR = Structs.offset(Structs.SOCKADDR_IN, "sin_addr");
    private static final long IN6_PORT = Structs.offset(Structs.SOCKADDR_IN6, "sin6_port");
    private static final long IN6_FLOW = Structs.offset(Structs.SOCKADDR_IN6, "sin6_flowinfo");
    private static final long IN6_ADDR = Structs.offset(Structs.SOCKADDR_IN6, "sin6_addr");
    private static final long IN6_SCOPE = Structs.offset(Structs.SOCKADDR_IN6, "sin6_scope_id");
    private static final long UN_PATH = Structs.offset(Structs.SOCKADDR_UN, "sun_path");
    private static final int UN_PATH_MAX = (int) (Structs.SOCKADDR_UN.byteSize() - UN_PATH);

    private SockAddrs() {
    }

    /**
     * Writes {@code address} into {@code out} (at least {@code sockaddr_storage} bytes) for a socket of
     * the given family and returns the struct's length.
     *
     * @throws IllegalArgumentException for an unresolved or unsupported address, or a Unix path too long
     */
    public static int encode(SocketAddress address, int family, MemorySegment out) {
        out.asSlice(0, Structs.SOCKADDR_STORAGE.byteSize()).fill((byte) 0);
        switch (address) {
            case InetSocketAddress inet -> {
                InetAddress ip = inet.getAddress();
                if (ip == null) {
                    throw new IllegalArgumentException("unresolved address: " + inet);
                }
                if (ip instanceof Inet4Address && family != Platform.AF_INET6) {
                    out.set(HOST_SHORT, 0, (short) Platform.AF_INET);
                    out.set(NET_SHORT, IN_PORT, (short) inet.getPort());
                    MemorySegment.copy(ip.getAddress(), 0, out, ValueLayout.JAVA_BYTE, IN_ADDR, 4);
                    return (int) Structs.SOCKADDR_IN.byteSize();
                }
                out.set(HOST_SHORT, 0, (short) Platform.AF_INET6);
                out.set(NET_SHORT, IN6_PORT, (short) inet.getPort());
                out.set(HOST_INT, IN6_FLOW, 0);
                MemorySegment.copy(ipv6Bytes(ip), 0, out, ValueLayout.JAVA_BYTE, IN6_ADDR, 16);
                int scope = ip instanceof Inet6Address v6 ? v6.getScopeId() : 0;
                out.set(HOST_INT, IN6_SCOPE, scope);
                return (int) Structs.SOCKADDR_IN6.byteSize();
            }
            case UnixDomainSocketAddress unix -> {
                byte[] path = unix.getPath().toString().getBytes(StandardCharsets.UTF_8);
                if (path.length >= UN_PATH_MAX) {
                    throw new IllegalArgumentException("Unix socket path too long (" + path.length
                            + " bytes, at most " + (UN_PATH_MAX - 1) + "): " + unix.getPath());
                }
                out.set(HOST_SHORT, 0, (short) Platform.AF_UNIX);
                if (path.length == 0) {
                    return (int) UN_PATH; // the family alone: bind picks a unique abstract name
                }
                MemorySegment.copy(path, 0, out, ValueLayout.JAVA_BYTE, UN_PATH, path.length);
                return (int) UN_PATH + path.length + 1;
            }
            default -> throw new IllegalArgumentException("unsupported address type: " + address.getClass().getName());
        }
    }

    /** Reads the address of {@code length} bytes at the start of {@code in}. */
    public static SocketAddress decode(MemorySegment in, int length) {
        int family = length < 2 ? Platform.AF_UNIX : Short.toUnsignedInt(in.get(HOST_SHORT, 0));
        try {
            return switch (family) {
                case Platform.AF_INET -> {
                    byte[] ip = new byte[4];
                    MemorySegment.copy(in, ValueLayout.JAVA_BYTE, IN_ADDR, ip, 0, 4);
                    yield new InetSocketAddress(InetAddress.getByAddress(ip), Short.toUnsignedInt(in.get(NET_SHORT, IN_PORT)));
                }
                case Platform.AF_INET6 -> {
                    byte[] ip = new byte[16];
                    MemorySegment.copy(in, ValueLayout.JAVA_BYTE, IN6_ADDR, ip, 0, 16);
                    int scope = in.get(HOST_INT, IN6_SCOPE);
                    InetAddress address = scope == 0 && !isV4Mapped(ip)
                            ? InetAddress.getByAddress(ip)
                            : Inet6Address.getByAddress(null, ip, scope);
                    yield new InetSocketAddress(address, Short.toUnsignedInt(in.get(NET_SHORT, IN6_PORT)));
                }
                case Platform.AF_UNIX -> UnixDomainSocketAddress.of(unixPath(in, length));
                default -> throw new IllegalArgumentException("unsupported address family " + family);
            };
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("malformed address", e);
        }
    }

    private static String unixPath(MemorySegment in, int length) {
        int max = Math.min(length - (int) UN_PATH, UN_PATH_MAX);
        if (max <= 0 || in.get(ValueLayout.JAVA_BYTE, UN_PATH) == 0) {
            return "";
        }
        int end = 0;
        while (end < max && in.get(ValueLayout.JAVA_BYTE, UN_PATH + end) != 0) {
            end++;
        }
        byte[] path = new byte[end];
        MemorySegment.copy(in, ValueLayout.JAVA_BYTE, UN_PATH, path, 0, end);
        return new String(path, StandardCharsets.UTF_8);
    }

    private static byte[] ipv6Bytes(InetAddress ip) {
        byte[] raw = ip.getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    private static boolean isV4Mapped(byte[] ip) {
        for (int i = 0; i < 10; i++) {
            if (ip[i] != 0) {
                return false;
            }
        }
        return ip[10] == (byte) 0xff && ip[11] == (byte) 0xff;
    }
}
