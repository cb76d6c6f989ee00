package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo scan --workers N}: one worker (the partition on the reading thread) is the oracle; with 2 and 4 workers
 * the same alerts (EVE lines as a multiset), the same summary counts and the same journal records, on generated
 * traffic with fragments, IPv6, VLANs and thousands of flows, and on a shared real capture.
 */
class WorkersTest {
    private static final String RULES = String.join("\n",
            "alert tcp any any -> any any (msg:\"item\"; flow:to_server,established; content:\"GET /item/1\"; sid:1;)",
            "alert tcp any any -> any any (msg:\"lorem\"; flow:to_client; content:\"dolor sit amet 9\"; sid:2;)",
            "alert udp any any -> any 53 (msg:\"dns\"; content:\"|01 00|\"; offset:2; depth:2; sid:3;)",
            "alert icmp any any -> any any (msg:\"echo\"; itype:8; sid:4;)",
            "alert tcp any any -> any 80 (msg:\"set\"; flow:to_server; content:\"GET\"; flowbits:set,got; "
                    + "flowbits:noalert; sid:6;)",
            "alert tcp any 80 -> any any (msg:\"isset\"; flow:to_client; content:\"200\"; flowbits:isset,got; sid:7;)",
            "alert udp any any -> any any (msg:\"big\"; dsize:>1400; sid:8;)",
            "alert dns any any -> any any (msg:\"dns rule\"; dns.query; content:\"x\"; sid:9;)",
            "alert tcp any any -> any any (msg:\"HTTP\"; content:\"HTTP/1.\"; sid:10;)") + "\n";

    @TempDir
    static Path dir;
    static Path capture;
    static Path rules;

    @BeforeAll
    static void traffic() throws IOException {
        capture = dir.resolve("mix.pcap");
        assertEquals(0, Run.judo("generate", "--out", capture.toString(), "--packets", "30000", "--seed", "17").status());
        rules = Files.writeString(dir.resolve("w.rules"), RULES);
    }

    /** Sorted EVE lines of a scan with {@code workers}, plus its summary without the lines that time the run. */
    private static List<String> scan(Path pcap, int workers, Path journal) throws IOException {
        Path eve = dir.resolve("eve-" + workers + ".json");
        Run r = Run.judo("scan", "--workers", String.valueOf(workers), "--rules", rules.toString(), "--eve",
                eve.toString(), "--journal", journal.toString(), pcap.toString());
        assertEquals(0, r.status(), r.err());
        Stream<String> summary = r.out().lines().filter(l -> !l.startsWith("elapsed") && !l.startsWith("workers")
                        // each worker's appender names a rule once itself: more RULE records, the same others
                        && !l.startsWith("journal"))
                .map(l -> l.replace(eve.toString(), "EVE").replace(journal.toString(), "JOURNAL"));
        try (Stream<String> lines = Files.lines(eve)) {
            return Stream.concat(lines.sorted(), summary).toList();
        }
    }

    /** The journal's records as EVE lines, sorted (workers append concurrently; RULE records name rules once each). */
    private static List<String> journal(Path journal) {
        Run q = Run.judo("journal", "query", journal.toString(), "--format", "eve");
        assertEquals(0, q.status(), q.err());
        return q.out().lines().sorted().toList();
    }

    /** Equal lists, or the first line where they part (EVE lines are long: the whole lists would bury it). */
    private static void assertSameLines(List<String> expected, List<String> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++) {
            assertEquals(expected.get(i), actual.get(i), what + ", line " + i);
        }
        assertEquals(expected.size(), actual.size(), what + ": line count");
    }

    @Test
    void twoAndFourWorkersAlertAsOne() throws IOException {
        Path j1 = dir.resolve("j1");
        List<String> one = scan(capture, 1, j1);
        assertTrue(one.stream().filter(l -> l.startsWith("{")).count() > 1000, "the mix alerts often");
        List<String> oneJournal = journal(j1);
        assertTrue(oneJournal.size() > 1000);
        for (int workers : new int[] {2, 4}) {
            Path jn = dir.resolve("j" + workers);
            assertSameLines(one, scan(capture, workers, jn), workers + " workers");
            assertSameLines(oneJournal, journal(jn), workers + " workers' journal");
        }
    }

    /**
     * A rewriting policy (a replacement that grows segments past the MTU, a blocked port, TOS set) with {@code --write}:
     * the capture written with 2 and 4 workers is byte for byte the one written with one, and so is the summary.
     */
    @Test
    void aRewrittenCaptureIsTheSameBytesWithAnyNumberOfWorkers() throws IOException {
        Path policy = Files.writeString(dir.resolve("rw.judo"), String.join("\n",
                "match proto tcp from any port 80 replace \"dolor sit amet 7\" with \"DOLOR-SIT-AMET-SEVEN\"",
                "block quick proto udp from any to any port 7000",
                "pass proto tcp from any to any port 443 set tos 16") + "\n");
        byte[] one = null;
        String oneSummary = null;
        for (int workers : new int[] {1, 2, 4}) {
            Path out = dir.resolve("rw-" + workers + ".pcap");
            Run r = Run.judo("scan", "--workers", String.valueOf(workers), "--rules", policy.toString(), "--write",
                    out.toString(), capture.toString());
            assertEquals(0, r.status(), r.err());
            String summary = r.out().lines().filter(l -> !l.startsWith("elapsed") && !l.startsWith("workers"))
                    .map(l -> l.replace(out.toString(), "OUT")).reduce("", (a, b) -> a + b + "\n");
            byte[] bytes = Files.readAllBytes(out);
            if (one == null) {
                one = bytes;
                oneSummary = summary;
                assertTrue(summary.contains("replacements") && !summary.contains(" 0 replacements"), summary);
            } else {
                assertTrue(java.util.Arrays.equals(one, bytes), workers + " workers wrote other bytes");
                assertEquals(oneSummary, summary);
            }
        }
    }

    /**
     * The shared Ethernet captures one after the other, twice: the clock jumps years forward and back, and every flow
     * comes again. A flow table that saw only its worker's packets would keep flows another worker's packets had
     * aged out, and take the second pass for retransmissions; the workers age their flows by every packet's time (a
     * sharded reader by the packets it skips, the reader-and-rings path by clock ticks), so the checks, the alerts and
     * the written capture are one worker's.
     */
    @Test
    void aClockThatJumpsAgesEveryWorkersFlowsAlike() throws IOException {
        Path jumping = dir.resolve("jumping.pcap");
        List<Path> shared = io.judo.packet.testing.SharedData.captures().stream()
                .filter(p -> !p.equals(io.judo.packet.testing.SharedData.ABSENT))
                .filter(p -> p.toString().endsWith(".pcap") && !p.toString().contains("nflog")).toList();
        org.junit.jupiter.api.Assumptions.assumeFalse(shared.isEmpty(), "shared captures beside the checkout");
        try (java.io.OutputStream out = Files.newOutputStream(jumping)) {
            io.judo.packet.capture.PcapWriter w = new io.judo.packet.capture.PcapWriter(out,
                    io.judo.packet.decode.LinkType.ETHERNET, 262_144, true);
            io.judo.packet.capture.PacketRecord r = new io.judo.packet.capture.PacketRecord();
            for (int pass = 0; pass < 2; pass++) {
                for (Path p : shared) {
                    try (io.judo.packet.capture.CaptureReader in = io.judo.packet.capture.Captures.open(p)) {
                        while (in.next(r) == io.judo.packet.capture.ReadStatus.RECORD) {
                            if (r.linkType() == io.judo.packet.decode.LinkType.ETHERNET) {
                                w.write(r);
                            }
                        }
                    }
                }
            }
            w.close();
        }
        List<String> one = scan(jumping, 1, dir.resolve("jump-1"));
        assertTrue(one.stream().anyMatch(l -> l.startsWith("checks")), one.toString());
        assertSameLines(one, scan(jumping, 2, dir.resolve("jump-2")), "2 sharded readers");
        byte[] bytes = Files.readAllBytes(jumping);
        for (int workers : new int[] {1, 3}) { // standard input: one reader and rings, ticks carrying the clock
            Path eve = dir.resolve("jump-stdin-" + workers + ".json");
            java.io.InputStream saved = System.in;
            Run r;
            try {
                System.setIn(new java.io.ByteArrayInputStream(bytes));
                r = Run.judo("scan", "--workers", String.valueOf(workers), "--rules", rules.toString(), "--eve",
                        eve.toString(), "-");
            } finally {
                System.setIn(saved);
            }
            assertEquals(0, r.status(), r.err());
            String checks = r.out().lines().filter(l -> l.startsWith("checks")).findFirst().orElseThrow();
            assertTrue(one.contains(checks), "stdin, " + workers + " workers: " + checks);
        }
    }

    @Test
    void theSummarySaysHowManyWorkersRan() {
        Run r = Run.judo("scan", "--workers", "3", "--rules", rules.toString(), "--json", capture.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(3, r.json("workers"));
        Run text = Run.judo("scan", "--workers", "3", "--rules", rules.toString(), capture.toString());
        assertTrue(text.out().contains("workers    3, flows sharded by their address pair"), text.out());
    }

    static List<Path> sharedCaptures() throws IOException {
        return io.judo.packet.testing.SharedData.captures();
    }

    @org.junit.jupiter.params.ParameterizedTest(name = "{0}")
    @org.junit.jupiter.params.provider.MethodSource("sharedCaptures")
    void sharedCapturesAlertAlikeOnTwoWorkers(Path real) throws IOException {
        io.judo.packet.testing.SharedData.present(real);
        String name = real.getFileName().toString();
        assertSameLines(scan(real, 1, dir.resolve(name + "-1")), scan(real, 2, dir.resolve(name + "-2")), name);
    }

    @Test
    void aWorkerCountOutOfRangeIsAClearError() {
        Run r = Run.judo("scan", "--workers", "0", "--rules", rules.toString(), capture.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().contains("--workers: between 1 and 256, got 0"), r.err());
    }
}
