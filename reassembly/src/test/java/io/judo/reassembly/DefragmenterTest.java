package io.judo.reassembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.Checksums;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.testing.ExternalTools;
import io.judo.packet.testing.SharedData;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.HexFormat;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * Fragment overlap vectors checked by hand against each policy's rule (see {@link DefragPolicy}), for IPv4 and
 * IPv6, plus the counters and bounds.
 */
class DefragmenterTest {
    private final PacketDecoder decoder = new PacketDecoder();
    private final PacketView view = new PacketView();

    /** One fragment of protocol 253 (experimental): offset and length in 8-byte blocks, filled with {@code c}. */
    private static byte[] frag(int version, int block, int blocks, char c, boolean more) {
        byte[] data = new byte[blocks * 8];
        java.util.Arrays.fill(data, (byte) c);
        PacketBuilder b = PacketBuilder.link(LinkType.RAW);
        b = version == 4 ? b.ipv4("192.0.2.1", "192.0.2.2") : b.ipv6("2001:db8::1", "2001:db8::2");
        return b.fragment(block * 8, more, 777).rawTransport(253, data).build();
    }

    private PacketView feed(Defragmenter d, byte[] frame, long now) {
        return d.fragment(decoder.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length, LinkType.RAW, view),
                now);
    }

    /** The reassembled datagram's payload, one character per 8-byte block. */
    private static String blocks(PacketView v) {
        int start = v.l3Offset() + (v.ipVersion() == 4 ? v.ipHeaderLength() : 40);
        StringBuilder s = new StringBuilder();
        for (int i = start; i < v.l3End(); i += 8) {
            s.append((char) v.buffer().get(i));
        }
        return s.toString();
    }

    /*
     * Blocks (8 bytes each) and the relation each overlap tests, new fragment N against held fragment O:
     *  2: N starts before O, ends inside it      4-5: same start, N ends after O
     *  8: N starts after O, ends after it         9: starts after, ends after (again, O is itself a later fragment)
     * 10: N starts before O, ends where O ends   12: same start, N ends before O
     */
    @ParameterizedTest(name = "{0} IPv{1}")
    @CsvSource({
        "first,     4, acbbddeffghmjjl", "first,     6, acbbddeffghmjjl",
        "last,      4, accbeeefgiimkjl", "last,      6, accbeeefgiimkjl",
        "bsd,       4, accbddeffgimjjl", "bsd,       6, accbddeffgimjjl",
        "bsd-right, 4, acbbeeefgihmjjl", "bsd-right, 6, acbbeeefgihmjjl",
        "linux,     4, accbeeeffgimkjl", "linux,     6, accbeeeffgimkjl",
        "windows,   4, acbbddeffghmjjl", "windows,   6, acbbddeffghmjjl",
        "solaris,   4, acbbddeffgimjjl", "solaris,   6, acbbddeffgimjjl",
    })
    void overlapPattern(String policy, int version, String expected) {
        Defragmenter d = Defragmenter.defaults(DefragPolicy.valueOf(policy.toUpperCase().replace('-', '_')), decoder);
        Object[][] fragments = {
            {0, 1, 'a'}, {2, 2, 'b'}, {1, 2, 'c'}, {4, 2, 'd'}, {4, 3, 'e'}, {7, 2, 'f'}, {8, 2, 'g'},
            {10, 1, 'h'}, {9, 2, 'i'}, {11, 1, 'm'}, {12, 2, 'j'}, {12, 1, 'k'},
        };
        for (Object[] f : fragments) {
            assertNull(feed(d, frag(version, (int) f[0], (int) f[1], (char) f[2], true), 0));
        }
        PacketView whole = feed(d, frag(version, 14, 1, 'l', false), 0);
        assertNotNull(whole, "the last fragment completes the datagram");
        assertEquals(253, whole.ipProtocol());
        assertEquals(0, whole.problems(), "the rebuilt header is valid (lengths, IPv4 checksum)");
        assertEquals(expected, blocks(whole));
        assertEquals(5, d.count(FragmentCount.OVERLAPS), "fragments c, e, g, i and k overlap held data");
        assertEquals(5, d.count(FragmentCount.OVERLAPS_DIFFERENT));
        assertEquals(1, d.count(FragmentCount.REASSEMBLED));
        assertEquals(0, d.pending());
        assertEquals(0, d.heldBytes());
    }

    /**
     * The fragment scenario of Novak and Sturges, "Target-Based Fragmentation Reassembly" (2007): nine original
     * fragments, then seven overlapping ones, then the last. Expected outcomes per policy as the paper's scenario is
     * published in Suricata's defrag tests (one letter per 8-byte block).
     */
    @ParameterizedTest(name = "{0} IPv{1}")
    @CsvSource({
        "bsd,     4, AAAJJBCCCLLLMMMFFFGGHHIQ", "bsd,     6, AAAJJBCCCLLLMMMFFFGGHHIQ",
        "linux,   4, AAAJJBKKKLLLMMMFFFGGPHQQ", "linux,   6, AAAJJBKKKLLLMMMFFFGGPHQQ",
        "windows, 4, AAAJBBCCCLLLMEEFFFGGHHIQ", "windows, 6, AAAJBBCCCLLLMEEFFFGGHHIQ",
        "solaris, 4, AAAJBBCCCLLLMMMFFFGGHHIQ", "solaris, 6, AAAJBBCCCLLLMMMFFFGGHHIQ",
        "first,   4, AAAJBBCCCLDLMEEFFFGGHHIQ", "first,   6, AAAJBBCCCLDLMEEFFFGGHHIQ",
        "last,    4, AJJJJBKKKLLLMMMFNFGOPHQQ", "last,    6, AJJJJBKKKLLLMMMFNFGOPHQQ",
    })
    void novakSturgesScenario(String policy, int version, String expected) {
        Defragmenter d = Defragmenter.defaults(DefragPolicy.valueOf(policy.toUpperCase()), decoder);
        int[][] fragments = { // offset and length in blocks
            {0, 3}, {4, 2}, {6, 3}, {10, 1}, {13, 2}, {15, 3}, {18, 2}, {20, 2}, {22, 1},
            {1, 4}, {6, 3}, {9, 3}, {12, 3}, {16, 1}, {19, 1}, {20, 1},
        };
        for (int i = 0; i < fragments.length; i++) {
            assertNull(feed(d, frag(version, fragments[i][0], fragments[i][1], (char) ('A' + i), true), 0));
        }
        PacketView whole = feed(d, frag(version, 22, 2, 'Q', false), 0);
        assertNotNull(whole);
        assertEquals(expected, blocks(whole));
        assertEquals(8, d.count(FragmentCount.OVERLAPS_DIFFERENT),
                "the seven later fragments and the last overlap with different data");
    }

    /** One late fragment over three held ones: same start, strictly around, and ending together. */
    @ParameterizedTest(name = "{0}")
    @CsvSource({"first, xxx", "windows, xyx", "solaris, xyy", "bsd, xyy", "bsd-right, yyx", "linux, yyy",
        "last, yyy"})
    void newFragmentCoveringAnOldOne(String policy, String expected) {
        Defragmenter d = Defragmenter.defaults(DefragPolicy.valueOf(policy.toUpperCase().replace('-', '_')), decoder);
        assertNull(feed(d, frag(4, 0, 1, 'x', true), 0));
        assertNull(feed(d, frag(4, 2, 1, 'x', true), 0));
        assertNull(feed(d, frag(4, 1, 1, 'x', true), 0));
        assertNull(feed(d, frag(4, 0, 3, 'y', true), 0));
        PacketView whole = feed(d, frag(4, 3, 1, 'z', false), 0);
        // y against x@0 (same start, ends after), x@8 (starts before, ends after), x@16 (starts before, same end)
        assertEquals(expected + "z", blocks(whole));
    }

    @Test
    void fragmentPolicyChosenByTheDestinationHost() {
        HostPolicies hosts = HostPolicies.parse(List.of("192.0.2.2/32=vista", "2001:db8::/64=linux"),
                OverlapPolicy.FIRST);
        Defragmenter d = Defragmenter.defaults(DefragPolicy.FIRST, decoder).policiesBy(hosts);
        for (int version : new int[] {4, 6}) {
            assertNull(feed(d, frag(version, 0, 1, 'x', true), 0));
            assertNull(feed(d, frag(version, 2, 1, 'x', true), 0));
            assertNull(feed(d, frag(version, 1, 1, 'x', true), 0));
            assertNull(feed(d, frag(version, 0, 3, 'y', true), 0));
            PacketView whole = feed(d, frag(version, 3, 1, 'z', false), 0);
            // vista maps to the windows fragment policy; linux stays linux (see newFragmentCoveringAnOldOne)
            assertEquals(version == 4 ? "xyxz" : "yyyz", blocks(whole), "IPv" + version);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {4, 6})
    void tcpSegmentCutIntoShuffledFragmentsComesBackWhole(int version) {
        Random r = new Random(5);
        byte[] payload = new byte[3000];
        r.nextBytes(payload);
        PacketBuilder b = PacketBuilder.link(LinkType.RAW);
        b = version == 4 ? b.ipv4("10.1.1.1", "10.2.2.2") : b.ipv6("fd00::1", "fd00::2");
        if (version == 6) {
            b = b.ipv6Extension(0); // hop-by-hop before the fragment header: unfragmentable part kept
        }
        List<byte[]> pieces = new ArrayList<>(b.tcp(1234, 80).seq(99).payload(payload).buildFragments(400));
        Collections.shuffle(pieces, r);
        pieces.add(2, pieces.get(0)); // a duplicate (same data) changes nothing
        Defragmenter d = Defragmenter.defaults(DefragPolicy.BSD, new PacketDecoder(true));
        PacketView whole = null;
        for (byte[] p : pieces) {
            PacketView v = feed(d, p, 0);
            if (v != null) {
                whole = v;
            }
        }
        assertNotNull(whole);
        assertEquals(0, whole.problems(), "TCP checksum verifies over the rebuilt datagram");
        assertEquals(1234, whole.srcPort());
        assertEquals(99, whole.seq());
        byte[] got = new byte[whole.payloadLength()];
        whole.buffer().get(whole.payloadOffset(), got);
        assertArrayEquals(payload, got);
        assertEquals(1, d.count(FragmentCount.OVERLAPS));
        assertEquals(0, d.count(FragmentCount.OVERLAPS_DIFFERENT));
    }

    /** Every datagram tshark reassembles from a shared capture, judo reassembles to the same bytes, in order. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("io.judo.packet.testing.SharedData#captures")
    void realCapturesMatchTsharkReassembly(Path capture) throws Exception {
        SharedData.present(capture);
        ExternalTools.require("tshark");
        List<String> expected = new ArrayList<>();
        for (String line : ExternalTools.run("tshark", "-n", "-r", capture.toString(), "-T", "fields",
                "-e", "ip.reassembled.data", "-e", "ipv6.reassembled.data").split("\n")) {
            String hex = line.replace("\t", "").replace(",", "").trim();
            if (!hex.isEmpty()) {
                expected.add(hex);
            }
        }
        Defragmenter d = Defragmenter.defaults(DefragPolicy.BSD, new PacketDecoder());
        List<String> actual = new ArrayList<>();
        PacketRecord record = new PacketRecord();
        PacketDecoder outer = new PacketDecoder();
        try (CaptureReader reader = Captures.open(capture)) {
            while (reader.next(record) == ReadStatus.RECORD) {
                PacketView v = outer.decode(record, view);
                if (!v.fragment()) {
                    continue;
                }
                PacketView whole = d.fragment(v, record.timestampNanos());
                if (whole != null) {
                    byte[] bytes = new byte[whole.l3End() - whole.l3Offset()];
                    whole.buffer().get(whole.l3Offset(), bytes);
                    actual.add(HexFormat.of().formatHex(bytes));
                }
            }
        }
        assertEquals(expected.size(), actual.size(), "datagrams reassembled");
        for (int i = 0; i < expected.size(); i++) {
            String e = expected.get(i);
            String a = actual.get(i);
            assertTrue(a.endsWith(e) && a.length() - e.length() >= 40, "datagram " + i + ": header + tshark's data");
        }
    }

    /** A flood of datagrams that never complete: held bytes stay under the cap, the excess is counted. */
    @Test
    void fragmentFloodStaysWithinTheMemcap() {
        Defragmenter d = new Defragmenter(DefragPolicy.BSD, 60_000_000_000L, 1 << 20, 256, decoder);
        byte[] frame = frag(4, 0, 2, 'f', true);
        long maxHeld = 0;
        for (int id = 0; id < 100_000; id++) {
            frame[4] = (byte) (id >>> 8); // IPv4 identification: a new datagram each time (checksum not verified)
            frame[5] = (byte) id;
            frame[13] = (byte) (id >>> 16); // and a new source address every 65,536
            feed(d, frame, id);
            maxHeld = Math.max(maxHeld, d.heldBytes());
        }
        assertTrue(maxHeld <= 1 << 20, "held " + maxHeld);
        assertEquals(100_000, d.pending() + d.count(FragmentCount.MEMCAP_EVICTIONS),
                "every datagram is either waiting or counted as evicted");
        assertTrue(d.count(FragmentCount.MEMCAP_EVICTIONS) > 90_000,
                "evicted " + d.count(FragmentCount.MEMCAP_EVICTIONS));
    }

    @Test
    void evasionCountersTimeoutsAndMemcap() {
        Defragmenter d = new Defragmenter(DefragPolicy.BSD, 1_000_000_000L, 4096, 4, decoder);
        List<byte[]> eight = PacketBuilder.link(LinkType.RAW).ipv4("10.0.0.1", "10.0.0.2").ipId(1).tcp(1, 2)
                .payload("evil").buildFragments(8);
        feed(d, eight.get(0), 0);
        assertEquals(1, d.count(FragmentCount.TINY_FIRST_FRAGMENTS),
                "a first TCP fragment of 8 bytes cannot hold the TCP header");
        feed(d, eight.get(1), 0);
        assertEquals(1, d.count(FragmentCount.TCP_HEADER_OVERWRITES), "offset 8 rewrites the TCP flags (RFC 1858)");
        assertEquals(1, d.pending());
        feed(d, frag(4, 0, 1, 'z', true), 2_000_000_000L);
        assertEquals(1, d.count(FragmentCount.TIMEOUTS), "the first datagram waited longer than the timeout");
        for (int i = 1; i <= 5; i++) {
            feed(d, frag(4, i * 2, 1, 'z', true), 2_000_000_000L);
        }
        assertEquals(1, d.count(FragmentCount.TOO_MANY_FRAGMENTS),
                "the fifth fragment of one datagram exceeds the limit of four");
        byte[] big = new byte[8000];
        feed(d, PacketBuilder.link(LinkType.RAW).ipv4("10.0.0.9", "10.0.0.2").fragment(0, true, 2)
                .rawTransport(253, big).build(), 2_000_000_000L);
        assertEquals(0, d.pending(), "over the memcap the datagrams idle longest are evicted");
        assertEquals(2, d.count(FragmentCount.MEMCAP_EVICTIONS),
                "the idle one first, then the new one, still over the cap alone");
        assertEquals(0, d.heldBytes());
    }
    /**
     * A rebuilt datagram's transport checksum is verified when its fragments were (so a rule's {@code tcpv4-csum}
     * judges the whole datagram), and left unverified when they were not, whatever the defragmenter's own decoder.
     */
    @Test
    void rebuiltDatagramsAreVerifiedAsTheirFragmentsWere() {
        for (boolean verify : new boolean[] {true, false}) {
            PacketDecoder fragments = new PacketDecoder(verify);
            Defragmenter d = Defragmenter.defaults(DefragPolicy.FIRST, new PacketDecoder(false));
            List<byte[]> parts = PacketBuilder.link(LinkType.RAW).ipv4("192.0.2.1", "192.0.2.2").tcp(1000, 80)
                    .payload(new byte[48]).badTransportChecksum().buildFragments(24);
            PacketView whole = null;
            for (byte[] f : parts) {
                whole = d.fragment(fragments.decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.RAW, view),
                        1);
            }
            assertNotNull(whole);
            int expected = Checksums.IPV4_JUDGED | Checksums.TRANSPORT_JUDGED
                    | (verify ? Checksums.VERIFIED | Checksums.TRANSPORT_BAD : 0);
            assertEquals(expected, whole.checksums(), "fragments verified: " + verify);
        }
    }
}
