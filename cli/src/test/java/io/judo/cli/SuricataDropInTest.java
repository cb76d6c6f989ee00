package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.Encapsulation;
import io.judo.packet.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo suricata} takes Suricata's offline command line and {@code -c suricata.yaml}: the same alerts as the
 * {@code judo scan} it stands for; the YAML's vars, rule files, classification file, reassembly depth and eve-log
 * act; every key Judo does not use is one warning naming its line; bad YAML and bad values name theirs.
 */
class SuricataDropInTest {
    @TempDir
    Path dir;
    Path pcap;

    private static final String YAML = """
            %YAML 1.1
            ---
            vars:
              address-groups:
                HOME_NET: "[10.1.0.0/16]"
                EXTERNAL_NET: "!$HOME_NET"
              port-groups:
                HTTP_PORTS: "80"
            default-log-dir: /var/log/suricata/
            outputs:
              - fast:
                  enabled: yes
              - eve-log:
                  enabled: yes
                  filetype: regular
                  filename: alerts.json
                  types:
                    - alert:
                        tagged-packets: yes
                    - flow
                    - netflow
            stream:
              checksum-validation: no
              reassembly:
                depth: DEPTH
            default-rule-path: rules
            rule-files:
              - local.rules
            classification-file: classification.config
            """;

    @BeforeEach
    void capture() throws Exception {
        pcap = dir.resolve("tunnels.pcap");
        Run g = Run.judo("generate", "--tunnels", "--packets", "700", "--out", pcap.toString());
        assertEquals(0, g.status(), g.err());
        Files.createDirectories(dir.resolve("rules"));
        Files.writeString(dir.resolve("rules/local.rules"), "alert http $HOME_NET any -> any any (msg:\"uri\"; "
                + "flow:to_server,established; http.uri; content:\"/tunnel/\"; classtype:trojan-activity; sid:1;)\n"
                + "alert tcp any any -> any 80 (msg:\"agent\"; flow:to_server,established; content:\"User-Agent|3a| "
                + "judo\"; sid:2;)\n");
        Files.writeString(dir.resolve("classification.config"),
                "config classification: trojan-activity,A Network Trojan was detected,1\n");
        Files.createDirectories(dir.resolve("logs"));
    }

    private Path yaml(String depth) throws Exception {
        Path y = dir.resolve("suricata.yaml");
        Files.writeString(y, YAML.replace("DEPTH", depth));
        return y;
    }

    private static List<String> alerts(Path eve) throws Exception {
        return Files.readAllLines(eve).stream().filter(l -> l.contains("\"event_type\":\"alert\"")).toList();
    }

    private static long count(List<String> alerts, String sid) {
        return alerts.stream().filter(l -> l.contains("\"signature_id\":" + sid + ",")).count();
    }

    @Test
    void suricataCommandLineWritesTheAlertsOfTheScanItStandsFor() throws Exception {
        Path rules = dir.resolve("rules/local.rules");
        Run s = Run.judo("suricata", "-r", pcap.toString(), "-S", rules.toString(), "-k", "none", "-l",
                dir.resolve("logs").toString(), "--runmode", "single", "-v");
        assertEquals(0, s.status(), s.err());
        Path eve = dir.resolve("scan.json");
        Run r = Run.judo("scan", "--rules", rules.toString(), "--no-checksum-validation", "--eve", eve.toString(),
                pcap.toString());
        assertEquals(0, r.status(), r.err());
        List<String> viaSuricata = alerts(dir.resolve("logs/eve.json"));
        assertEquals(alerts(eve), viaSuricata);
        assertTrue(count(viaSuricata, "1") > 0 && count(viaSuricata, "2") > 0, viaSuricata.toString());
    }

    @Test
    void yamlVarsRuleFilesClassificationDepthAndEveLogAct() throws Exception {
        ExternalTools.require("tshark");
        // The oracle: tshark's HTTP requests, by the kind each URI names; HOME_NET covers the IPv4 clients only.
        long requests = 0;
        long fromIpv4 = 0;
        for (String uri : ExternalTools.run("tshark", "-n", "-r", pcap.toString(), "-d", "mpls.label==100,pwethcw",
                "-d", "mpls.label==101,pwethnocw", "-Y", "http.request", "-T", "fields", "-e", "http.request.uri")
                .strip().split("\n")) {
            requests++;
            if (!Encapsulation.valueOf(uri.substring("/tunnel/".length())).innerIpv6()) {
                fromIpv4++;
            }
        }
        Path y = yaml("1mb");
        Run s = Run.judo("suricata", "-r", pcap.toString(), "-c", y.toString(), "-l", dir.resolve("logs").toString());
        assertEquals(0, s.status(), s.err());
        List<String> a = alerts(dir.resolve("logs/alerts.json")); // the eve-log's filename
        assertEquals(fromIpv4, count(a, "1"), "uri alerts: only HOME_NET's clients");
        assertEquals(requests, count(a, "2"), "agent alerts: every request");
        String uri = a.stream().filter(l -> l.contains("\"signature_id\":1,")).findFirst().orElseThrow();
        assertTrue(uri.contains("\"category\":\"A Network Trojan was detected\""), uri);
        assertTrue(s.err().contains("suricata.yaml:9: default-log-dir: not used by judo"), s.err());
        assertTrue(s.err().contains("suricata.yaml:11: outputs.fast: not used by judo"), s.err());
        assertTrue(s.err().contains("suricata.yaml:21: outputs.eve-log.types: netflow: not written by judo"),
                s.err());
        // the eve-log's types decide what is written: alerts and flow records, no http records
        List<String> eveLines = Files.readAllLines(dir.resolve("logs/alerts.json"));
        assertTrue(eveLines.stream().anyMatch(l -> l.contains("\"event_type\":\"flow\"")), "flow records");
        assertFalse(eveLines.stream().anyMatch(l -> l.contains("\"event_type\":\"http\"")), "no http records");
        assertTrue(s.out().contains("checksums  off"), s.out());

        // --set overrides a variable and a key, as Suricata's --set does.
        Run any = Run.judo("suricata", "-r", pcap.toString(), "-c", y.toString(), "-l", dir.resolve("logs").toString(),
                "--set", "vars.address-groups.HOME_NET=[10.0.0.0/8,2001:db8::/32]");
        assertEquals(0, any.status(), any.err());
        assertEquals(requests, count(alerts(dir.resolve("logs/alerts.json")), "1"), "HOME_NET now covers every client");
        Run cut = Run.judo("suricata", "-r", pcap.toString(), "-c", y.toString(), "-l", dir.resolve("logs").toString(),
                "--set", "stream.reassembly.depth=30");
        assertEquals(0, cut.status(), cut.err());
        assertEquals(0, count(alerts(dir.resolve("logs/alerts.json")), "2"), "User-Agent lies past a 30-byte depth");
        // and the YAML's own depth can be the culprit too
        Run shallow = Run.judo("scan", "-c", yaml("40").toString(), "--eve", dir.resolve("d.json").toString(),
                pcap.toString());
        assertEquals(0, shallow.status(), shallow.err());
        assertEquals(0, count(alerts(dir.resolve("d.json")), "2"));
    }

    /**
     * {@code defrag.timeout}: a datagram whose second fragment comes 5 s after its first is rebuilt (and its content,
     * which spans the two, alerts) under Suricata's default of 60 s, and dropped under a 2 s timeout; set in the YAML
     * or with --set. The table's sizing keys are read and named as unused; a bad value is one line.
     */
    @Test
    void defragTimeoutDecidesWhetherLateFragmentsAreRebuilt() throws Exception {
        byte[] data = ("0123456789abcdefghijklmnopqrstuvwxyzABCDEF" + "SPLIT|MARK" + "0123456789").getBytes(
                java.nio.charset.StandardCharsets.US_ASCII);
        List<byte[]> frags = io.judo.packet.build.PacketBuilder.ethernet().ipv4("10.1.0.5", "192.0.2.9")
                .fragment(0, false, 4242).udp(40000, 9999).payload(data).buildFragments(56);
        assertEquals(2, frags.size(), "the mark spans the two fragments (56 bytes: the UDP header and 48 of data)");
        Path late = dir.resolve("late.pcap");
        try (java.io.OutputStream o = Files.newOutputStream(late)) {
            io.judo.packet.capture.PcapWriter w = new io.judo.packet.capture.PcapWriter(o,
                    io.judo.packet.decode.LinkType.ETHERNET, 65535, false);
            long t = 1_700_000_000_000_000_000L;
            w.write(t, frags.get(0), 0, frags.get(0).length, frags.get(0).length);
            w.write(t + 5_000_000_000L, frags.get(1), 0, frags.get(1).length, frags.get(1).length);
            w.close();
        }
        Path rules = Files.writeString(dir.resolve("frag.rules"),
                "alert udp any any -> any 9999 (msg:\"whole datagram\"; content:\"SPLIT|7c|MARK\"; sid:7;)\n");
        Path y = Files.writeString(dir.resolve("defrag.yaml"), "%YAML 1.1\n---\ndefrag:\n  memcap: 32mb\n"
                + "  trackers: 65535\n  timeout: 2\n");
        Path eve = dir.resolve("frag.json");
        Run byDefault = Run.judo("scan", "--rules", rules.toString(), "--eve", eve.toString(), late.toString());
        assertEquals(0, byDefault.status(), byDefault.err());
        assertEquals(1, count(alerts(eve), "7"), "60 s: the late fragment completes the datagram");
        Run shortTimeout = Run.judo("scan", "-c", y.toString(), "--rules", rules.toString(), "--eve", eve.toString(),
                late.toString());
        assertEquals(0, shortTimeout.status(), shortTimeout.err());
        assertEquals(0, count(alerts(eve), "7"), "2 s: the first fragment timed out before the second came");
        assertTrue(shortTimeout.err().contains("defrag.yaml:5: defrag.trackers: read, not used by judo"),
                shortTimeout.err());
        Run set = Run.judo("scan", "-c", y.toString(), "--set", "defrag.timeout=10", "--rules", rules.toString(),
                "--eve", eve.toString(), late.toString());
        assertEquals(0, set.status(), set.err());
        assertEquals(1, count(alerts(eve), "7"), "--set's 10 s overrides the file's 2 s");
        Run bad = Run.judo("scan", "--set", "defrag.timeout=soon", "--rules", rules.toString(), late.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, bad.status());
        assertTrue(bad.err().contains("defrag.timeout: expected a number, got 'soon'"), bad.err());
        assertFalse(bad.err().contains("\tat "), bad.err());
    }

    @Test
    void badYamlBadValuesAndUnknownOptionsAreOneLineEach() throws Exception {
        Path broken = dir.resolve("broken.yaml");
        Files.writeString(broken, "vars:\n  address-groups:\n    HOME_NET: \"[10.0.0.0/8]\"\nstream: [unclosed\n");
        Run r = Run.judo("scan", "-c", broken.toString(), pcap.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().contains("broken.yaml:") && r.err().contains("not YAML"), r.err());
        assertTrue(!r.err().contains("\tat "), r.err());

        Run depth = Run.judo("scan", "-c", yaml("lots").toString(), pcap.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, depth.status());
        assertTrue(depth.err().contains("suricata.yaml:25: stream.reassembly.depth: expected a size such as 1mb, got "
                + "'lots'"), depth.err());

        Run unknown = Run.judo("suricata", "-r", pcap.toString(), "--af-packet");
        assertEquals(Judo.EXIT_BAD_INPUT, unknown.status());
        assertEquals(1, unknown.err().strip().lines().count(), unknown.err());
        assertTrue(unknown.err().contains("--af-packet is not one judo reads"), unknown.err());

        Run noDir = Run.judo("suricata", "-r", pcap.toString(), "-l", dir.resolve("nowhere").toString());
        assertEquals(Judo.EXIT_BAD_INPUT, noDir.status());
        assertTrue(noDir.err().contains("no such directory"), noDir.err());
    }

    /**
     * host-os-policy picks each server's overlap policy: a later segment ("XXXXX" at offset 4) arrives first, then
     * one from offset 0 ("GET /evil") overlaps it with other bytes. A Windows receiver keeps the newer bytes (the
     * reassembled stream says "GET /evil"), a Vista receiver the older ones ("GET XXXXX"), as Suricata's policy
     * table says; a rule for each reading alerts only for the server whose policy gives it.
     */
    @Test
    void hostOsPolicyChoosesEachServersReading() throws Exception {
        List<byte[]> frames = new java.util.ArrayList<>();
        for (String server : List.of("10.7.0.1", "10.8.0.1")) {
            java.util.function.Function<Boolean, io.judo.packet.build.PacketBuilder> from = c -> c
                    ? io.judo.packet.build.PacketBuilder.ethernet().ipv4("10.9.0.2", server).tcp(40000, 80)
                    : io.judo.packet.build.PacketBuilder.ethernet().ipv4(server, "10.9.0.2").tcp(80, 40000);
            frames.add(from.apply(true).seq(100).flags(0x02).build());
            frames.add(from.apply(false).seq(500).ack(101).flags(0x12).build());
            frames.add(from.apply(true).seq(101).ack(501).flags(0x10).build());
            frames.add(from.apply(true).seq(105).ack(501).flags(0x18).payload("XXXXX").build());
            frames.add(from.apply(true).seq(101).ack(501).flags(0x18).payload("GET /evil").build());
            frames.add(from.apply(false).seq(501).ack(110).flags(0x10).build());
            frames.add(from.apply(true).seq(110).ack(501).flags(0x11).build());
            frames.add(from.apply(false).seq(501).ack(111).flags(0x11).build());
            frames.add(from.apply(true).seq(111).ack(502).flags(0x10).build());
        }
        Path overlap = io.judo.packet.testing.Frames.writePcap(dir.resolve("overlap.pcap"),
                io.judo.packet.decode.LinkType.ETHERNET, frames);
        Path rules = dir.resolve("overlap.rules");
        Files.writeString(rules, "alert tcp any any -> any 80 (msg:\"newer\"; content:\"GET /evil\"; sid:11;)\n"
                + "alert tcp any any -> any 80 (msg:\"older\"; content:\"GET XXXXX\"; sid:12;)\n");
        Path y = dir.resolve("hosts.yaml");
        Files.writeString(y, "host-os-policy:\n  windows: [10.7.0.0/16]\n  vista: [10.8.0.0/16]\n");
        Path eve = dir.resolve("overlap.json");
        Run r = Run.judo("scan", "-c", y.toString(), "--rules", rules.toString(), "--eve", eve.toString(),
                overlap.toString());
        assertEquals(0, r.status(), r.err());
        List<String> a = alerts(eve);
        assertEquals(2, a.size(), String.join("\n", a));
        assertTrue(a.stream().anyMatch(l -> l.contains("\"signature_id\":11,") && l.contains("\"10.7.0.1\"")),
                a.toString());
        assertTrue(a.stream().anyMatch(l -> l.contains("\"signature_id\":12,") && l.contains("\"10.8.0.1\"")),
                a.toString());
    }
}
