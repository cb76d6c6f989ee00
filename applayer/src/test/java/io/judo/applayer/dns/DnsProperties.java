package io.judo.applayer.dns;

import static io.judo.applayer.dns.DnsWire.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.applayer.Slice;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random messages whose names share suffixes (so the builder compresses them into pointers) parse back to the names
 * written; random TCP connections cut at every byte, and into random pieces, hand out the same messages. Seeded: a
 * failure prints its seed.
 */
class DnsProperties {
    private static final String[] TLDS = {"com", "net", "org", "EXAMPLE", "co.uk"};

    private static String label(Random rnd) {
        int n = 1 + rnd.nextInt(rnd.nextInt(10) == 0 ? 63 : 12);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            // any byte but the dot, which the builder reads as a separator: DNS labels may hold anything
            int c = rnd.nextInt(4) == 0 ? rnd.nextInt(256) : "abcdefghijklmnopqrstuvwxyzABC0123-_".charAt(rnd.nextInt(35));
            sb.append((char) (c == '.' ? 'z' : c));
        }
        return sb.toString();
    }

    private static String name(Random rnd, List<String> seen) {
        if (!seen.isEmpty() && rnd.nextInt(3) == 0) {
            String base = seen.get(rnd.nextInt(seen.size()));
            return rnd.nextBoolean() ? base : label(rnd) + "." + base; // a shared suffix: compressed
        }
        StringBuilder sb = new StringBuilder();
        int labels = rnd.nextInt(4);
        for (int i = 0; i < labels; i++) {
            sb.append(label(rnd)).append('.');
        }
        String n = sb + TLDS[rnd.nextInt(TLDS.length)];
        return n.length() > DnsParser.MAX_NAME ? n.substring(n.length() - 200).replaceFirst("^[^.]*\\.", "") : n;
    }

    @Property(tries = 500)
    void compressedNamesRoundTrip(@ForAll long seed) {
        Random rnd = new Random(seed);
        List<String> seen = new ArrayList<>();
        int qd = 1 + rnd.nextInt(4);
        int an = rnd.nextInt(6);
        DnsWire w = new DnsWire().compress(rnd.nextInt(5) != 0).header(rnd.nextInt(65536), 0x8180, qd, an, 0, 0);
        List<String> qs = new ArrayList<>();
        List<String> rs = new ArrayList<>();
        List<String> targets = new ArrayList<>();
        for (int i = 0; i < qd; i++) {
            String n = name(rnd, seen);
            seen.add(n);
            qs.add(n);
            w.question(n, 1 + rnd.nextInt(40));
        }
        for (int i = 0; i < an; i++) {
            String n = name(rnd, seen);
            seen.add(n);
            rs.add(n);
            String t = name(rnd, seen);
            seen.add(t);
            targets.add(t);
            w.nameRecord(n, 5, rnd.nextInt(100_000), t);
        }
        byte[] b = w.bytes();
        DnsMessage m = new DnsMessage();
        Slice s = new Slice();
        DnsParser.parse(b, 0, b.length, 1, m);
        assertEquals(0, m.events(), "seed " + seed);
        assertEquals(qd, m.questionCount());
        for (int i = 0; i < qd; i++) {
            assertEquals(qs.get(i), text(m.questionName(i, s)), "seed " + seed);
        }
        assertEquals(an, m.recordCount());
        for (int i = 0; i < an; i++) {
            assertEquals(rs.get(i), text(m.recordName(i, s)), "seed " + seed);
            assertEquals(targets.get(i), m.recordDataText(i), "seed " + seed);
        }
    }

    /** A connection of a few messages, each length-prefixed, and the messages themselves. */
    private static byte[] connection(Random rnd, List<byte[]> messages) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int n = 1 + rnd.nextInt(4);
        for (int i = 0; i < n; i++) {
            DnsWire w = new DnsWire().header(i, 0x0100, 1, 0, 0, 0).question(name(rnd, new ArrayList<>()), 1);
            if (rnd.nextInt(4) == 0) {
                w.raw(new int[rnd.nextInt(300)]); // trailing bytes after the question, which the length covers
            }
            byte[] tcp = w.tcp();
            messages.add(java.util.Arrays.copyOfRange(tcp, 2, tcp.length));
            out.write(tcp, 0, tcp.length);
        }
        return out.toByteArray();
    }

    private static List<byte[]> frame(byte[] all, int[] cuts) {
        List<byte[]> got = new ArrayList<>();
        DnsTcpFramer f = new DnsTcpFramer((dir, b, off, len) -> got.add(java.util.Arrays.copyOfRange(b, off, off + len)));
        int at = 0;
        for (int c : cuts) {
            f.data(0, all, at, c - at);
            at = c;
        }
        f.data(0, all, at, all.length - at);
        return got;
    }

    @Property(tries = 60)
    void tcpFramingIsTheSameSplitAtEveryByte(@ForAll long seed) {
        Random rnd = new Random(seed);
        List<byte[]> want = new ArrayList<>();
        byte[] all = connection(rnd, want);
        for (int cut = 0; cut <= all.length; cut++) {
            List<byte[]> got = frame(all, new int[] {cut});
            assertEquals(want.size(), got.size(), "seed " + seed + " cut " + cut);
            for (int i = 0; i < want.size(); i++) {
                assertArrayEquals(want.get(i), got.get(i), "seed " + seed + " cut " + cut);
            }
        }
    }

    @Property(tries = 300)
    void tcpFramingIsTheSameInRandomPieces(@ForAll long seed) {
        Random rnd = new Random(seed);
        List<byte[]> want = new ArrayList<>();
        byte[] all = connection(rnd, want);
        int k = rnd.nextInt(Math.min(all.length, 40));
        int[] cuts = rnd.ints(k, 0, all.length + 1).sorted().toArray();
        List<byte[]> got = frame(all, cuts);
        assertEquals(want.size(), got.size(), "seed " + seed);
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), got.get(i), "seed " + seed);
        }
    }
}
