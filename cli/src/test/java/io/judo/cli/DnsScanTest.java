package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo scan --eve} over a DNS exchange: the query line, the answer line and the alert carrying the dns
 * object, in that order of the packets, and the summary's dns line; {@code --eve-types alert} leaves the dns lines
 * out.
 */
class DnsScanTest {
    @TempDir
    Path dir;

    /** Query id 0x0102 for Evil.Example.com A, and its answer 93.184.216.34 (owner: a pointer to the question). */
    private static final byte[] QUERY = {1, 2, 1, 0, 0, 1, 0, 0, 0, 0, 0, 0,
        4, 'E', 'v', 'i', 'l', 7, 'E', 'x', 'a', 'm', 'p', 'l', 'e', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1};

    private static byte[] answer() {
        byte[] a = java.util.Arrays.copyOf(QUERY, QUERY.length + 16);
        a[2] = (byte) 0x81;
        a[3] = (byte) 0x80;
        a[7] = 1;
        byte[] rr = {(byte) 0xC0, 12, 0, 1, 0, 1, 0, 0, 0, 60, 0, 4, 93, (byte) 184, (byte) 216, 34};
        System.arraycopy(rr, 0, a, QUERY.length, rr.length);
        return a;
    }

    private Path capture() throws Exception {
        Path pcap = dir.resolve("dns.pcap");
        try (OutputStream out = Files.newOutputStream(pcap);
             PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535, false)) {
            byte[] q = PacketBuilder.ethernet().ipv4("192.168.1.5", "198.51.100.53").udp(40000, 53).payload(QUERY)
                    .build();
            byte[] a = PacketBuilder.ethernet().ipv4("198.51.100.53", "192.168.1.5").udp(53, 40000)
                    .payload(answer()).build();
            w.write(1_700_000_000_000_000_000L, q, 0, q.length, q.length);
            w.write(1_700_000_000_010_000_000L, a, 0, a.length, a.length);
        }
        return pcap;
    }

    @Test
    void scanWritesDnsRecordsAndAlertsWithTheDnsObject() throws Exception {
        Path rules = dir.resolve("dns.rules");
        Files.writeString(rules, "alert dns $HOME_NET any -> any any (msg:\"evil lookup\"; dns.query; "
                + "content:\"evil.example.com\"; nocase; endswith; sid:5; rev:1;)\n");
        Path eve = dir.resolve("eve.json");
        Run r = Run.judo("scan", "--rules", rules.toString(), "--eve", eve.toString(), capture().toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("dns        1 flows, 2 messages, 0 events"), r.out());
        // the alert and the two messages; then the flow's record at its end, which carries the DNS app_proto, and the
        // stats record
        List<String> lines = Files.readAllLines(eve);
        assertEquals(5, lines.size(), String.join("\n", lines));
        assertTrue(lines.get(4).contains("\"event_type\":\"stats\""), lines.get(4));
        assertTrue(lines.get(3).contains("\"event_type\":\"flow\"") && lines.get(3).contains("\"app_proto\":\"dns\"")
                && lines.get(3).contains("\"pkts_toserver\":1,\"pkts_toclient\":1"), lines.get(3));
        assertTrue(lines.get(0).contains("\"event_type\":\"alert\"") && lines.get(0).contains("\"signature_id\":5")
                && lines.get(0).contains("\"app_proto\":\"dns\",\"dns\":{\"query\":[{\"type\":\"query\",\"id\":258,"
                + "\"rrname\":\"Evil.Example.com\",\"rrtype\":\"A\",\"tx_id\":0,\"opcode\":0}]}"), lines.get(0));
        assertTrue(lines.get(1).contains("\"event_type\":\"dns\",\"src_ip\":\"192.168.1.5\",\"src_port\":40000")
                && lines.get(1).contains("\"dns\":{\"type\":\"query\",\"id\":258,\"rrname\":\"Evil.Example.com\""),
                lines.get(1));
        assertTrue(lines.get(2).contains("\"src_ip\":\"198.51.100.53\",\"src_port\":53")
                && lines.get(2).contains("\"type\":\"answer\"")
                && lines.get(2).contains("\"answers\":[{\"rrname\":\"Evil.Example.com\",\"rrtype\":\"A\",\"ttl\":60,"
                + "\"rdata\":\"93.184.216.34\"}]"), lines.get(2));

        Path alertsOnly = dir.resolve("alerts.json");
        Run a = Run.judo("scan", "--rules", rules.toString(), "--eve", alertsOnly.toString(), "--eve-types", "alert",
                capture().toString());
        assertEquals(0, a.status(), a.err());
        assertEquals(1, Files.readAllLines(alertsOnly).size());
    }
}
