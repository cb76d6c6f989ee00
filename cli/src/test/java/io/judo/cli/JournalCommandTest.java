package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code judo scan --journal} and {@code judo journal stats/query/tail} end to end. */
class JournalCommandTest {
    private static final Pattern SID = Pattern.compile("\"signature_id\":(\\d+)");

    @TempDir
    Path dir;

    private static Map<String, Integer> bySid(List<String> lines) {
        Map<String, Integer> counts = new TreeMap<>();
        for (String line : lines) {
            Matcher m = SID.matcher(line);
            if (m.find()) {
                counts.merge(m.group(1), 1, Integer::sum);
            }
        }
        return counts;
    }

    @Test
    void theJournalAgreesWithTheEveOutputOfTheSameRun() throws Exception {
        Path pcap = dir.resolve("mix.pcap");
        assertEquals(0, Run.judo("generate", "--packets", "3000", "--seed", "11", "--out", pcap.toString()).status());
        Path rules = dir.resolve("r.rules");
        Files.writeString(dir.resolve("classification.config"),
                "config classification: web-application-activity,Access to a potentially vulnerable web app,2\n");
        Files.writeString(rules, String.join("\n",
                "alert tcp any any -> any any (msg:\"syn\"; flags:S; sid:1;)",
                "alert tcp any any -> any any (msg:\"banner\"; flow:to_client; content:\"Server|3a| Apache\"; "
                        + "classtype:web-application-activity; sid:2;)",
                "drop udp any any -> any 53 (msg:\"dns\"; priority:1; sid:3;)",
                "alert icmp any any -> any any (msg:\"echo\"; itype:8; sid:4;)", ""));
        Path eve = dir.resolve("eve.json");
        Path journal = dir.resolve("journal");
        // IPS mode: the drop rule's alerts are drops in EVE ("blocked") and in the journal
        Run scan = Run.judo("scan", "--simulate-ips", "--rules", rules.toString(), "--eve", eve.toString(),
                "--journal", journal.toString(), pcap.toString());
        assertEquals(0, scan.status(), scan.err());
        Map<String, Integer> fromEve = bySid(Files.readAllLines(eve));
        assertTrue(fromEve.size() == 4, "every rule must alert: " + fromEve);
        Run query = Run.judo("journal", "query", journal.toString(), "--format", "eve");
        assertEquals(0, query.status(), query.err());
        assertEquals(fromEve, bySid(query.out().lines().toList()), "journal vs EVE, counts by sid");
        // one writer: each alert is the same line in both (category, severity, stream, payload_printable included);
        // workers interleave their flows' lines, each output in its own order
        // (the EVE file also has an http line per transaction, which the journal does not record)
        List<String> eveLines = Files.readAllLines(eve).stream().filter(l -> l.contains("\"event_type\":\"alert\""))
                .toList();
        assertEquals(eveLines.stream().sorted().toList(), query.out().lines()
                .filter(l -> l.contains("\"event_type\":\"alert\"")).sorted().toList());
        assertTrue(eveLines.stream().anyMatch(l -> l.contains("\"signature_id\":2,")
                && l.contains("\"category\":\"Access to a potentially vulnerable web app\",\"severity\":2}")
                && l.contains("\"stream\":1") && l.contains("\"payload_printable\":")), "a stream alert in full");
        assertTrue(eveLines.stream().anyMatch(l -> l.contains("\"signature_id\":3,")
                && l.contains("\"action\":\"blocked\"") && l.contains("\"severity\":1}")), "a drop");

        Run stats = Run.judo("journal", "stats", journal.toString(), "--json");
        assertEquals(0, stats.status(), stats.err());
        int total = fromEve.values().stream().mapToInt(Integer::intValue).sum();
        assertTrue(stats.out().contains("\"events\":" + total), stats.out());
        assertTrue(stats.out().contains("\"drop\":" + fromEve.get("3")), stats.out());
        assertTrue(stats.out().contains("\"msg\":\"banner\""), stats.out());

        Run drops = Run.judo("journal", "query", journal.toString(), "--type", "drop", "--format", "csv");
        assertEquals(fromEve.get("3") + 1, drops.out().lines().count(), "header plus one line per drop");
        assertTrue(drops.out().lines().skip(1).allMatch(l -> l.contains(",drop,1,3,") && l.endsWith(",dns")),
                drops.out());
        Run oneSid = Run.judo("journal", "query", journal.toString(), "--sid", "4", "--format", "json");
        assertEquals((long) fromEve.get("4"), oneSid.out().lines().count());
        assertTrue(oneSid.out().lines().allMatch(l -> l.contains("\"signature_id\":4")), oneSid.out());
        Run none = Run.judo("journal", "query", journal.toString(), "--until", "1970-01-02T00:00:00Z");
        assertEquals("", none.out());
        Run tail = Run.judo("journal", "tail", journal.toString(), "-n", "3");
        assertEquals(3, tail.out().lines().count(), tail.out());
    }

    @Test
    void addressFiltersSelectByPrefix() throws Exception {
        Path journal = dir.resolve("j");
        assertEquals(0, Run.judo("scan", "--journal", journal.toString()).status());
        Run v6 = Run.judo("journal", "query", journal.toString(), "--src", "2001:db8::/32");
        assertEquals(3, v6.out().lines().count(), "the upload's stream alert, its request body, one more: " + v6.out());
        Run toHost = Run.judo("journal", "query", journal.toString(), "--dst", "10.0.0.23/32");
        assertTrue(toHost.out().lines().allMatch(l -> l.contains("-> 10.0.0.23:23")), toHost.out());
        assertEquals(2, toHost.out().lines().count(), "the telnet alert and the policy's drop");
    }

    @Test
    void badInputIsOneLine() throws Exception {
        Run missing = Run.judo("journal", "stats", dir.resolve("nope").toString());
        assertEquals(2, missing.status());
        assertTrue(missing.err().startsWith("judo: ") && missing.err().contains("no such journal directory"),
                missing.err());
        Files.writeString(dir.resolve("x.txt"), "not a journal");
        Run foreign = Run.judo("journal", "query", dir.toString());
        assertEquals(2, foreign.status());
        assertTrue(foreign.err().contains("not a journal"), foreign.err());
        Path journal = dir.resolve("j");
        Run.judo("scan", "--journal", journal.toString());
        assertEquals(2, Run.judo("journal", "query", journal.toString(), "--type", "nope").status());
        assertEquals(2, Run.judo("journal", "query", journal.toString(), "--since", "yesterday").status());
        assertEquals(2, Run.judo("journal", "query", journal.toString(), "--format", "xml").status());
    }

    /** Every journal subcommand's --help shows examples, and each example parses as the command it shows. */
    @Test
    void everyJournalHelpHasExamplesThatParse() {
        for (String sub : new String[] {"stats", "query", "report", "tail", ""}) {
            Run help = sub.isEmpty() ? Run.judo("journal", "--help") : Run.judo("journal", sub, "--help");
            assertEquals(0, help.status(), help.err());
            String out = help.out();
            assertTrue(out.contains("Examples:"), sub + ": " + out);
            List<String> examples = out.substring(out.indexOf("Examples:")).lines()
                    .filter(l -> l.startsWith("  judo journal " + sub)).toList();
            assertTrue(!examples.isEmpty(), sub + ": " + out);
            assertTrue(out.substring(out.indexOf("Examples:")).lines().skip(1).allMatch(l -> l.startsWith("  judo ")),
                    "no example wraps: " + out);
            for (String example : examples) {
                String command = example.trim().split("\\s{2,}|\\s[|>]\\s")[0]; // up to the comment or a pipe
                String[] args = command.substring("judo ".length()).split("\\s+");
                picocli.CommandLine cl = Judo.commandLine(new String[0]);
                assertTrue(cl.parseArgs(args).subcommand() != null, example); // throws when it does not parse
            }
        }
    }

    @Test
    void retentionOptionsParse() {
        assertEquals(new io.judo.journal.JournalWriter.Retention(7 * 86_400_000L, 10L << 30),
                PipelineOptions.retention("7d", "10G"));
        assertEquals(new io.judo.journal.JournalWriter.Retention(12 * 3_600_000L, 0),
                PipelineOptions.retention("12h", null));
        assertEquals(io.judo.journal.JournalWriter.Retention.KEEP_ALL, PipelineOptions.retention(null, null));
        Run bad = Run.judo("scan", "--journal", dir.resolve("j").toString(), "--journal-keep", "soon");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--journal-keep"), bad.err());
    }

    @Test
    void tailFollowPrintsEventsAsTheyAreAppended() throws Exception {
        Path journal = dir.resolve("live");
        io.judo.journal.JournalEvent e = new io.judo.journal.JournalEvent();
        try (io.judo.journal.JournalWriter w = io.judo.journal.JournalWriter.open(journal,
                io.judo.journal.JournalWriter.Roll.DAILY, io.judo.journal.JournalWriter.Retention.KEEP_ALL)) {
            w.rule(1, 42, 1, "first rule");
            e.sid = 42;
            e.gid = 1;
            e.addresses(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
            w.append(e);
            java.io.StringWriter out = new java.io.StringWriter();
            Thread tail = new Thread(() -> Judo.execute(new String[] {"journal", "tail", "--follow",
                journal.toString()}, new java.io.PrintWriter(out, true), new java.io.PrintWriter(
                    new java.io.StringWriter(), true)));
            tail.setDaemon(true);
            tail.start();
            long deadline = System.currentTimeMillis() + 20_000;
            while (!out.toString().contains("first rule") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(out.toString().contains("1:42"), "existing events first: " + out);
            w.rule(1, 43, 1, "appended while tailing");
            e.sid = 43;
            w.append(e);
            while (!out.toString().contains("appended while tailing") && System.currentTimeMillis() < deadline) {
                Thread.sleep(20);
            }
            tail.interrupt();
            assertTrue(out.toString().contains("1:43") && out.toString().contains("appended while tailing"),
                    "new events followed: " + out);
        }
    }
}
