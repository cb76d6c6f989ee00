package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long steps: on a terminal a line redrawn in place and cleared, then the summary; on a pipe only the summary. The
 * clock is a counter the test moves, so nothing here depends on how fast the machine is.
 */
class ProgressLineTest {
    @TempDir
    Path dir;

    private final long[] now = {1_000_000_000L};
    private final StringWriter text = new StringWriter();

    private ProgressLine line(boolean terminal) {
        return new ProgressLine(new PrintWriter(text), terminal, () -> now[0]);
    }

    @Test
    void onATerminalTheLineIsRedrawnInPlaceThenReplacedByTheSummary() {
        ProgressLine p = line(true);
        p.step("loading rules: file 1/3");
        p.step("loading rules: file 2/3"); // within a quarter second: not drawn
        now[0] += 300_000_000L;
        p.step("loading rules: file 3/3");
        p.phase("building databases"); // a new phase is drawn at once
        p.done("judo: rules ready");
        assertEquals("\rloading rules: file 1/3\033[K\rloading rules: file 3/3\033[K\rbuilding databases\033[K"
                + "\r\033[Kjudo: rules ready" + System.lineSeparator(), text.toString());
    }

    @Test
    void onAPipeOnlyTheSummaryIsPrinted() {
        ProgressLine p = line(false);
        p.step("loading rules: file 1/3");
        now[0] += 300_000_000L;
        p.phase("building databases");
        p.update("x.pcap", 10, 100);
        p.finish();
        p.done("judo: rules ready");
        assertEquals("judo: rules ready" + System.lineSeparator(), text.toString());
    }

    @Test
    void generateAndRuleLoadingLeaveOneSummaryLineOnAPipe() throws Exception {
        Path pcap = dir.resolve("g.pcap");
        Run g = Run.judo("generate", "--out", pcap.toString(), "--packets", "3000", "--seed", "3");
        assertEquals(0, g.status(), g.err());
        List<String> lines = g.err().lines().toList();
        assertEquals(1, lines.size(), g.err());
        assertTrue(lines.get(0).matches("judo: wrote .*g\\.pcap: 3,0\\d\\d packets, [\\d,]+ bytes, seed 3"), lines.get(0));
        assertTrue(!g.err().contains("\r"), "no carriage returns on a pipe");

        Path rules = dir.resolve("r.rules");
        Files.writeString(rules, "alert tcp any any -> any any (msg:\"syn\"; flags:S; sid:1;)\n"
                + "alert udp any any -> any 53 (msg:\"dns\"; sid:2;)\n");
        Run scan = Run.judo("scan", "--rules", rules.toString(), pcap.toString());
        assertEquals(0, scan.status(), scan.err());
        List<String> err = scan.err().lines().toList();
        assertEquals(1, err.size(), scan.err());
        assertTrue(err.get(0).startsWith("judo: rules ready: 2 loaded from 1 file (0 skipped, 0 with errors)"),
                err.get(0));
        assertTrue(!scan.err().contains("\r"), "no carriage returns on a pipe");
    }
}
