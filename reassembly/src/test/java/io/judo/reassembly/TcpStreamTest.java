package io.judo.reassembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TcpStreamTest {
    static final long[] ISNS = {0L, 1L, 0xffffffffL, 0xffffffffL - 10};

    private static TcpStream stream(OverlapPolicy policy, long isn) {
        TcpStream s = new TcpStream(null, 0, StreamConfig.defaults().withPolicy(policy));
        s.syn(isn);
        return s;
    }

    private static void send(TcpStream s, long isn, long offset, String text, Collect c) {
        byte[] b = text.getBytes(StandardCharsets.ISO_8859_1);
        s.segment((isn + 1 + offset) & 0xffffffffL, b, 0, b.length, c);
    }

    /**
     * The composite target-based overlap pattern (Novak & Sturges, "Target-Based TCP Stream Reassembly", 2007): 18
     * segments that start before, at and after held ones, sent in this order, then the first byte. The expected
     * streams are the outcomes published with the pattern in Suricata's early stream tests (one per OS policy); the
     * independent oracle here. Offsets count from the first data byte.
     */
    @ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.CsvSource({
        "BSD,       0AAAJJBCCCLLLMMMFFFGGHHIQ",
        "VISTA,     0AAAJBBCCCLDLMEEFFFGGHHIQ",
        "LINUX,     0AAAJJBCCCLLLMMMFFFGGHHQQ",
        "OLD_LINUX, 0AAAJJBKKKLLLMMMFFFGGHHQQ",
        "SOLARIS,   0AJJJBBKKKLLLMMMFFFGGHHQQ",
        "LAST,      0AJJJJBKKKLLLMMMFNFGOPHQQ",
        // The other policies fall into those families as Suricata groups them (first keeps old data like vista;
        // hpux11 replaces like solaris; windows, win2003, hpux10, irix, macos and bsd-right resolve like bsd here).
        "FIRST,     0AAAJBBCCCLDLMEEFFFGGHHIQ",
        "HPUX11,    0AJJJBBKKKLLLMMMFFFGGHHQQ",
        "WINDOWS,   0AAAJJBCCCLLLMMMFFFGGHHIQ",
        "WIN2003,   0AAAJJBCCCLLLMMMFFFGGHHIQ",
        "HPUX10,    0AAAJJBCCCLLLMMMFFFGGHHIQ",
        "IRIX,      0AAAJJBCCCLLLMMMFFFGGHHIQ",
        "MACOS,     0AAAJJBCCCLLLMMMFFFGGHHIQ",
        "BSD_RIGHT, 0AAAJJBCCCLLLMMMFFFGGHHIQ"})
    void novakSturgesCompositePattern(String policy, String expected) {
        String[][] segments = {{"1", "AAA"}, {"5", "BB"}, {"7", "CCC"}, {"11", "D"}, {"14", "EE"}, {"16", "FFF"},
            {"19", "GG"}, {"21", "HH"}, {"23", "I"}, {"2", "JJJJ"}, {"7", "KKK"}, {"10", "LLL"}, {"13", "MMM"},
            {"17", "N"}, {"20", "O"}, {"21", "P"}, {"23", "QQ"}, {"0", "0"}};
        for (long isn : ISNS) {
            Collect c = new Collect();
            TcpStream s = stream(OverlapPolicy.valueOf(policy), isn);
            for (String[] seg : segments) {
                send(s, isn, Long.parseLong(seg[0]), seg[1], c);
            }
            assertEquals(expected, c.text(0), policy + " isn " + isn);
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 0xffffffffL, 0xffffffffL - 10})
    void outOfOrderAndDuplicatesAcrossTheWrap(long isn) {
        Collect c = new Collect();
        TcpStream s = stream(OverlapPolicy.FIRST, isn);
        send(s, isn, 6, "world", c);
        send(s, isn, 11, "!", c);
        assertEquals("", c.text(0), "nothing until the hole fills");
        send(s, isn, 0, "hello ", c);
        send(s, isn, 0, "hello ", c);
        assertEquals("hello world!", c.text(0));
        assertEquals(12, s.nextOffset());
        assertTrue(c.events.isEmpty(), c.events.toString());
    }

    /** Hand-checked: pending "AAAA" at 2-6; a new "bbbbbb" at 0-6 overlaps it at 2-6. */
    @ParameterizedTest
    @ValueSource(strings = {"FIRST", "LAST"})
    void overlapWithWaitingDataFollowsThePolicy(String name) {
        OverlapPolicy p = OverlapPolicy.valueOf(name);
        for (long isn : ISNS) {
            Collect c = new Collect();
            TcpStream s = stream(p, isn);
            send(s, isn, 2, "AAAA", c);
            send(s, isn, 0, "bbbbbb", c);
            assertEquals(p == OverlapPolicy.FIRST ? "bbAAAA" : "bbbbbb", c.text(0), name + " isn " + isn);
            assertEquals(List.of("0:overlap_different_data@0"), c.events, name);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FIRST", "LAST"})
    void overlapSplittingAWaitingPiece(String name) {
        OverlapPolicy p = OverlapPolicy.valueOf(name);
        Collect c = new Collect();
        TcpStream s = stream(p, 100);
        send(s, 100, 4, "XXXXXXXX", c); // 4-12
        send(s, 100, 6, "yy", c);       // 6-8, inside it
        send(s, 100, 0, "0123", c);
        assertEquals(p == OverlapPolicy.FIRST ? "0123XXXXXXXX" : "0123XXyyXXXX", c.text(0));
    }

    /**
     * A retransmission of held bytes with the same bytes changes nothing, not even which segment later overlaps are
     * judged against: Suricata keeps every held segment and lets a new one replace bytes only where it wins against
     * each segment under them. Held "XXXXXXXXXX" at 10-20, the same "XXX" at 12-15 (it loses to the first for every
     * policy but last), then "ZZZZZ" at 11-16: it starts inside the first segment and ends before it, so only last
     * takes it, although against the 12-15 copy alone most policies would.
     */
    @ParameterizedTest
    @ValueSource(strings = {"FIRST", "LAST", "BSD", "LINUX", "OLD_LINUX", "SOLARIS", "VISTA", "WINDOWS", "HPUX11"})
    void sameBytesRetransmittedKeepTheHeldSegmentsExtent(String name) {
        OverlapPolicy p = OverlapPolicy.valueOf(name);
        for (long isn : ISNS) {
            Collect c = new Collect();
            TcpStream s = stream(p, isn);
            send(s, isn, 10, "XXXXXXXXXX", c);
            send(s, isn, 12, "XXX", c);
            send(s, isn, 11, "ZZZZZ", c);
            send(s, isn, 0, "0123456789", c);
            assertEquals(p == OverlapPolicy.LAST ? "0123456789XZZZZZXXXX" : "0123456789XXXXXXXXXX", c.text(0),
                    name + " isn " + isn);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"FIRST", "LAST"})
    void deliveredBytesNeverChange(String name) {
        Collect c = new Collect();
        TcpStream s = stream(OverlapPolicy.valueOf(name), 7);
        send(s, 7, 0, "GET /index.html", c);
        send(s, 7, 4, "/evil.html", c); // a retransmission with other bytes
        assertEquals("GET /index.html", c.text(0));
        assertEquals(List.of("0:overlap_different_data@4"), c.events);
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 0xffffffffL - 10})
    void gapsDepthAndFin(long isn) {
        Collect c = new Collect();
        TcpStream s = new TcpStream(null, 0, new StreamConfig(OverlapPolicy.FIRST, 20, 8, 1000));
        s.syn(isn);
        send(s, isn, 0, "abc", c);
        send(s, isn, 10, "0123456789", c); // hole at 3-10, 10 bytes beyond it > gap window 8
        assertEquals(1, c.gaps.size());
        assertArrayEquals(new long[] {0, 3, 7}, c.gaps.get(0));
        assertEquals(20, s.nextOffset());
        assertTrue(c.events.contains("0:depth_reached@20"), c.events.toString());
        Collect f = new Collect();
        TcpStream t = stream(OverlapPolicy.FIRST, isn);
        send(t, isn, 0, "bye", f);
        t.fin((isn + 4) & 0xffffffffL, f);
        send(t, isn, 3, "more", f);
        assertEquals("bye", f.text(0));
        assertEquals(List.of("0:fin@3", "0:data_after_fin@3"), f.events);
    }

    @ParameterizedTest
    @ValueSource(longs = {0L, 1L, 0xffffffffL, 0xffffffffL - 10})
    void flushDeliversWhatWaitsBehindHoles(long isn) {
        Collect c = new Collect();
        TcpStream s = stream(OverlapPolicy.FIRST, isn);
        send(s, isn, 5, "tail", c);
        s.flush(c);
        assertEquals("\0\0\0\0\0tail", c.text(0));
        assertArrayEquals(new long[] {0, 0, 5}, c.gaps.get(0));
    }

    /**
     * A random stream cut into random segments, reordered, duplicated and retransmitted (same bytes), reassembles to
     * the original for every policy at every ISN, with no event.
     */
    @Property(tries = 300)
    void randomSegmentationReassemblesExactly(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] data = new byte[1 + r.nextInt(5000)];
        r.nextBytes(data);
        List<int[]> segments = new ArrayList<>();
        for (int at = 0; at < data.length; ) {
            int len = Math.min(data.length - at, 1 + r.nextInt(700));
            segments.add(new int[] {at, len});
            at += len;
        }
        int extra = r.nextInt(segments.size() + 1);
        for (int i = 0; i < extra; i++) {
            int start = r.nextInt(data.length);
            segments.add(new int[] {start, 1 + r.nextInt(Math.min(1500, data.length - start))}); // retransmission
        }
        Collections.shuffle(segments, r);
        for (OverlapPolicy p : OverlapPolicy.values()) {
            for (long isn : ISNS) {
                Collect c = new Collect();
                TcpStream s = stream(p, isn);
                for (int[] seg : segments) {
                    s.segment((isn + 1 + seg[0]) & 0xffffffffL, data, seg[0], seg[1], c);
                }
                assertArrayEquals(data, c.out[0].toByteArray(), "seed " + seed + " policy " + p + " isn " + isn);
                assertTrue(c.events.isEmpty(), "seed " + seed + ": " + c.events);
            }
        }
    }

    /**
     * The size stream_size reads, next expected sequence number minus the initial one (hand-checked): 0 before the
     * SYN, 1 for it, each in-order byte, nothing for bytes waiting behind a hole, bytes past the depth, the FIN.
     */
    @ParameterizedTest
    @ValueSource(longs = {0L, 0xffffffffL - 2})
    void sizeIsNextSequenceNumberMinusInitial(long isn) {
        Collect c = new Collect();
        TcpStream s = new TcpStream(null, 0, new StreamConfig(OverlapPolicy.FIRST, 10, 1000, 100_000));
        assertEquals(0, s.size(), "no SYN yet");
        s.syn(isn);
        assertEquals(1, s.size(), "the SYN takes one sequence number");
        send(s, isn, 0, "abcd", c);
        assertEquals(5, s.size());
        send(s, isn, 8, "ij", c);
        assertEquals(5, s.size(), "bytes behind a hole are not in order yet");
        send(s, isn, 4, "efgh", c);
        assertEquals(11, s.size());
        send(s, isn, 10, "klmnop", c); // past the depth of 10: not delivered, still counted
        assertEquals(10, s.nextOffset());
        assertEquals(17, s.size());
        send(s, isn, 12, "mn", c);
        assertEquals(17, s.size(), "a retransmission past the depth adds nothing");
        s.fin((isn + 1 + 16) & 0xffffffffL, c);
        assertEquals(17, s.size(), "a FIN past the depth is never in order here");
        TcpStream t = stream(OverlapPolicy.FIRST, isn);
        Collect f = new Collect();
        send(t, isn, 0, "bye", f);
        t.fin((isn + 4) & 0xffffffffL, f);
        assertEquals(5, t.size(), "SYN, three bytes, FIN");
        TcpStream mid = new TcpStream(null, 0, StreamConfig.defaults());
        byte[] b = "hello".getBytes(StandardCharsets.ISO_8859_1);
        mid.segment(1000, b, 0, b.length, new Collect());
        assertEquals(6, mid.size(), "picked up mid-stream: the initial number is the one before the first byte");
    }
}
