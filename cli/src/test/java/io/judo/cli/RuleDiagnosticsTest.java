package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What a user sees when rule files, variables or the --rules arguments are wrong: one clear message per problem, and
 * scan refusing to run on rules with errors unless told to go on.
 */
class RuleDiagnosticsTest {
    @TempDir
    Path dir;

    private Path pcap;

    @BeforeEach
    void capture() throws Exception {
        pcap = dir.resolve("web.pcap");
        try (OutputStream out = Files.newOutputStream(pcap);
             PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535, false)) {
            byte[] f = PacketBuilder.ethernet().ipv4("192.168.1.5", "198.51.100.7").udp(40000, 80)
                    .payload("GET / HTTP/1.0\r\n").build();
            w.write(1_700_000_000_000_000_000L, f, 0, f.length, f.length);
        }
    }

    private Path rules(String name, String text) throws Exception {
        Path p = dir.resolve(name);
        Files.writeString(p, text, StandardCharsets.ISO_8859_1);
        return p;
    }

    private static long lines(String text, String part) {
        return text.lines().filter(l -> l.contains(part)).count();
    }

    @Test
    void aFlowbitThatOnlySkippedRulesSetIsWarnedOncePerBitInCheckAndScan() throws Exception {
        Path r = rules("fb.rules", """
                alert smb any any -> any any (msg:"sets, skipped"; flowbits:set,ET.login; flowbits:noalert; sid:1;)
                alert udp any any -> any 80 (msg:"needs login"; content:"GET"; flowbits:isset,ET.login; sid:2;)
                alert udp any any -> any 80 (msg:"needs login too"; content:"/"; flowbits:isset,ET.login; sid:3;)
                alert udp any any -> any 80 (msg:"fires"; content:"GET"; sid:4;)
                """);
        Run check = Run.judo("rules", "check", r.toString());
        assertEquals(0, check.status(), check.err());
        assertEquals(1, lines(check.err(), "flowbit 'ET.login' is checked but not set"), check.err());
        assertTrue(check.err().contains("judo: warning: flowbit 'ET.login' is checked but not set (checked in 1:2 "
                + "and 1 other rules)"), check.err());
        assertTrue(check.out().startsWith("3 rules loaded (2 can never fire: a flow bit they check is never set), "
                + "1 skipped, 0 errors"), check.out());
        Run scan = Run.judo("scan", "--rules", r.toString(), pcap.toString());
        assertEquals(0, scan.status(), scan.err());
        assertEquals(1, lines(scan.err(), "flowbit 'ET.login' is checked but not set"), scan.err());
        assertTrue(scan.out().contains("rules      3 loaded (2 can never fire: unset flow bits)"), scan.out());
        assertTrue(scan.out().contains("alerts     1"), scan.out());
    }

    @Test
    void aTypoIsAnErrorThatStopsScanUnlessToldToSkipBadRules() throws Exception {
        Path r = rules("typo.rules", """
                alert udp any any -> any 80 (msg:"typo"; conten:"GET"; sid:1;)
                alert udp any any -> any 80 (msg:"good"; content:"GET"; sid:2;)
                alert udp any any -> any 80 (msg:"run-on" content:"nothing-like-this"; sid:3;)
                """);
        Run check = Run.judo("rules", "check", r.toString());
        assertEquals(1, check.status());
        assertTrue(check.out().startsWith("1 rules loaded, 0 skipped, 2 errors"), check.out());
        assertTrue(check.err().contains("typo.rules:1:42: unknown keyword 'conten' (no Suricata or Snort keyword); "
                + "did you mean 'content'?"), check.err());
        assertTrue(check.err().contains("typo.rules:3:43: missing ';' after the quoted value of 'msg'"),
                check.err());
        Run scan = Run.judo("scan", "--rules", r.toString(), pcap.toString());
        assertEquals(2, scan.status(), scan.out());
        assertTrue(scan.err().contains("judo: 2 rules with errors (above): fix them, or pass --skip-bad-rules"),
                scan.err());
        assertFalse(scan.out().contains("alerts"), scan.out());
        Run skip = Run.judo("scan", "--skip-bad-rules", "--rules", r.toString(), pcap.toString());
        assertEquals(0, skip.status(), skip.err());
        assertTrue(skip.out().contains("rules      1 loaded, 0 skipped (unsupported keywords), 2 with errors"),
                skip.out());
        assertTrue(skip.out().contains("alerts     1"), skip.out());
        assertTrue(Run.judo("scan", "--help").out().contains("--skip-bad-rules"));
    }

    @Test
    void aCaptureGivenAsRulesIsOneLineNotAnEchoOfBinary() {
        Run r = Run.judo("scan", "--rules", pcap.toString(), pcap.toString());
        assertEquals(2, r.status());
        assertEquals("judo: " + pcap + ": not a text rules file (looks like a pcap capture)", r.err().strip());
        Run check = Run.judo("rules", "check", pcap.toString());
        assertEquals(2, check.status());
        assertEquals(1, check.err().lines().count(), check.err());
    }

    @Test
    void aBadVariableIsReportedOnceWithACaretWhateverUsesIt() throws Exception {
        StringBuilder many = new StringBuilder();
        for (int i = 1; i <= 50; i++) {
            many.append("alert udp $HOME_NET any -> $EXTERNAL_NET 80 (msg:\"r").append(i).append("\"; sid:").append(i)
                    .append(";)\n");
        }
        Path r = rules("many.rules", many.toString());
        Run check = Run.judo("rules", "check", "--set", "HOME_NET=[10.0.0.0/8,bogus]", r.toString());
        assertEquals(2, check.status());
        assertEquals("judo: --set: $HOME_NET: bad address 'bogus'\n    HOME_NET=[10.0.0.0/8,bogus]\n"
                + "                         ^", check.err().strip());
        Run scan = Run.judo("scan", "--set", "HOME_NET=[10.0.0.0/8,bogus]", "--rules", r.toString(), pcap.toString());
        assertEquals(2, scan.status());
        assertEquals(1, lines(scan.err(), "judo: "), scan.err());
    }

    @Test
    void aMalformedOrNonUtf8VarsFileNamesTheLine() throws Exception {
        Path r = rules("one.rules", "alert udp $HOME_NET any -> any 80 (msg:\"x\"; sid:1;)\n");
        Path yaml = dir.resolve("vars.yaml");
        Files.writeString(yaml, "%YAML 1.1\n---\nvars:\n  address-groups:\n    HOME_NET: \"[10.0.0.0/8]\"\n"
                + "    EXTERNAL_NET \"any\"\n");
        Run bad = Run.judo("rules", "check", "--vars", yaml.toString(), r.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().startsWith("judo: " + yaml + ":6:5: expected NAME: value\n"), bad.err());
        Files.write(yaml, "vars:\n  address-groups:\n    HOME_NET: \"caf\u00e9\"\n".getBytes(StandardCharsets.ISO_8859_1));
        Run bin = Run.judo("rules", "check", "--vars", yaml.toString(), r.toString());
        assertEquals(2, bin.status());
        assertEquals("judo: " + yaml + ": line 3, column 19: byte 0xe9 is not UTF-8 (save the file as UTF-8)",
                bin.err().strip());
        Files.writeString(yaml, "vars:\n  address-groups:\n    HOME_NET: \"[10.0.0.0/8]\"  # ours\n"
                + "  port-groups:\n    HTTP_PORTS: '[80,8080]'\n");
        Run good = Run.judo("rules", "check", "--vars", yaml.toString(), r.toString());
        assertEquals(0, good.status(), good.err());
        Files.writeString(yaml, "vars:\n  address-groups:\n    HOME_NET: \"[10.0.0.0/8,!bogus]\"\n");
        Run value = Run.judo("rules", "check", "--vars", yaml.toString(), r.toString());
        assertEquals(2, value.status());
        assertTrue(value.err().startsWith("judo: " + yaml + ":3:29: $HOME_NET: bad address 'bogus'\n"), value.err());
    }

    @Test
    void rulesTakesSeveralFilesAndDirectoriesAndLeavesTheCaptures() throws Exception {
        Path a = rules("a.rules", "alert udp any any -> any 80 (msg:\"a\"; content:\"GET\"; sid:1;)\n");
        Path b = rules("b.txt", "# no .rules name, but rules inside\nalert udp any any -> any 80 (msg:\"b\"; "
                + "content:\"HTTP\"; sid:2;)\n");
        Path set = Files.createDirectory(dir.resolve("set"));
        Files.writeString(set.resolve("c.rules"), "alert udp any any -> any 80 (msg:\"c\"; content:\"/\"; sid:3;)\n");
        Files.writeString(set.resolve("notes.txt"), "not rules");
        Run r = Run.judo("scan", "--rules", a.toString(), b.toString(), set.toString(), pcap.toString(),
                pcap.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("rules      3 loaded"), r.out());
        assertTrue(r.out().contains("alerts     6"), r.out());
        Run repeated = Run.judo("scan", "--rules", a.toString(), "--rules", set.toString(), pcap.toString());
        assertTrue(repeated.out().contains("rules      2 loaded"), repeated.out());
        Run empty = Run.judo("scan", "--rules", Files.createDirectory(dir.resolve("none")).toString(),
                pcap.toString());
        assertEquals(2, empty.status());
        assertTrue(empty.err().contains("a directory with no *.rules files"), empty.err());
        Run hint = Run.judo("scan", a.toString());
        assertEquals(2, hint.status());
        assertTrue(hint.err().contains("(it looks like a rules file: did you mean --rules " + a + "?)"),
                hint.err());
    }

    @Test
    void ruleCommandsShowExamplesAndCheckListsNoRulesOption() {
        Run check = Run.judo("rules", "check", "--help");
        assertFalse(check.out().contains("--rules"), check.out());
        assertTrue(check.out().contains("Examples:"), check.out());
        assertTrue(check.out().contains("FILE|DIR"), check.out());
        Run compile = Run.judo("compile", "--help");
        assertTrue(compile.out().contains("Examples:") && compile.out().contains("--rules=FILE|DIR"), compile.out());
    }

    @Test
    void aThresholdFileTunesTheAlertsAndABadOneStopsTheScanWithACaret() throws Exception {
        Path r = rules("get.rules", """
                alert udp any any -> any 80 (msg:"get"; content:"GET"; sid:1;)
                alert udp any any -> any 80 (msg:"slash"; content:"/"; sid:2;)
                """);
        Run plain = Run.judo("scan", "--json", "--rules", r.toString(), pcap.toString());
        assertEquals(0, plain.status(), plain.err());
        assertEquals(2, plain.json("total"));
        Path t = rules("threshold.config", """
                # the client's network is trusted for sid 1
                suppress gen_id 1, sig_id 1, track by_src, ip 192.168.0.0/16
                suppress gen_id 1, sig_id 77
                """);
        Run tuned = Run.judo("scan", "--json", "--rules", r.toString(), "--threshold-file", t.toString(),
                pcap.toString());
        assertEquals(0, tuned.status(), tuned.err());
        assertEquals(1, tuned.json("total"), tuned.out());
        assertTrue(tuned.err().contains("judo: warning: " + t + ":3: no loaded rule has gen_id 1, sig_id 77"),
                tuned.err());
        assertTrue(tuned.err().contains("judo: " + t + ": 0 thresholds, 2 suppressions, 0 rate filters"), tuned.err());
        Path bad = rules("bad.config", "rate_filter gen_id 1, sig_id 1, track by_src, count 1, seconds 1, "
                + "new_action maybe, timeout 1\n");
        Run refused = Run.judo("scan", "--rules", r.toString(), "--threshold-file", bad.toString(), pcap.toString());
        assertEquals(2, refused.status());
        assertEquals("judo: " + bad + ":1:78: new_action 'maybe' (alert, drop, pass or reject)\n"
                + "    rate_filter gen_id 1, sig_id 1, track by_src, count 1, seconds 1, new_action maybe, timeout 1\n"
                + "    " + " ".repeat(77) + "^\n"
                + "judo: " + bad + ": 1 bad line (above)", refused.err().strip());
        Run missing = Run.judo("rules", "check", "--threshold-file", dir.resolve("none").toString(), r.toString());
        assertEquals(2, missing.status());
        assertEquals("judo: " + dir.resolve("none") + ": no such file", missing.err().strip());
    }
}
