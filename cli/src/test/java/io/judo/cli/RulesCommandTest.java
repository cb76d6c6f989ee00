package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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

/** The rule commands from the command line: scan --rules with EVE, rules check, compile, and their bad input. */
class RulesCommandTest {
    @TempDir
    Path dir;

    @Test
    void demoShowsAlertsFromItsBundledRules() {
        Run r = Run.judo("scan");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("rules      14 loaded"), r.out());
        assertTrue(r.out().contains("alerts     15"), r.out());
        // byte keywords: the answer's flags word has the response bit, one answer, and its TTL is 0x00000e10 = 3600
        assertTrue(r.out().contains("[1:9000007:1] JUDO DEMO DNS answer cached for an hour or more"), r.out());
        assertTrue(r.out().contains("[1:9000006:1] JUDO DEMO upload body over IPv6"), r.out());
        // HTTP: the request's method, normalized URI and host; the response's status, server and decoded body
        assertTrue(r.out().contains("http       3 flows, 3 transactions, 0 events"), r.out());
        assertTrue(r.out().contains("[1:9000008:1] JUDO DEMO HTTP GET of /index.html"), r.out());
        assertTrue(r.out().contains("[1:9000009:1] JUDO DEMO HTML page served by Apache"), r.out());
        assertTrue(r.out().contains("[1:9000010:1] JUDO DEMO upload body over IPv6 read as the request body"), r.out());
        // SSH's parsed banner, and SMTP's envelope and decoded attachment
        assertTrue(r.out().contains("ssh        1 flows, 0 handshakes, 0 events"), r.out());
        assertTrue(r.out().contains("smtp       1 flows, 1 mails, 0 events"), r.out());
        assertTrue(r.out().contains("[1:9000012:1] JUDO DEMO SSH client software"), r.out());
        assertTrue(r.out().contains("[1:9000013:1] JUDO DEMO mail to example.net with an attachment"), r.out());
        // the inner HTTP request of a GRE tunnel is its own flow, inspected like any other
        assertTrue(r.out().contains("[1:9000014:1] JUDO DEMO HTTP request inside a GRE tunnel"), r.out());
    }

    @Test
    void scanWritesSuricataEveLines() throws Exception {
        Path pcap = dir.resolve("t.pcap");
        try (OutputStream out = Files.newOutputStream(pcap);
             PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535, false)) {
            byte[] f = PacketBuilder.ethernet().ipv4("192.168.1.5", "198.51.100.7").udp(40000, 53)
                    .payload("\u0000\u0001\u0003www\u0007example\u0003com\u0000").build();
            w.write(1_700_000_000_123_456_000L, f, 0, f.length, f.length);
        }
        Path rules = dir.resolve("t.rules");
        Files.writeString(rules, "alert udp $HOME_NET any -> any 53 (msg:\"dns example\"; content:\"|07|example\"; "
                + "classtype:misc-activity; priority:2; sid:77; rev:3;)\n"
                + "alert udp any any -> any 53 (msg:\"skipped\"; mdns.queries.rrname; content:\"x\"; sid:78;)\n");
        Path eve = dir.resolve("eve.json");
        Run r = Run.judo("scan", "--rules", rules.toString(), "--eve", eve.toString(), pcap.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.err().contains("1 rules skipped"), r.err());
        // beside the alert, EVE has a flow record per flow (Suricata's default eve-log types)
        List<String> lines = Files.readAllLines(eve).stream().filter(l -> l.contains("\"event_type\":\"alert\""))
                .toList();
        assertEquals(1, lines.size());
        String line = lines.get(0);
        for (String part : new String[] {"\"timestamp\":\"2023-11-14T22:13:20.123456+0000\"", "\"event_type\":\"alert\"",
            "\"src_ip\":\"192.168.1.5\"", "\"src_port\":40000", "\"dest_ip\":\"198.51.100.7\"", "\"dest_port\":53",
            "\"proto\":\"UDP\"", "\"action\":\"allowed\"", "\"gid\":1", "\"signature_id\":77", "\"rev\":3",
            "\"signature\":\"dns example\"", "\"category\":\"misc-activity\"", "\"severity\":2", "\"flow_id\":"}) {
            assertTrue(line.contains(part), part + " missing in " + line);
        }
    }

    @Test
    void rulesCheckReportsErrorsWithCaretsAndSkipsByKeyword() throws Exception {
        Path rules = dir.resolve("mixed.rules");
        Files.writeString(rules, "alert tcp any any -> any 80 (msg:\"ok\"; content:\"a\"; sid:1;)\n"
                + "alert tcp any any -> any 80 (msg:\"bad\"; content:\"a|zz|\"; sid:2;)\n"
                + "alert mdns any any -> any any (msg:\"app\"; sid:3;)\n");
        Run r = Run.judo("rules", "check", rules.toString());
        assertEquals(1, r.status());
        assertTrue(r.out().startsWith("1 rules loaded, 1 skipped, 1 errors"), r.out());
        assertTrue(r.out().contains("protocol mdns"), r.out());
        assertTrue(r.err().contains("mixed.rules:2:52: 'z' is not a hex digit"), r.err());
        assertTrue(r.err().contains("^"), r.err());
        Run strict = Run.judo("rules", "check", "--strict", rules.toString());
        assertTrue(strict.out().startsWith("1 rules loaded, 0 skipped, 2 errors"), strict.out());
        Run missing = Run.judo("rules", "check", dir.resolve("nope.rules").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().startsWith("judo: ") && missing.err().contains("no such file"), missing.err());
        assertFalse(missing.err().contains("Exception"), missing.err());
    }

    @Test
    void compilePrintsTheListingTracedToRules() throws Exception {
        Path rules = dir.resolve("c.rules");
        Files.writeString(rules, "alert tcp any any -> any 80 (msg:\"web\"; content:\"GET\"; sid:5;)\n");
        Run r = Run.judo("compile", "--rules", rules.toString(), "--disasm", "--matcher", "dfa");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("stream hook: 1 rules"), r.out());
        assertTrue(r.out().contains("c.rules:1 sid 1:5:0 \"web\"\n.rule 5\n"), r.out());
        // the rule's chain is VM code, each keyword's code headed by it
        assertTrue(r.out().contains("    ; content:\"GET\"\n"), r.out());
        assertTrue(r.out().contains("call find"), r.out());
        assertFalse(r.out().contains("call inspect"), r.out());
    }

    @Test
    void demoAlsoRunsItsJudoPolicy() {
        Run r = Run.judo("scan");
        assertTrue(r.out().contains("policy     demo.judo: 7 rules; 95 passed, 2 blocked, 1 rejected, 2 fragments"),
                r.out());
        // the SSH, mail and TLS connections come from one client within a minute: the third is past 2/60
        assertTrue(r.out().contains("limits    1 packet(s) dropped by state limits (max-src-conn-rate 1), 4 state(s) "
                + "flushed"), r.out());
        assertTrue(r.out().contains("overload  <fast_clients>: 1 address 192.168.1.10"), r.out());
        assertTrue(r.out().contains("tags      packets tagged APACHE"), r.out());
        assertTrue(r.out().contains("queues    web "), r.out());
    }

    @Test
    void scanRunsAJudoPolicyAndLogsToEve() throws Exception {
        Path pcap = dir.resolve("p.pcap");
        try (OutputStream out = Files.newOutputStream(pcap);
             PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535, false)) {
            byte[] telnet = PacketBuilder.ethernet().ipv4("192.168.1.5", "10.0.0.23").tcp(40000, 23)
                    .flags(PacketBuilder.TcpFlags.SYN).build();
            byte[] dns = PacketBuilder.ethernet().ipv4("192.168.1.5", "192.168.1.1").udp(40001, 53).payload("q").build();
            w.write(1_700_000_000_000_000_000L, telnet, 0, telnet.length, telnet.length);
            w.write(1_700_000_001_000_000_000L, dns, 0, dns.length, dns.length);
        }
        Path policy = dir.resolve("p.judo");
        Files.writeString(policy, "queue dns rate 1M prio 5\nblock quick log proto tcp from any to any port 23\n"
                + "pass proto udp from any to any port domain set queue dns\n");
        Path eve = dir.resolve("eve.json");
        Run r = Run.judo("scan", "--rules", policy.toString(), "--eve", eve.toString(), pcap.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("p.judo: 2 rules; 1 passed, 1 blocked, 0 rejected"), r.out());
        assertTrue(r.out().contains("queues    dns 1 packets"), r.out());
        // beside the alert, EVE has a flow record per flow (Suricata's default eve-log types)
        List<String> lines = Files.readAllLines(eve).stream().filter(l -> l.contains("\"event_type\":\"alert\""))
                .toList();
        assertEquals(1, lines.size());
        assertTrue(lines.get(0).contains("\"action\":\"blocked\"") && lines.get(0).contains("\"dest_port\":23")
                && lines.get(0).contains("p.judo:2 block quick log"), lines.get(0));
    }

    @Test
    void aJudoPolicyWithErrorsIsNotLoaded() throws Exception {
        Path policy = dir.resolve("bad.judo");
        Files.writeString(policy, "pass proto tcp from any to any port 99999\n");
        Run r = Run.judo("scan", "--rules", policy.toString());
        assertEquals(2, r.status());
        assertTrue(r.err().contains("bad.judo:1:37: bad port '99999'"), r.err());
        assertTrue(r.err().contains("1 errors; policy not loaded"), r.err());
        Run check = Run.judo("rules", "check", policy.toString());
        assertEquals(1, check.status());
        Run lang = Run.judo("rules", "check", "--lang", "suricata", policy.toString());
        assertTrue(lang.err().contains("unknown protocol 'proto'"), lang.err() + lang.out());
    }
}
