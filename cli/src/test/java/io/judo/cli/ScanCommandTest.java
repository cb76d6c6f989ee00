package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.testing.TsharkCounts;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScanCommandTest {
    @TempDir
    Path dir;

    private static void assertOneCleanLine(String err) {
        assertEquals(1, err.strip().lines().count(), err);
        assertFalse(err.contains("Exception") || err.contains("\tat "), "no stack trace: " + err);
    }

    private Path mix(String name, long packets) throws Exception {
        Path file = dir.resolve(name);
        try (OutputStream out = Files.newOutputStream(file)) {
            new TrafficGenerator(3).write(out, packets, Long.MAX_VALUE);
        }
        return file;
    }

    @Test
    void demoRunsWithNoArguments() {
        Run r = Run.judo("scan");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("demo.pcap (bundled)"), r.out());
        assertTrue(r.out().contains("packets    100"), r.out());
        assertTrue(r.out().contains("bad_tcp_checksum 1"), r.out());
        // HTTP over IPv4 and over IPv6, the TLS handshake, SSH and SMTP, both directions; the refused telnet carries none.
        assertTrue(r.out().contains("streams    12 TCP directions, 4,363 bytes reassembled, anomalies 0"), r.out());
        assertTrue(r.out().contains("tls        1 flows, 1 handshakes, 0 events"), r.out());
        assertEquals("", r.err());
    }

    /** The bundled demo's counts agree with tshark's reading of the same bytes. */
    @Test
    void demoCountsMatchTshark() throws Exception {
        Path demo = dir.resolve("demo.pcap");
        Files.write(demo, DemoCapture.bundled());
        Map<String, Long> tshark = TsharkCounts.of(demo);
        Run r = Run.judo("scan", "--json", demo.toString());
        assertEquals(0, r.status());
        for (Map.Entry<String, Long> e : tshark.entrySet()) {
            assertEquals(e.getValue().longValue(), r.json(e.getKey()), e.getKey());
        }
    }

    @Test
    void jsonHasTheDocumentedKeys() throws Exception {
        Path file = mix("mix.pcap", 2000);
        Run r = Run.judo("scan", "--json", file.toString());
        assertEquals(0, r.status(), r.err());
        for (String key : new String[] {"\"packets\":", "\"bytes\":", "\"flows\":", "\"malformed\":{",
            "\"protocols\":{", "\"malformed_packets\":", "\"packets_per_second\":", "\"gbits_per_second\":"}) {
            assertTrue(r.out().contains(key), key + " in " + r.out());
        }
        assertTrue(r.json("packets") >= 2000);
        assertTrue(r.json("flows") > 100);
        assertTrue(r.out().trim().startsWith("{") && r.out().trim().endsWith("}"));
    }

    @Test
    void notACaptureExitsTwoWithOneLine() throws Exception {
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "this is not a capture\n");
        Run r = Run.judo("scan", text.toString());
        assertEquals(2, r.status());
        assertOneCleanLine(r.err());
        assertTrue(r.err().contains(text.toString()) && r.err().contains("not a pcap or pcapng capture"), r.err());
        assertEquals("", r.out(), "no empty summary when nothing could be read");
    }

    @Test
    void missingAndUnreadableFilesExitTwo() throws Exception {
        Run missing = Run.judo("scan", dir.resolve("nope.pcap").toString());
        assertEquals(2, missing.status());
        assertOneCleanLine(missing.err());
        assertTrue(missing.err().contains("no such file"), missing.err());
        Run directory = Run.judo("scan", dir.toString());
        assertEquals(2, directory.status());
        assertOneCleanLine(directory.err());
    }

    @Test
    void truncatedLastRecordWarnsAndKeepsEverythingBefore() throws Exception {
        Path full = mix("full.pcap", 500);
        byte[] bytes = Files.readAllBytes(full);
        long packets = Run.judo("scan", "--json", full.toString()).json("packets");
        Path cut = dir.resolve("cut.pcap");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 10));
        Run r = Run.judo("scan", "--json", cut.toString());
        assertEquals(0, r.status(), "a cut-short last record is a warning");
        assertOneCleanLine(r.err());
        assertTrue(r.err().contains("warning") && r.err().contains("truncated") && r.err().contains("byte offset"),
                r.err());
        assertEquals(packets - 1, r.json("packets"));
        assertTrue(r.out().contains("\"status\":\"truncated\""));
    }

    @Test
    void aBadFileAmongGoodOnesLosesNothing() throws Exception {
        Path good = mix("good.pcap", 300);
        long packets = Run.judo("scan", "--json", good.toString()).json("packets");
        Path bad = dir.resolve("bad.pcap");
        Files.writeString(bad, "garbage");
        Run r = Run.judo("scan", "--json", good.toString(), bad.toString(), good.toString());
        assertEquals(2, r.status());
        assertEquals(2 * packets, r.json("packets"));
        assertOneCleanLine(r.err());
    }

    @Test
    void versionHelpAndUsageErrors() {
        Run v = Run.judo("--version");
        assertEquals(0, v.status());
        assertTrue(v.out().startsWith("judo 0."), v.out());
        Run help = Run.judo("scan", "--help");
        assertEquals(0, help.status());
        assertTrue(help.out().contains("Examples:") && help.out().contains("--json"), help.out());
        Run top = Run.judo("--help");
        // every subcommand listed, though a run that names one builds only its model (Judo.commandLine)
        for (String c : List.of("scan", "suricata", "inline", "rules", "compile", "journal", "filter", "grep", "streams",
                "http", "asm", "disasm", "verify", "generate", "help")) {
            assertTrue(top.out().contains("\n  " + c + " "), c + ": " + top.out());
        }
        Run helpScan = Run.judo("help", "scan");
        assertEquals(0, helpScan.status(), helpScan.err());
        assertTrue(helpScan.out().startsWith("Usage: judo scan"), helpScan.out());
        Run versionFirst = Run.judo("-V", "scan");
        assertTrue(versionFirst.out().startsWith("judo 0."), versionFirst.out() + versionFirst.err());
        // the version alone builds no subcommand's model; with a subcommand after it, that one only
        assertTrue(Judo.commandLine(new String[] {"--version"}).getSubcommands().isEmpty());
        assertEquals(java.util.Set.of("scan"), Judo.commandLine(new String[] {"-V", "scan"}).getSubcommands().keySet());
        assertEquals(15, Judo.commandLine(new String[] {"--help"}).getSubcommands().size());
        Run unknown = Run.judo("scna");
        assertEquals(2, unknown.status());
        assertTrue(unknown.err().contains("'scna'") && unknown.err().contains("judo --help"), unknown.err());
        Run bad = Run.judo("scan", "--frobnicate");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("Unknown option") && bad.err().contains("judo scan --help"), bad.err());
    }

    @Test
    void generateWritesWhatScanReads() throws Exception {
        Path out = dir.resolve("gen.pcap");
        Run g = Run.judo("generate", "--out", out.toString(), "--packets", "1000", "--seed", "9");
        assertEquals(0, g.status(), g.err());
        Run s = Run.judo("scan", "--json", out.toString());
        assertTrue(s.json("packets") >= 1000);
        Run badSize = Run.judo("generate", "--out", out.toString(), "--size", "lots");
        assertEquals(2, badSize.status());
        assertOneCleanLine(badSize.err());
    }
}
