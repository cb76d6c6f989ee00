package io.judo.packet.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

/** Names are compressed to the longest suffix already written, and the section counts follow the records. */
class DnsMessageTest {
    @Test
    void compressesToTheLongestSuffixWritten() {
        byte[] m = new DnsMessage(0x1234, 0x8180).question("www.example.com", DnsMessage.A)
                .cname("www.example.com", 60, "edge.example.com").a("edge.example.com", 60, new byte[] {1, 2, 3, 4})
                .build();
        HexFormat hex = HexFormat.of();
        // header: id, flags, 1 question, 2 answers, no authority or additional
        assertEquals("123481800001000200000000", hex.formatHex(m, 0, 12));
        // the question's name in full at offset 12; "example.com" starts at 16
        assertEquals("03777777076578616d706c6503636f6d00", hex.formatHex(m, 12, 29));
        int answer = 12 + 17 + 4;
        assertArrayEquals(new byte[] {(byte) 0xc0, 0x0c}, Arrays.copyOfRange(m, answer, answer + 2), "owner: pointer");
        int rdata = answer + 2 + 10;
        // CNAME data: the label "edge", then a pointer to "example.com"; its RDLENGTH is 7
        assertEquals(7, m[rdata - 1]);
        assertEquals("0465646765c010", hex.formatHex(m, rdata, rdata + 7));
        // the A record's owner points at "edge.example.com" inside the CNAME's data
        assertEquals("c0" + Integer.toHexString(rdata), hex.formatHex(m, rdata + 7, rdata + 9));
        assertEquals(rdata + 9 + 10 + 4, m.length);
    }
}
