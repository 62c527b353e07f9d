package io.selectors4j.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.util.Objects;

/**
 * Python's text forms of addresses and bytes, as they appear in logs: {@code ('127.0.0.1', 61457)},
 * {@code ('::1', 61457, 0, 0)}, {@code b'it\'s'}.
 */
public final class PythonText {
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private PythonText() {
    }

    /**
     * An address as Python prints it: IPv4 {@code ('127.0.0.1', 61457)}; IPv6
     * {@code ('::1', 61457, 0, scope)} with the host in its shortest form and flow info 0; a Unix path
     * as a quoted string ({@code '/tmp/x.sock'}, unnamed {@code ''}).
     */
    public static String address(SocketAddress address) {
        return switch (address) {
            case InetSocketAddress inet when inet.getAddress() instanceof Inet6Address v6 ->
                    "(" + string(ipv6(v6.getAddress())) + ", " + inet.getPort() + ", 0, " + v6.getScopeId() + ")";
            case InetSocketAddress inet when inet.getAddress() instanceof Inet4Address v4 ->
                    "(" + string(v4.getHostAddress()) + ", " + inet.getPort() + ")";
            case InetSocketAddress inet -> "(" + string(inet.getHostString()) + ", " + inet.getPort() + ")";
            case UnixDomainSocketAddress unix -> string(unix.getPath().toString());
            default -> String.valueOf(address);
        };
    }

    /** Python's {@code repr(bytes)} of the whole array. */
    public static String bytes(byte[] data) {
        return bytes(data, 0, data.length);
    }

    /**
     * Python's {@code repr(bytes)} of {@code len} bytes from {@code off}: {@code b'...'}, or
     * {@code b"..."} when the data holds {@code '} and no {@code "}; backslash, tab, newline and carriage
     * return escaped by name, the delimiter escaped, other bytes below 0x20 or from 0x7f as
     * {@code \xNN} in lowercase hex.
     */
    public static String bytes(byte[] data, int off, int len) {
        Objects.checkFromIndexSize(off, len, data.length);
        boolean single = false;
        boolean dbl = false;
        for (int i = off; i < off + len; i++) {
            single |= data[i] == '\'';
            dbl |= data[i] == '"';
        }
        char quote = single && !dbl ? '"' : '\'';
        StringBuilder out = new StringBuilder(len + 3).append('b').append(quote);
        for (int i = off; i < off + len; i++) {
            int b = data[i] & 0xff;
            if (b >= 0x20 && b < 0x7f) {
                appendPrintable(out, (char) b, quote);
            } else if (!appendNamedEscape(out, b)) {
                appendHex(out, b);
            }
        }
        return out.append(quote).toString();
    }

    /**
     * Python's {@code repr(str)}: quoted like bytes, escaping backslash, the delimiter, tab, newline,
     * carriage return and other control characters ({@code \xNN}); printable non-ASCII text is kept.
     */
    static String string(String text) {
        boolean single = text.indexOf('\'') >= 0;
        boolean dbl = text.indexOf('"') >= 0;
        char quote = single && !dbl ? '"' : '\'';
        StringBuilder out = new StringBuilder(text.length() + 2).append(quote);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || (c >= 0x7f && c < 0xa0)) {
                if (!appendNamedEscape(out, c)) {
                    appendHex(out, c);
                }
            } else {
                appendPrintable(out, c, quote);
            }
        }
        return out.append(quote).toString();
    }

    private static void appendPrintable(StringBuilder out, char c, char quote) {
        if (c == '\\' || c == quote) {
            out.append('\\');
        }
        out.append(c);
    }

    private static boolean appendNamedEscape(StringBuilder out, int c) {
        switch (c) {
            case '\t' -> out.append("\\t");
            case '\n' -> out.append("\\n");
            case '\r' -> out.append("\\r");
            default -> {
                return false;
            }
        }
        return true;
    }

    private static void appendHex(StringBuilder out, int b) {
        out.append("\\x").append(HEX[b >> 4]).append(HEX[b & 0xf]);
    }

    /**
     * An IPv6 address in the C library's {@code inet_ntop} form: lowercase hex groups, the longest run
     * of two or more zero groups (the first if tied) written {@code ::}, and IPv4-mapped or -compatible
     * addresses ending in dotted decimal.
     */
    static String ipv6(byte[] address) {
        int[] groups = new int[8];
        for (int i = 0; i < 8; i++) {
            groups[i] = ((address[2 * i] & 0xff) << 8) | (address[2 * i + 1] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 0;
        for (int i = 0; i < 8; ) {
            if (groups[i] != 0) {
                i++;
                continue;
            }
            int start = i;
            while (i < 8 && groups[i] == 0) {
                i++;
            }
            if (i - start > bestLength) {
                bestStart = start;
                bestLength = i - start;
            }
        }
        if (bestLength < 2) {
            bestStart = -1;
        }
        StringBuilder out = new StringBuilder(39);
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append(':');
                i += bestLength - 1;
                if (i == 7) {
                    out.append(':');
                }
                continue;
            }
            if (i > 0) {
                out.append(':');
            }
            boolean embeddedV4 = i == 6 && bestStart == 0
                    && (bestLength == 6 || (bestLength == 5 && groups[5] == 0xffff));
            if (embeddedV4) {
                out.append(address[12] & 0xff).append('.').append(address[13] & 0xff).append('.')
                        .append(address[14] & 0xff).append('.').append(address[15] & 0xff);
                break;
            }
            out.append(Integer.toHexString(groups[i]));
        }
        return out.toString();
    }
}
