package io.selectors4j.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PythonTextTest {

    private static String repr(String text) {
        return PythonText.bytes(text.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void bytesFollowEveryExampleOfTheSpecification() {
        assertThat(repr("it's")).isEqualTo("b\"it's\"");
        assertThat(repr("say \"hi\"")).isEqualTo("b'say \"hi\"'");
        assertThat(repr("it's \"x\"")).isEqualTo("b'it\\'s \"x\"'");
        assertThat(repr("a\tb\nc\rd\\e")).isEqualTo("b'a\\tb\\nc\\rd\\\\e'");
        assertThat(PythonText.bytes(new byte[] {0x00, 0x1f, 0x7f, (byte) 0x80, (byte) 0xff}))
                .isEqualTo("b'\\x00\\x1f\\x7f\\x80\\xff'");
        assertThat(repr("Zoë")).isEqualTo("b'Zo\\xc3\\xab'");
    }

    @Test
    void bytesOfTheLogExamplesAndEdgeCases() {
        assertThat(repr("This is the message. ")).isEqualTo("b'This is the message. '");
        assertThat(repr("")).isEqualTo("b''");
        assertThat(repr("\"")).isEqualTo("b'\"'");
        assertThat(repr("'")).isEqualTo("b\"'\"");
        assertThat(repr("\\'")).isEqualTo("b\"\\\\'\"");
        assertThat(repr("\u000b\u000c~")).isEqualTo("b'\\x0b\\x0c~'");
        byte[] data = "xxhiyy".getBytes(StandardCharsets.US_ASCII);
        assertThat(PythonText.bytes(data, 2, 2)).isEqualTo("b'hi'");
    }

    @Test
    void ipv4AddressIsAHostPortPair() throws Exception {
        assertThat(PythonText.address(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 61457)))
                .isEqualTo("('127.0.0.1', 61457)");
    }

    @Test
    void ipv6AddressCarriesFlowInfoAndScope() throws Exception {
        assertThat(PythonText.address(new InetSocketAddress(InetAddress.getByName("::1"), 61457)))
                .isEqualTo("('::1', 61457, 0, 0)");
        InetAddress scoped = Inet6Address.getByAddress(null, InetAddress.getByName("fe80::1").getAddress(), 3);
        assertThat(PythonText.address(new InetSocketAddress(scoped, 80))).isEqualTo("('fe80::1', 80, 0, 3)");
    }

    @ParameterizedTest
    @CsvSource({
            "::1, ::1",
            "::, ::",
            "1::, 1::",
            "2001:db8::1, 2001:db8::1",
            "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
            "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
            "fe80:0:0:0:abcd:0:0:0, fe80::abcd:0:0:0",
            "0:0:0:0:0:ffff:7f00:1, ::ffff:127.0.0.1",
            "0:0:0:0:0:0:102:304, ::1.2.3.4",
            "ABCD:EF01:2345:6789:ABCD:EF01:2345:6789, abcd:ef01:2345:6789:abcd:ef01:2345:6789",
    })
    void ipv6HostsUseTheCLibraryShortForm(String input, String expected) throws Exception {
        assertThat(PythonText.ipv6(sixteenBytes(input))).isEqualTo(expected);
    }

    /** The 16 bytes of an IPv6 literal (Java turns IPv4-mapped literals into 4-byte IPv4 addresses). */
    private static byte[] sixteenBytes(String literal) throws Exception {
        byte[] raw = InetAddress.getByName(literal).getAddress();
        if (raw.length == 16) {
            return raw;
        }
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        System.arraycopy(raw, 0, mapped, 12, 4);
        return mapped;
    }

    @Test
    void unixAddressIsTheQuotedPath() {
        assertThat(PythonText.address(UnixDomainSocketAddress.of("/tmp/x.sock"))).isEqualTo("'/tmp/x.sock'");
        assertThat(PythonText.address(UnixDomainSocketAddress.of(""))).isEqualTo("''");
        assertThat(PythonText.address(UnixDomainSocketAddress.of("/tmp/it's"))).isEqualTo("\"/tmp/it's\"");
    }
}
