package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.judo.packet.Addresses;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Address and port fields: hand-checked memberships for lists, nesting, negation and variables. */
class ListSpecTest {
    private static final Variables VARS = Variables.defaults().set("MINE", "[10.1.0.0/16,!10.1.2.0/24]")
            .set("WEB", "[80,443,8000:8080]");

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "any|203.0.113.9|true",
        "10.0.0.0/8|10.200.1.1|true",
        "10.1.2.3/8|10.200.1.1|true", // host bits are ignored, as Suricata does
        "!10.0.0.0/8|10.200.1.1|false",
        "[10.0.0.0/8,!10.1.0.0/16]|10.1.5.5|false",
        "[10.0.0.0/8,!10.1.0.0/16]|10.2.5.5|true",
        "[!10.1.0.0/16]|203.0.113.1|true",
        "![10.0.0.0/8,!10.1.0.0/16]|10.1.5.5|true",
        "$MINE|10.1.2.9|false",
        "$MINE|10.1.3.9|true",
        "!$MINE|10.1.2.9|true",
        "[$MINE,10.1.2.7]|10.1.2.7|true",
        "$EXTERNAL_NET|192.168.1.1|false",
        "$EXTERNAL_NET|2001:db8::1|true",
        "[2001:db8::/32,!2001:db8:1::/48]|2001:db8:1::5|false"})
    void addressMembership(String spec, String address, boolean in) {
        assertEquals(in, AddressSpec.parse(spec, VARS).toCidrSet().contains(Addresses.parse(address)), spec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "any|7|true", "80|80|true", "80|81|false", "1024:|65535|true", ":1023|1024|false", "!80|80|false",
        "[1:100,!50]|50|false", "[1:100,!50]|51|true", "$WEB|8080|true", "[$WEB,!443]|443|false",
        "![$WEB]|22|true", "$SHELLCODE_PORTS|80|false"})
    void portMembership(String spec, int port, boolean in) {
        PortSpec p = PortSpec.parse(spec, VARS);
        assertEquals(in, p.isAny() || p.toIntRangeSet().contains(port), spec);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {"[10.0.0.0/8|unclosed '['", "$NOPE|undefined variable $NOPE",
        "10.0.0.300|bad address '10.0.0.300'", "[1.1.1.1,2.2.2.2]x|unexpected 'x'"})
    void badFields(String spec, String message) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AddressSpec.parse(spec, VARS));
        assertEquals(true, e.getMessage().contains(message), e.getMessage());
    }
}
