package io.judo.rules.judo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The parser's bounds: macros that expand forever, anchors and includes nested too deep, files that never end. */
class PfBoundsTest {
    @TempDir
    Path dir;

    private static String firstError(JudoParser.Result r) {
        assertTrue(!r.errors().isEmpty(), "expected an error");
        return r.errors().get(0).location();
    }

    @Test
    void macrosThatExpandIntoEachOtherStop() {
        JudoParser.Result r = JudoParser.parse("a = \"$b\"\nb = \"{ $a }\"\npass from $a\npass all\n", "m.conf");
        assertTrue(firstError(r).startsWith("m.conf:3:11: macro expansion does not end: '$"), firstError(r));
        assertEquals(1, r.policy().rules().size(), "the good line after it still loads");
    }

    @Test
    void anchorsNestAtMostSixteenDeep() {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < 20; i++) {
            sb.append("anchor \"a").append(i).append("\" {\n");
        }
        sb.append("pass all\n");
        sb.append("}\n".repeat(20));
        JudoParser.Result r = JudoParser.parse(sb.toString(), "deep.conf");
        assertTrue(firstError(r).contains("anchors nest more than 16 deep"), firstError(r));
        StringBuilder ok = new StringBuilder();
        for (int i = 0; i < 15; i++) {
            ok.append("anchor \"a").append(i).append("\" in {\n");
        }
        ok.append("pass proto tcp to port 22\n").append("}\n".repeat(15));
        JudoParser.Result fine = JudoParser.parse(ok.toString(), "ok.conf");
        assertTrue(fine.errors().isEmpty(), () -> fine.errors().get(0).display());
        assertEquals(1, fine.policy().rules().size());
        assertEquals(1, fine.policy().rules().get(0).direction(), "the anchors' \"in\" reaches the rule");
    }

    @Test
    void aFileThatIncludesItselfStops() throws Exception {
        Path self = dir.resolve("self.conf");
        Files.writeString(self, "include \"" + self + "\"\npass all\n");
        JudoParser.Result r = JudoParser.parse(Files.readString(self), self.toString());
        assertTrue(firstError(r).contains("includes itself"), firstError(r));
    }

    @Test
    void aDeviceIsNotATableFile() {
        JudoParser.Result r = JudoParser.parse("table <t> file \"/dev/zero\"\n", "dev.conf");
        assertTrue(firstError(r).contains("/dev/zero is not a regular file"), firstError(r));
    }

    @Test
    void longListsAcrossLinesLoad() {
        StringBuilder sb = new StringBuilder("table <many> {\n");
        for (int i = 0; i < 10_000; i++) {
            sb.append("  10.").append(i >> 8 & 255).append('.').append(i & 255).append(".0/24\n");
        }
        sb.append("}\nblock from <many>\n");
        JudoParser.Result r = JudoParser.parse(sb.toString(), "many.conf");
        assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
        assertEquals(10_000, r.policy().rules().get(0).from().terms().get(0).set().entries().size());
    }

    @Test
    void anAnchorThatCallsItselfStops() {
        JudoParser.Result r = JudoParser.parse("anchor \"a\" {\nanchor \"/a\"\nanchor \"/a\"\nanchor \"/a\"\n}\n"
                + "pass all\n", "self.conf");
        assertTrue(firstError(r).contains("anchor \"a\" calls itself"), firstError(r));
    }

    @Test
    void reviewedCornersAreErrorsWithPlaces() {
        assertTrue(firstError(JudoParser.parse("pass on { }\n", "e.conf")).contains("an empty interface list"));
        assertTrue(firstError(JudoParser.parse("pass from { } to any\n", "e.conf")).contains("empty address list"));
        assertTrue(firstError(JudoParser.parse("pass from web1\n", "e.conf"))
                .contains("'web1' is no address and no interface known here"));
        assertTrue(firstError(JudoParser.parse("include \"a\\x00b\"\n", "e.conf")).contains("bad file name"));
        assertTrue(firstError(JudoParser.parse("queue q on em0 bandwidth 99999999999G\n", "e.conf"))
                .contains("bad rate"));
        assertTrue(firstError(JudoParser.parse("anchor \"x\" tag T {\npass all\n}\n", "e.conf"))
                .contains("an anchor takes filter parameters only"));
    }

    @Test
    void shortPrefixesReadAsPfctlReadsThem() {
        JudoParser.Result r = JudoParser.parse("table <p> const { 10/8, 172.16/12, 192.168/16 }\n"
                + "pass from <p>\n", "short.conf");
        assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
        io.judo.vm.pool.CidrSet set = r.policy().rules().get(0).from().terms().get(0).set();
        assertTrue(set.contains(io.judo.packet.Addresses.parse("10.200.1.1")));
        assertTrue(set.contains(io.judo.packet.Addresses.parse("172.31.0.1")));
        assertTrue(set.contains(io.judo.packet.Addresses.parse("192.168.7.7")));
        assertTrue(!set.contains(io.judo.packet.Addresses.parse("192.0.0.168")));
    }

    @Test
    void anAnchorsIcmpTypeReachesItsRules() {
        JudoParser.Result r = JudoParser.parse("anchor \"ping\" inet proto icmp icmp-type echoreq {\npass\n}\n",
                "ping.conf");
        assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
        assertEquals(8, r.policy().rules().get(0).icmpTypes().get(0)[0]);
    }

    @Test
    void theAddressesFamilyIsTheRules() {
        JudoParser.Result r = JudoParser.parse("block in from ! 10.0.0.0/8\npass to 2001:db8::/32\n", "af.conf");
        assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
        assertEquals(4, r.policy().rules().get(0).family(), "a negated IPv4 prefix makes an inet rule");
        assertEquals(6, r.policy().rules().get(1).family());
        assertTrue(firstError(JudoParser.parse("pass inet6 from 10.0.0.1\n", "af.conf")).contains("an IPv4 address "
                + "in an inet6 rule"));
        assertTrue(firstError(JudoParser.parse("pass from 10.0.0.1 to 2001:db8::1\n", "af.conf"))
                .contains("an IPv6 address in an inet rule"));
    }
}
