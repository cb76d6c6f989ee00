package io.judo.applayer.dns;

import static io.judo.applayer.dns.DnsWire.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.Slice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class DnsParserTest {
    private final DnsMessage m = new DnsMessage();
    private final Slice s = new Slice();

    private DnsMessage parse(byte[] b, int dir) {
        DnsParser.parse(b, 0, b.length, dir, m);
        return m;
    }

    @Test
    void aQueryHasItsHeaderAndQuestionAsSuricataPresentsIt() {
        byte[] q = new DnsWire().header(0x1234, 0x0100, 1, 0, 0, 0).question("WWW.Example.COM", 1).bytes();
        parse(q, 0);
        assertTrue(m.hasHeader());
        assertEquals(0x1234, m.id());
        assertEquals(0x0100, m.flags());
        assertFalse(m.isResponse());
        assertEquals(0, m.events());
        assertEquals(1, m.questionCount());
        assertEquals("WWW.Example.COM", text(m.questionName(0, s)), "case is kept, no trailing dot");
        assertEquals(1, m.questionType(0));
        assertEquals(1, m.questionClass(0));
    }

    @Test
    void anAnswerWithCompressedNamesAndRdata() {
        byte[] r = new DnsWire().header(7, 0x8180, 1, 3, 0, 0).question("www.example.com", 1)
            .nameRecord("www.example.com", 5, 300, "web.example.com")
            .record("web.example.com", 1, 60, new byte[] {93, (byte) 184, (byte) 216, 34})
            .record("web.example.com", 28, 60, new byte[] {0x20, 0x01, 0x0d, (byte) 0xb8, 0, 0, 0, 0, 0, 0, 0, 0,
                0, 0, 0, 1})
            .bytes();
        parse(r, 1);
        assertEquals(0, m.events());
        assertTrue(m.isResponse());
        assertEquals(0, m.rcode());
        assertEquals(3, m.recordCount());
        assertEquals("www.example.com", text(m.recordName(0, s)));
        assertEquals(5, m.recordType(0));
        assertEquals(300, m.recordTtl(0));
        assertEquals("web.example.com", m.recordDataText(0));
        assertEquals("web.example.com", text(m.recordName(1, s)));
        assertEquals("93.184.216.34", m.recordDataText(1));
        assertEquals("2001:0db8:0000:0000:0000:0000:0000:0001", m.recordDataText(2));
        assertEquals(DnsMessage.ANSWER, m.recordSection(2));
        assertEquals("web.example.com", text(m.recordName(1, s)), "rdata decoding leaves the names alone");
    }

    @Test
    void theRootNameIsEmpty() {
        parse(new DnsWire().header(1, 0, 1, 0, 0, 0).question("", 2).bytes(), 0);
        assertEquals(0, m.events());
        assertEquals("", text(m.questionName(0, s)));
        assertEquals(2, m.questionType(0));
    }

    @Test
    void aShortHeaderIsMalformedAndHasNoHeader() {
        parse(new byte[] {1, 2, 3, 4, 5}, 0);
        assertFalse(m.hasHeader());
        assertTrue(m.has(DnsEvent.MALFORMED_DATA));
    }

    @Test
    void flagsGiveTheirEvents() {
        parse(new DnsWire().header(1, 0x8100, 1, 0, 0, 0).question("a.b", 1).bytes(), 0);
        assertEquals(DnsEvent.NOT_REQUEST.bit(), m.events());
        parse(new DnsWire().header(1, 0x0100, 1, 0, 0, 0).question("a.b", 1).bytes(), 1);
        assertEquals(DnsEvent.NOT_RESPONSE.bit(), m.events());
        parse(new DnsWire().header(1, 0x0140, 1, 0, 0, 0).question("a.b", 1).bytes(), 0);
        assertEquals(DnsEvent.Z_FLAG_SET.bit(), m.events());
        parse(new DnsWire().header(1, 0x7800, 1, 0, 0, 0).question("a.b", 1).bytes(), 0);
        assertEquals(DnsEvent.INVALID_OPCODE.bit(), m.events());
        assertEquals(15, m.opcode());
    }

    @Test
    void countsPastTheEndAreMalformedAndKeepWhatParsed() {
        byte[] b = new DnsWire().header(1, 0x0100, 2, 0, 0, 0).question("first.example", 1).bytes();
        parse(b, 0);
        assertTrue(m.has(DnsEvent.MALFORMED_DATA));
        assertEquals(1, m.questionCount());
        assertEquals("first.example", text(m.questionName(0, s)));

        byte[] rd = new DnsWire().header(1, 0x8180, 0, 1, 0, 0).name("x.y").u16(1).u16(1).u16(0).u16(0).u16(9)
            .raw(1, 2, 3).bytes();
        parse(rd, 1);
        assertTrue(m.has(DnsEvent.MALFORMED_DATA), "rdlength past the end");
        assertEquals(0, m.recordCount());
    }

    @Test
    void reservedLabelTypesAndPointersPastTheEndAreMalformed() {
        parse(new DnsWire().header(1, 0, 1, 0, 0, 0).raw(0x41, 'a', 0).u16(1).u16(1).bytes(), 0);
        assertTrue(m.has(DnsEvent.MALFORMED_DATA));
        parse(new DnsWire().header(1, 0, 1, 0, 0, 0).raw(0x80, 0).u16(1).u16(1).bytes(), 0);
        assertTrue(m.has(DnsEvent.MALFORMED_DATA));
        parse(new DnsWire().header(1, 0, 1, 0, 0, 0).u16(0xC000 | 400).u16(1).u16(1).bytes(), 0);
        assertTrue(m.has(DnsEvent.MALFORMED_DATA));
        parse(new DnsWire().header(1, 0, 1, 0, 0, 0).raw(5, 'a', 'b').bytes(), 0);
        assertTrue(m.has(DnsEvent.MALFORMED_DATA), "label past the end");
    }

    @Test
    void aPointerLoopIsAnInfiniteLoopAndTheNameSoFarIsKept() {
        // label "a" at 12, then a pointer back to 12: a.a.a.a... until the jump cap
        byte[] b = new DnsWire().header(1, 0, 1, 0, 0, 0).raw(1, 'a').u16(0xC000 | 12).u16(1).u16(1).bytes();
        parse(b, 0);
        assertTrue(m.has(DnsEvent.INFINITE_LOOP));
        assertFalse(m.has(DnsEvent.MALFORMED_DATA), "the record goes on after the first pointer");
        assertEquals(1, m.questionCount());
        assertEquals(1, m.questionType(0));
        String name = text(m.questionName(0, s));
        assertTrue(name.startsWith("a.a.a") && name.length() <= DnsParser.MAX_NAME, name);

        byte[] self = new DnsWire().header(1, 0, 1, 0, 0, 0).u16(0xC000 | 12).u16(1).u16(1).bytes();
        parse(self, 0);
        assertTrue(m.has(DnsEvent.INFINITE_LOOP));
        assertEquals("", text(m.questionName(0, s)));
    }

    @Test
    void longNamesAreCutAt255AndManyLabelsAreCounted() {
        String label = "x".repeat(63);
        String longName = label + "." + label + "." + label + "." + label + "." + label; // 319 bytes
        parse(new DnsWire().header(1, 0, 1, 0, 0, 0).question(longName, 16).bytes(), 0);
        assertTrue(m.has(DnsEvent.NAME_TOO_LONG));
        assertFalse(m.has(DnsEvent.MALFORMED_DATA));
        assertEquals(label + "." + label + "." + label + "." + label, text(m.questionName(0, s)));
        assertEquals(16, m.questionType(0), "the walk finds where the question goes on");

        List<String> labels = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            labels.add("b");
        }
        parse(new DnsWire().header(1, 0, 1, 0, 0, 0).question(String.join(".", labels), 28).bytes(), 0);
        assertTrue(m.has(DnsEvent.TOO_MANY_LABELS));
        assertEquals(28, m.questionType(0));
        assertEquals(DnsParser.MAX_LABELS * 2 - 1, m.questionName(0, s).length);
    }

    @Test
    void rdataOfUnknownTypesHasNoText() {
        parse(new DnsWire().header(1, 0x8180, 0, 2, 0, 0).record("t.example", 99, 5, new byte[] {1, 2})
            .record("t.example", 16, 5, new byte[] {3, 'a', 'b', 'c', 2, 'd', 'e'}).bytes(), 1);
        assertNull(m.recordDataText(0));
        assertEquals("abcde", m.recordDataText(1));
    }
}
