package io.judo.packet;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AddressesTest {
    /** Expected texts from RFC 5952's own examples and rules. */
    @ParameterizedTest
    @CsvSource({
        "2001:0db8:0000:0000:0000:0000:0000:0001, 2001:db8::1",
        "2001:db8:0:1:1:1:1:1, 2001:db8:0:1:1:1:1:1",
        "2001:0:0:1:0:0:0:1, 2001:0:0:1::1",
        "2001:db8:0:0:1:0:0:1, 2001:db8::1:0:0:1",
        "0:0:0:0:0:0:0:0, ::",
        "0:0:0:0:0:0:0:1, ::1",
        "fe80:0:0:0:0:0:0:0, fe80::",
        "2001:DB8:AAAA:BBBB:CCCC:DDDD:EEEE:1, 2001:db8:aaaa:bbbb:cccc:dddd:eeee:1",
        "192.0.2.33, 192.0.2.33"
    })
    void formatsCanonically(String input, String expected) throws Exception {
        assertEquals(expected, Addresses.format(InetAddress.getByName(input).getAddress()));
    }

    /** Prefix membership at byte and non-byte boundaries, hand-checked; bad literals are refused by name. */
    @ParameterizedTest
    @CsvSource({
        "10.200.0.0/9, 10.128.0.1, true", "10.200.0.0/9, 10.127.255.255, false", "10.1.2.3, 10.1.2.3, true",
        "10.1.2.3, 10.1.2.4, false", "0.0.0.0/0, 255.1.2.3, true", "0.0.0.0/0, ::1, false",
        "2001:db8::/33, 2001:db8:7fff::1, true", "2001:db8::/33, 2001:db8:8000::1, false",
    })
    void prefixesContainTheirAddresses(String prefix, String address, boolean inside) throws Exception {
        byte[] a = InetAddress.getByName(address).getAddress();
        assertEquals(inside, Addresses.parsePrefix(prefix).contains(java.nio.ByteBuffer.wrap(a), 0, a.length));
    }

    @ParameterizedTest
    @CsvSource({
        "example.com, not an address: 'example.com'", "10.0.0.0/33, prefix length 33 out of range 0-32",
        "10.0.0.0/x, bad prefix length in '10.0.0.0/x'", "/8, not an address: ''",
    })
    void badPrefixesAreNamed(String text, String message) {
        assertEquals(message, org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Addresses.parsePrefix(text)).getMessage());
    }
}
