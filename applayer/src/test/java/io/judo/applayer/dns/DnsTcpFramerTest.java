package io.judo.applayer.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsTcpFramerTest {
    private final List<String> got = new ArrayList<>();
    private final DnsMessage m = new DnsMessage();
    private final io.judo.applayer.Slice s = new io.judo.applayer.Slice();
    private final DnsTcpFramer f = new DnsTcpFramer((dir, b, off, len) -> {
        DnsParser.parse(b, off, len, dir, m);
        got.add(dir + ":" + DnsWire.text(m.questionName(0, s)));
    });

    private static byte[] query(String name) {
        return new DnsWire().header(1, 0x0100, 1, 0, 0, 0).question(name, 1).tcp();
    }

    @Test
    void severalMessagesInOneSegmentAndBothDirections() {
        byte[] a = query("a.example");
        byte[] b = query("b.example");
        byte[] both = new byte[a.length + b.length];
        System.arraycopy(a, 0, both, 0, a.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        f.data(0, both, 0, both.length);
        byte[] r = new DnsWire().header(1, 0x8180, 1, 0, 0, 0).question("r.example", 1).tcp();
        f.data(1, r, 0, r.length);
        assertEquals(List.of("0:a.example", "0:b.example", "1:r.example"), got);
        assertEquals(2, f.messages(0));
        assertFalse(f.pending(0));
    }

    @Test
    void aGapEndsTheDirectionsFraming() {
        byte[] a = query("a.example");
        f.data(0, a, 0, 5);
        assertTrue(f.pending(0));
        f.gap(0);
        assertTrue(f.lost(0));
        f.data(0, a, 0, a.length);
        assertEquals(List.of(), got, "after a gap a length could be anywhere");
        f.data(1, a, 0, a.length);
        assertEquals(List.of("1:a.example"), got, "the other direction keeps its framing");
    }
}
