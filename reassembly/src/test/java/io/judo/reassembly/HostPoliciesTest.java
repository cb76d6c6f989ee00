package io.judo.reassembly;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class HostPoliciesTest {
    private static OverlapPolicy at(HostPolicies h, String address) throws Exception {
        return h.forAddress(InetAddress.getByName(address).getAddress());
    }

    @Test
    void longestPrefixWinsAndTheDefaultCoversTheRest() throws Exception {
        HostPolicies h = HostPolicies.parse(List.of("10.0.0.0/8=windows", "10.1.0.0/16=linux", "10.1.2.3=solaris",
                "10.200.0.0/9=bsd", "2001:db8::/32=macos", "0.0.0.0/0=vista"), OverlapPolicy.FIRST);
        assertEquals(OverlapPolicy.WINDOWS, at(h, "10.9.9.9"));
        assertEquals(OverlapPolicy.LINUX, at(h, "10.1.200.1"));
        assertEquals(OverlapPolicy.SOLARIS, at(h, "10.1.2.3"));
        assertEquals(OverlapPolicy.BSD, at(h, "10.200.0.1"));
        assertEquals(OverlapPolicy.BSD, at(h, "10.255.0.1"), "/9 covers 10.128.0.0-10.255.255.255");
        assertEquals(OverlapPolicy.WINDOWS, at(h, "10.127.0.1"));
        assertEquals(OverlapPolicy.VISTA, at(h, "192.0.2.1"), "the /0 entry covers other IPv4 hosts");
        assertEquals(OverlapPolicy.MACOS, at(h, "2001:db8:1::1"));
        assertEquals(OverlapPolicy.FIRST, at(h, "2001:db9::1"), "IPv4 entries never match IPv6 hosts");
        assertTrue(HostPolicies.uniform(OverlapPolicy.LAST).isUniform());
    }

    @Test
    void badEntriesAreNamed() {
        for (String bad : List.of("10.0.0.0/8", "10.0.0.0/33=bsd", "example.com=bsd", "10.0.0.0/x=bsd",
                "10.0.0.0/8=beos", "=bsd")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> HostPolicies.parse(List.of(bad), OverlapPolicy.FIRST), bad);
            assertTrue(e.getMessage().contains(bad.substring(0, Math.min(bad.length(), 4)))
                    || e.getMessage().contains("beos"), e.getMessage());
        }
    }
}
