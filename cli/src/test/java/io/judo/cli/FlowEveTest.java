package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.testing.ExternalTools;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EVE {@code flow} records against tshark: for every TCP and UDP conversation tshark dissects (innermost addresses,
 * so a GRE tunnel's inner connection is its own), the client is the sender of its first packet (a SYN, or any
 * datagram), and Judo's records of it carry the same packets, captured bytes and or-ed TCP flags per direction, and
 * the same first and last packet times. Conversations with IP fragments are left out (tshark counts a datagram at
 * its last fragment, Judo at its reassembly).
 */
class FlowEveTest {
    @TempDir
    Path dir;

    /** One conversation's side of the comparison, from either tool. */
    private static final class Totals {
        String client;
        long[] packets = new long[2];
        long[] bytes = new long[2];
        int[] flags = new int[2];
        BigDecimal start;
        BigDecimal end;

        @Override
        public String toString() {
            return "client " + client + " packets " + packets[0] + "/" + packets[1] + " bytes " + bytes[0] + "/"
                    + bytes[1] + " flags " + flags[0] + "/" + flags[1] + " " + start + ".." + end;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Totals && toString().equals(o.toString());
        }

        @Override
        public int hashCode() {
            return toString().hashCode();
        }
    }

    private static String key(String proto, String a, String b) {
        return proto + " " + (a.compareTo(b) < 0 ? a + " " + b : b + " " + a);
    }

    private static String endpoint(String ip, String port) {
        return (ip.contains(":") ? "[" + ip + "]" : ip) + ":" + port;
    }

    /** tshark's frames summed per conversation; fragmented conversations are left out. */
    private static Map<String, Totals> tshark(Path pcap) throws Exception {
        String out = ExternalTools.run("tshark", "-n", "-r", pcap.toString(), "-Y", "tcp or udp", "-T", "fields",
                "-E", "occurrence=l", "-e", "frame.cap_len", "-e", "frame.time_epoch", "-e", "ip.src", "-e", "ip.dst",
                "-e", "ipv6.src", "-e", "ipv6.dst", "-e", "tcp.srcport", "-e", "tcp.dstport", "-e", "udp.srcport",
                "-e", "udp.dstport", "-e", "tcp.flags", "-e", "ip.flags.mf", "-e", "ip.frag_offset");
        Map<String, Totals> all = new TreeMap<>();
        Set<String> fragmented = new HashSet<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.split("\t", -1);
            boolean v6 = f[2].isEmpty();
            boolean tcp = !f[6].isEmpty();
            String src = endpoint(v6 ? f[4] : f[2], tcp ? f[6] : f[8]);
            String dst = endpoint(v6 ? f[5] : f[3], tcp ? f[7] : f[9]);
            String k = key(tcp ? "TCP" : "UDP", src, dst);
            if ("1".equals(f[11]) || (!f[12].isEmpty() && !"0".equals(f[12]))) {
                fragmented.add(k);
            }
            Totals t = all.computeIfAbsent(k, x -> new Totals());
            if (t.client == null) {
                t.client = src;
            }
            int dir = src.equals(t.client) ? 0 : 1;
            t.packets[dir]++;
            t.bytes[dir] += Long.parseLong(f[0]);
            if (tcp) {
                t.flags[dir] |= Integer.decode(f[10]) & 0xFF;
            }
            BigDecimal time = new BigDecimal(f[1]).setScale(6, java.math.RoundingMode.FLOOR);
            t.start = t.start == null ? time : t.start.min(time);
            t.end = t.end == null ? time : t.end.max(time);
        }
        fragmented.forEach(all::remove);
        return all;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Totals> judo(Path eve, Set<String> keep) throws Exception {
        Map<String, Totals> all = new TreeMap<>();
        for (String line : Files.readAllLines(eve)) {
            Map<String, Object> e = (Map<String, Object>) Json.parse(line);
            if (!"flow".equals(e.get("event_type"))) {
                continue;
            }
            String proto = (String) e.get("proto");
            if (!proto.equals("TCP") && !proto.equals("UDP")) {
                continue;
            }
            String client = endpoint((String) e.get("src_ip"), e.get("src_port").toString());
            String server = endpoint((String) e.get("dest_ip"), e.get("dest_port").toString());
            String k = key(proto, client, server);
            if (!keep.contains(k)) {
                continue;
            }
            Map<String, Object> flow = (Map<String, Object>) e.get("flow");
            Totals t = all.computeIfAbsent(k, x -> new Totals());
            t.client = client;
            String[] dirs = {"toserver", "toclient"};
            for (int d = 0; d < 2; d++) {
                t.packets[d] += ((Number) flow.get("pkts_" + dirs[d])).longValue();
                t.bytes[d] += ((Number) flow.get("bytes_" + dirs[d])).longValue();
            }
            if (proto.equals("TCP")) {
                Map<String, Object> tcp = (Map<String, Object>) e.get("tcp");
                t.flags[0] |= Integer.parseInt((String) tcp.get("tcp_flags_ts"), 16);
                t.flags[1] |= Integer.parseInt((String) tcp.get("tcp_flags_tc"), 16);
            }
            BigDecimal start = seconds((String) flow.get("start"));
            BigDecimal end = seconds((String) flow.get("end"));
            t.start = t.start == null ? start : t.start.min(start);
            t.end = t.end == null ? end : t.end.max(end);
        }
        return all;
    }

    private static BigDecimal seconds(String eveTime) {
        java.time.OffsetDateTime t = java.time.OffsetDateTime.parse(eveTime,
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx"));
        return BigDecimal.valueOf(t.toEpochSecond()).add(BigDecimal.valueOf(t.getNano(), 9)).setScale(6);
    }

    private void agreeWithTshark(Path pcap, String... options) throws Exception {
        Path eve = dir.resolve(pcap.getFileName() + ".json");
        List<String> args = new java.util.ArrayList<>(List.of("scan", "--eve", eve.toString(), "--eve-types",
                "alert,flow"));
        args.addAll(List.of(options));
        args.add(pcap.toString());
        Run r = Run.judo(args.toArray(new String[0]));
        assertEquals(0, r.status(), r.err());
        Map<String, Totals> expected = tshark(pcap);
        assertTrue(expected.size() >= 8, expected.toString());
        assertEquals(expected, judo(eve, expected.keySet()));
    }

    @Test
    void theDemosFlowsAgreeWithTshark() throws Exception {
        ExternalTools.require("tshark");
        Path demo = dir.resolve("demo.pcap");
        assertEquals(0, Run.judo("generate", "--demo", "--out", demo.toString()).status());
        // its one TCP segment with a damaged checksum counts in its flow as tshark counts it
        agreeWithTshark(demo, "--checksum-validation", "off");
    }

    @Test
    void anApplicationMixsFlowsAgreeWithTshark() throws Exception {
        ExternalTools.require("tshark");
        Path apps = dir.resolve("apps.pcap");
        assertEquals(0, Run.judo("generate", "--apps", "--packets", "8000", "--seed", "3", "--out", apps.toString())
                .status());
        agreeWithTshark(apps);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theStatsRecordEndsTheLogWithTsharksCounts() throws Exception {
        ExternalTools.require("tshark");
        Path tunnels = dir.resolve("tunnels.pcap");
        assertEquals(0, Run.judo("generate", "--tunnels", "--packets", "600", "--out", tunnels.toString()).status());
        Path eve = dir.resolve("tunnels.json");
        Run r = Run.judo("scan", "--eve", eve.toString(), tunnels.toString());
        assertEquals(0, r.status(), r.err());
        List<String> lines = Files.readAllLines(eve);
        Map<String, Object> last = (Map<String, Object>) Json.parse(lines.get(lines.size() - 1));
        assertEquals("stats", last.get("event_type"));
        Map<String, Object> decoder = (Map<String, Object>) ((Map<String, Object>) last.get("stats")).get("decoder");
        Map<String, Long> tshark = io.judo.packet.testing.TsharkCounts.of(tunnels, "-d", "mpls.label==100,pwethcw",
                "-d", "mpls.label==101,pwethnocw");
        assertEquals(tshark.get("packets"), ((Number) decoder.get("pkts")).longValue());
        // Suricata's names: icmpv4 is tshark's icmp; every tunnel kind has its counter
        Map<String, String> names = Map.of("ethernet", "ethernet", "ipv4", "ipv4", "ipv6", "ipv6", "tcp", "tcp",
                "gre", "gre", "vxlan", "vxlan", "geneve", "geneve", "mpls", "mpls", "pppoe", "pppoe", "teredo",
                "teredo");
        for (Map.Entry<String, String> n : names.entrySet()) {
            assertEquals(tshark.getOrDefault(n.getKey(), 0L), ((Number) decoder.get(n.getValue())).longValue(),
                    n.getKey());
        }
        assertTrue(((Number) decoder.get("gre")).longValue() > 0, decoder.toString());
        long flows = lines.stream().filter(l -> l.contains("\"event_type\":\"flow\"")).count();
        assertEquals(flows, ((Number) ((Map<String, Object>) ((Map<String, Object>) last.get("stats"))
                .get("flow")).get("total")).longValue(), "a flow record per flow");
    }

    @Test
    @SuppressWarnings("unchecked")
    void aRecordSaysHowTheFlowEndedAndWhetherItAlerted() throws Exception {
        Path eve = dir.resolve("demo.json");
        Run r = Run.judo("scan", "--eve", eve.toString());
        assertEquals(0, r.status(), r.err());
        Map<String, Map<String, Object>> bySrcPort = new TreeMap<>();
        for (String line : Files.readAllLines(eve)) {
            Map<String, Object> e = (Map<String, Object>) Json.parse(line);
            if ("flow".equals(e.get("event_type")) && e.get("src_port") != null) {
                bySrcPort.put(e.get("src_port").toString(), e);
            }
        }
        // the demo's telnet attempt: a SYN refused by a RST, alerted by its rule, still tracked at the capture's end
        Map<String, Object> telnet = bySrcPort.get("49153");
        Map<String, Object> flow = (Map<String, Object>) telnet.get("flow");
        assertEquals("closed", flow.get("state"));
        assertEquals("shutdown", flow.get("reason"));
        assertEquals(Boolean.TRUE, flow.get("alerted"));
        assertEquals(Map.of("tcp_flags", "16", "tcp_flags_ts", "02", "tcp_flags_tc", "14", "syn", true, "rst", true,
                "ack", true), telnet.get("tcp"));
        // HTTP, detected by content, with its app_proto; the SSH connection alerted too
        assertEquals("http", bySrcPort.get("49152").get("app_proto"));
        assertEquals("ssh", bySrcPort.get("49170").get("app_proto"));
        // the DNS exchange: both ways seen, a UDP flow is established
        Map<String, Object> dns = bySrcPort.get("53000");
        assertEquals("dns", dns.get("app_proto"));
        assertEquals("established", ((Map<String, Object>) dns.get("flow")).get("state"));
    }
}
