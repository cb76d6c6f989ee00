package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class PoolTest {
    private static boolean in(CidrSet s, String address) throws Exception {
        return s.contains(InetAddress.getByName(address).getAddress());
    }

    /** pf table semantics: the longest matching prefix decides, whatever the order of entries. */
    @Test
    void longestPrefixDecides() throws Exception {
        CidrSet s = CidrSet.of(List.of(CidrSet.parse("10.1.2.0/24"), CidrSet.parse("!10.1.0.0/16"),
                CidrSet.parse("10.0.0.0/8"), CidrSet.parse("2001:db8::/32"), CidrSet.parse("!2001:db8:1::/48"),
                CidrSet.parse("192.0.2.1")));
        assertTrue(in(s, "10.200.0.1"));
        assertFalse(in(s, "10.1.9.9"));
        assertTrue(in(s, "10.1.2.3"));
        assertFalse(in(s, "11.0.0.0"));
        assertTrue(in(s, "192.0.2.1"));
        assertFalse(in(s, "192.0.2.2"));
        assertTrue(in(s, "2001:db8:2::1"));
        assertFalse(in(s, "2001:db8:1::1"));
        assertFalse(in(s, "::1"));
        assertTrue(CidrSet.of(List.of(CidrSet.parse("0.0.0.0/0"))).contains(new byte[] {(byte) 255, 0, 0, 1}));
    }

    @Test
    void rangesMerge() {
        IntRangeSet s = IntRangeSet.of(List.of(new long[] {80, 80}, new long[] {81, 90}, new long[] {443, 443},
                new long[] {85, 100}));
        assertEquals(2, s.ranges());
        assertTrue(s.contains(80) && s.contains(100) && s.contains(443));
        assertFalse(s.contains(79) || s.contains(101) || s.contains(442));
        assertEquals("{ 80-100, 443 }", s.text());
    }

    @Test
    void addressSetsAreEqualWhenWrittenTheSame() {
        CidrSet a = CidrSet.of(java.util.List.of(CidrSet.parse("10.0.0.0/8"), CidrSet.parse("!10.1.0.0/16")));
        CidrSet b = CidrSet.of(java.util.List.of(CidrSet.parse("10.0.0.0/8"), CidrSet.parse("!10.1.0.0/16")));
        CidrSet c = CidrSet.of(java.util.List.of(CidrSet.parse("10.0.0.0/8")));
        org.junit.jupiter.api.Assertions.assertEquals(a, b);
        org.junit.jupiter.api.Assertions.assertEquals(a.hashCode(), b.hashCode());
        org.junit.jupiter.api.Assertions.assertNotEquals(a, c);
        CidrSet.Entry e = a.entries().get(0);
        org.junit.jupiter.api.Assertions.assertEquals(e, e, "an entry equals itself");
        org.junit.jupiter.api.Assertions.assertEquals(1, c.v4Ranges());
        org.junit.jupiter.api.Assertions.assertEquals(0x0a000000L, c.v4Low(0));
        org.junit.jupiter.api.Assertions.assertEquals(0x0affffffL, c.v4High(0));
    }
}
