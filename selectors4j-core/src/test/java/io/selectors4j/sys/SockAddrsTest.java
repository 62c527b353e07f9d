package io.selectors4j.sys;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import org.junit.jupiter.api.Test;

class SockAddrsTest {

    private static SocketAddress roundTrip(SocketAddress address, int family, int expectedLength) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Structs.SOCKADDR_STORAGE);
            int len = SockAddrs.encode(address, family, sa);
            assertThat(len).isEqualTo(expectedLength);
            return SockAddrs.decode(sa, len);
        }
    }

    @Test
    void ipv4IsSixteenBytesWithThePortInNetworkOrder() throws Exception {
        InetSocketAddress address = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0x1234);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Structs.SOCKADDR_STORAGE);
            assertThat(SockAddrs.encode(address, Platform.AF_INET, sa)).isEqualTo(16);
            assertThat(sa.get(ValueLayout.JAVA_SHORT, 0)).isEqualTo((short) Platform.AF_INET);
            assertThat(sa.get(ValueLayout.JAVA_BYTE, 2)).isEqualTo((byte) 0x12);
            assertThat(sa.get(ValueLayout.JAVA_BYTE, 3)).isEqualTo((byte) 0x34);
            assertThat(sa.asSlice(4, 4).toArray(ValueLayout.JAVA_BYTE)).containsExactly(127, 0, 0, 1);
        }
        assertThat(roundTrip(address, Platform.AF_INET, 16)).isEqualTo(address);
        InetSocketAddress highPort = new InetSocketAddress(InetAddress.getByName("10.1.2.3"), 65535);
        assertThat(roundTrip(highPort, Platform.AF_INET, 16)).isEqualTo(highPort);
    }

    @Test
    void ipv6KeepsAddressPortAndScope() throws Exception {
        InetSocketAddress loopback = new InetSocketAddress(InetAddress.getByName("::1"), 443);
        assertThat(roundTrip(loopback, Platform.AF_INET6, 28)).isEqualTo(loopback);
        Inet6Address scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::7").getAddress(), 2);
        SocketAddress back = roundTrip(new InetSocketAddress(scoped, 80), Platform.AF_INET6, 28);
        assertThat(((Inet6Address) ((InetSocketAddress) back).getAddress()).getScopeId()).isEqualTo(2);
    }

    @Test
    void ipv4ForAnIpv6SocketBecomesAMappedAddress() throws Exception {
        InetSocketAddress v4 = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 8080);
        InetSocketAddress back = (InetSocketAddress) roundTrip(v4, Platform.AF_INET6, 28);
        assertThat(back.getAddress()).isInstanceOf(Inet6Address.class);
        assertThat(back.getAddress().getAddress())
                .containsExactly(0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 127, 0, 0, 1);
        assertThat(back.getPort()).isEqualTo(8080);
    }

    @Test
    void unixPathsAreNulTerminated() {
        UnixDomainSocketAddress path = UnixDomainSocketAddress.of("/tmp/s4j.sock");
        assertThat(roundTrip(path, Platform.AF_UNIX, 2 + 13 + 1)).isEqualTo(path);
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment unnamed = arena.allocate(Structs.SOCKADDR_STORAGE);
            unnamed.set(ValueLayout.JAVA_SHORT, 0, (short) Platform.AF_UNIX);
            assertThat(SockAddrs.decode(unnamed, 2)).isEqualTo(UnixDomainSocketAddress.of(""));
        }
    }

    @Test
    void badAddressesAreRejectedBeforeAnyCall() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment sa = arena.allocate(Structs.SOCKADDR_STORAGE);
            assertThatThrownBy(() -> SockAddrs.encode(InetSocketAddress.createUnresolved("example.org", 80),
                    Platform.AF_INET, sa)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("unresolved");
            assertThatThrownBy(() -> SockAddrs.encode(UnixDomainSocketAddress.of("/" + "x".repeat(120)),
                    Platform.AF_UNIX, sa)).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("too long");
        }
    }
}
