package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.decode.LinkType;
import io.judo.packet.testing.ExternalTools;
import io.judo.packet.testing.Frames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --simulate-ips}, as Suricata's IPS mode behaves: the packet a drop or reject rule matches is dropped, and so
 * is every later packet of its flow, both ways, unseen by the rules. The oracle is tshark: per TCP or UDP stream, the
 * first frame carrying a trigger, and every frame of that stream from it on; the rest of the capture passes.
 */
class SimulateIpsTest {
    @TempDir
    Path dir;

    private static final String RULES = String.join("\n",
            "drop tcp any any -> any 80 (msg:\"evil\"; flow:to_server; content:\"EVIL\"; sid:1;)",
            "reject tcp any any -> any 80 (msg:\"worse\"; flow:to_server; content:\"WORSE\"; sid:2;)",
            "drop udp any any -> any any (msg:\"bad datagram\"; content:\"BADDGRAM\"; sid:3;)",
            "alert tcp any any -> any 80 (msg:\"after\"; flow:to_server; content:\"AFTER\"; sid:4;)",
            "alert tcp any 80 -> any any (msg:\"answer\"; flow:to_client; content:\"200 OK\"; sid:5;)", "");

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private Path capture() throws Exception {
        List<byte[]> frames = new ArrayList<>();
        String ok = "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n";
        int port = 40001;
        for (String[] requests : new String[][] {{"GET /fine HTTP/1.1\r\n\r\n"},
            {"GET /fine HTTP/1.1\r\n\r\n", "POST /EVIL HTTP/1.1\r\n\r\n", "GET /AFTER HTTP/1.1\r\n\r\n"},
            {"GET /WORSE HTTP/1.1\r\n\r\n"}, {"GET /AFTER HTTP/1.1\r\n\r\n"}}) {
            TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "10.0.0.1", port++, "10.0.0.80", 80,
                    1000L * port, 7L * port).clock(1_700_000_000_000_000_000L + port * 1_000_000_000L, 1_000_000L);
            c.handshake();
            for (String r : requests) {
                c.clientSends(ascii(r)).serverSends(ascii(ok));
            }
            c.close();
            c.frames().forEach(f -> frames.add(f.bytes()));
        }
        frames.add(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.53").udp(5000, 6000).payload("BADDGRAM").build());
        frames.add(PacketBuilder.ethernet().ipv4("10.0.0.53", "10.0.0.1").udp(6000, 5000).payload("reply").build());
        frames.add(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.54").udp(5001, 6000).payload("good").build());
        return Frames.writePcap(dir.resolve("ips.pcap"), LinkType.ETHERNET, frames);
    }

    /** tshark: the frames of each stream from its first trigger on (frame numbers, 1-based). */
    private static TreeSet<Integer> expectedDrops(Path pcap) throws Exception {
        TreeSet<Integer> drops = new TreeSet<>();
        Map<String, Integer> firstTrigger = new TreeMap<>();
        String out = ExternalTools.run("tshark", "-n", "-r", pcap.toString(), "-T", "fields", "-e", "frame.number",
                "-e", "tcp.stream", "-e", "udp.stream", "-e", "data.data", "-e", "tcp.payload");
        List<String[]> rows = new ArrayList<>();
        for (String line : out.strip().split("\n")) {
            String[] f = line.split("\t", -1);
            rows.add(f);
            String stream = f[1].isEmpty() ? "u" + f[2] : "t" + f[1];
            String hex = (f.length > 3 ? f[3] : "") + (f.length > 4 ? f[4] : "");
            String text = new String(java.util.HexFormat.of().parseHex(hex.replace(":", "")),
                    StandardCharsets.ISO_8859_1);
            if (text.contains("EVIL") || text.contains("WORSE") || text.contains("BADDGRAM")) {
                firstTrigger.putIfAbsent(stream, Integer.parseInt(f[0]));
            }
        }
        for (String[] f : rows) {
            String stream = f[1].isEmpty() ? "u" + f[2] : "t" + f[1];
            Integer at = firstTrigger.get(stream);
            if (at != null && Integer.parseInt(f[0]) >= at) {
                drops.add(Integer.parseInt(f[0]));
            }
        }
        assertEquals(3, firstTrigger.size(), firstTrigger.toString());
        return drops;
    }

    private static List<String> events(Path eve, String type) throws Exception {
        return Files.readAllLines(eve).stream().filter(l -> l.contains("\"event_type\":\"" + type + "\"")).toList();
    }

    @Test
    void dropAndRejectRulesDropTheirPacketAndTheRestOfTheFlow() throws Exception {
        ExternalTools.require("tshark");
        Path pcap = capture();
        Path rules = dir.resolve("ips.rules");
        Files.writeString(rules, RULES);
        TreeSet<Integer> drops = expectedDrops(pcap);

        // IDS (the default): every rule sees everything, nothing is dropped
        Path idsEve = dir.resolve("ids.json");
        Run ids = Run.judo("scan", "--rules", rules.toString(), "--eve", idsEve.toString(), pcap.toString());
        assertEquals(0, ids.status(), ids.err());
        assertTrue(ids.out().contains("[1:4:0] after") && ids.out().contains("alerts     11"), ids.out());
        assertTrue(!ids.out().contains("ips "), ids.out());

        // IPS: the later AFTER request of the dropped connection and the answers after a trigger are never seen
        Path eve = dir.resolve("ips.json");
        Run r = Run.judo("scan", "--simulate-ips", "--rules", rules.toString(), "--eve", eve.toString(),
                "--eve-types", "alert,flow,drop", pcap.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains(String.format("ips        simulated: %d packets dropped, 3 flows dropped",
                drops.size())), drops + "\n" + r.out());
        // alerts: evil, worse, bad datagram once each; the untouched connections' answers (3) and AFTER once
        assertTrue(r.out().contains("alerts     7"), r.out());
        assertTrue(r.out().contains("         1  [1:4:0] after"), r.out());
        List<String> dropLines = events(eve, "drop");
        assertEquals(drops.size(), dropLines.size());
        assertTrue(dropLines.get(0).contains("\"dest_port\":80") && dropLines.get(0).contains("\"psh\":true"),
                dropLines.get(0));
        List<String> dropped = events(eve, "flow").stream().filter(l -> l.contains("\"action\":\"drop\"")).toList();
        assertEquals(3, dropped.size(), dropped.toString());
        assertTrue(events(eve, "alert").stream().filter(l -> l.contains("\"action\":\"blocked\"")).count() == 3);

        // the JSON summary, and Suricata's command line with --simulate-ips runs the same scan
        Run json = Run.judo("scan", "--simulate-ips", "--json", "--rules", rules.toString(), pcap.toString());
        assertTrue(json.out().contains("\"ips\":{\"dropped_packets\":" + drops.size() + ",\"dropped_flows\":3}"),
                json.out());
        Files.createDirectory(dir.resolve("logs"));
        Run s = Run.judo("suricata", "--simulate-ips", "-r", pcap.toString(), "-S", rules.toString(), "-l",
                dir.resolve("logs").toString());
        assertEquals(0, s.status(), s.err());
        assertTrue(s.out().contains(String.format("ips        simulated: %d packets dropped", drops.size())),
                s.out());
    }
}
