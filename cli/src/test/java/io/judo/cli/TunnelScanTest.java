package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.Encapsulation;
import io.judo.packet.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rules see inside every tunnel: {@code judo generate --tunnels} carries HTTP connections through each encapsulation,
 * and a {@code http.uri} rule and a stream rule alert once per connection in each, with the inner endpoints tshark
 * dissects and, for tunnels, EVE's {@code tunnel} object naming tshark's outermost addresses.
 */
class TunnelScanTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void alertsInsideEveryTunnelNameTheirInnerAndOuterPackets() throws Exception {
        ExternalTools.require("tshark");
        Path pcap = dir.resolve("tunnels.pcap");
        Run g = Run.judo("generate", "--tunnels", "--packets", "900", "--out", pcap.toString());
        assertEquals(0, g.status(), g.err());
        Path rules = dir.resolve("t.rules");
        Files.writeString(rules, "alert http any any -> any any (msg:\"uri\"; flow:to_server,established; http.uri; "
                + "content:\"/tunnel/\"; sid:1; rev:1;)\n"
                + "alert tcp any any -> any 80 (msg:\"stream\"; flow:to_server,established; "
                + "content:\"User-Agent|3a| judo\"; sid:2; rev:1;)\n");
        Path eve = dir.resolve("eve.json");
        Path journal = dir.resolve("journal");
        Run r = Run.judo("scan", "--rules", rules.toString(), "--eve", eve.toString(), "--journal",
                journal.toString(), pcap.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("malformed  0 packets"), r.out());
        // the journal keeps each alert's line whole, its pkt_src and tunnel object too
        Run query = Run.judo("journal", "query", journal.toString(), "--format", "eve");
        assertEquals(0, query.status(), query.err());
        List<String> eveAlerts = Files.readAllLines(eve).stream().filter(l -> l.contains("\"event_type\":\"alert\""))
                .sorted().toList();
        assertEquals(eveAlerts, query.out().lines().sorted().toList());
        assertTrue(eveAlerts.stream().anyMatch(l -> l.contains("\"tunnel\":{")), "some alerts are tunnelled");

        // tshark: per request, the URI, the innermost and the outermost source address.
        Map<String, Integer> requests = new HashMap<>();
        Map<String, String> inner = new HashMap<>();
        Map<String, String> outer = new HashMap<>();
        for (String occurrence : List.of("l", "f")) {
            // The pseudowires' labels are named: tshark's MPLS heuristic misreads frames whose MAC starts 00:00.
            String out = ExternalTools.run("tshark", "-n", "-r", pcap.toString(), "-d", "mpls.label==100,pwethcw",
                    "-d", "mpls.label==101,pwethnocw", "-Y", "http.request", "-T",
                    "fields", "-E", "occurrence=" + occurrence, "-e", "http.request.uri", "-e", "ip.src", "-e",
                    "ipv6.src", "-e", "tcp.srcport");
            for (String line : out.strip().split("\n")) {
                String[] f = line.split("\t", -1);
                String kind = f[0].substring("/tunnel/".length());
                boolean innerV6 = Encapsulation.valueOf(kind).innerIpv6();
                if (occurrence.equals("l")) {
                    requests.merge(kind, 1, Integer::sum);
                    inner.put(kind + ":" + f[3], innerV6 ? f[2] : f[1]);
                } else {
                    boolean outerV6 = kind.equals("FOUR_IN_SIX") || kind.equals("SIX_IN_SIX");
                    outer.put(kind, outerV6 ? f[2] : f[1]);
                }
            }
        }
        assertEquals(Encapsulation.values().length, requests.size(), requests.toString());

        Map<String, Integer> uriAlerts = new HashMap<>();
        Map<String, Integer> streamAlerts = new HashMap<>();
        for (String line : Files.readAllLines(eve)) {
            Map<String, Object> e = (Map<String, Object>) Json.parse(line);
            if (!"alert".equals(e.get("event_type"))) {
                continue;
            }
            String printable = (String) e.get("payload_printable");
            int at = printable.indexOf("/tunnel/") + "/tunnel/".length();
            String kind = printable.substring(at).split("[ .]", 2)[0];
            Encapsulation k = Encapsulation.valueOf(kind);
            long sid = ((Number) ((Map<String, Object>) e.get("alert")).get("signature_id")).longValue();
            (sid == 1 ? uriAlerts : streamAlerts).merge(kind, 1, Integer::sum);
            assertEquals(inner.get(kind + ":" + e.get("src_port")), e.get("src_ip"), kind + ": inner source");
            Map<String, Object> tunnel = (Map<String, Object>) e.get("tunnel");
            if (k.tunnel()) {
                assertTrue(tunnel != null, kind + ": " + line);
                assertEquals(outer.get(kind), tunnel.get("src_ip"), kind + ": outer source");
                assertEquals(k == Encapsulation.GRE_IN_GRE ? 2 : 1, ((Number) tunnel.get("depth")).intValue(), kind);
                assertFalse(((String) e.get("pkt_src")).isEmpty());
            } else {
                assertNull(tunnel, kind + " is a link encapsulation: " + line);
            }
        }
        assertEquals(requests, uriAlerts, "one http.uri alert per request, in every encapsulation");
        assertEquals(requests, streamAlerts, "one stream alert per request, in every encapsulation");
    }
}
