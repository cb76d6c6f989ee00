package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo filter EXPR a.pcap b.pcap ...}: a result per file; a capture whose link type the filter cannot apply to
 * (NFLOG, as for tcpdump) is named as such and the captures after it are still filtered.
 */
class FilterFilesTest {
    @TempDir
    Path dir;

    private Path demo(String name) throws Exception {
        return Files.write(dir.resolve(name), DemoCapture.bundled());
    }

    /** Five NFLOG records (their content does not matter: no filter program exists for the link type). */
    private Path nflog() throws Exception {
        Path file = dir.resolve("nflog.pcap");
        try (OutputStream out = Files.newOutputStream(file);
             PcapWriter w = new PcapWriter(out, LinkType.NFLOG, 65535, false)) {
            byte[] frame = new byte[40];
            frame[0] = 2; // AF_INET, as an NFLOG header starts
            for (int i = 0; i < 5; i++) {
                w.write(1_000_000_000L * i, frame, 0, frame.length, frame.length);
            }
        }
        return file;
    }

    @Test
    void everyFileGetsItsCountsAndNflogIsNamed() throws Exception {
        Path a = demo("a.pcap");
        Path n = nflog();
        Path b = demo("b.pcap");
        Run r = Run.judo("filter", "tcp port 80", a.toString(), n.toString(), b.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, r.status(), r.err());
        Run one = Run.judo("filter", "tcp port 80", a.toString());
        assertEquals(0, one.status(), one.err());
        long perFile = Long.parseLong(one.out().strip().split(" ")[0]);
        List<String> lines = r.out().strip().lines().toList();
        assertEquals(List.of(
                a + ": " + perFile + " of 100 packets matched",
                n + ": not filtered, 5 packets of an unsupported link type",
                b + ": " + perFile + " of 100 packets matched",
                2 * perFile + " of 200 packets matched in 3 files"), lines, r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(n + ": link type NFLOG (239) is not supported by filter"), r.err());
        assertFalse(r.err().contains("bad filter expression") || r.err().contains("column"), r.err());
    }

    @Test
    void countPrintsFileColonCountAsGrepDoes() throws Exception {
        Path a = demo("a.pcap");
        Path n = nflog();
        String alone = Run.judo("filter", "--count", "tcp", a.toString()).out().strip();
        assertTrue(Long.parseLong(alone) > 0, alone);
        Run r = Run.judo("filter", "--count", "tcp", a.toString(), n.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, r.status());
        assertEquals(List.of(a + ":" + alone), r.out().strip().lines().toList());
    }

    @Test
    void aBadExpressionIsAboutTheExpressionWhateverTheFiles() throws Exception {
        Run r = Run.judo("filter", "tcp prot 80", nflog().toString(), demo("a.pcap").toString());
        assertEquals(Judo.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().startsWith("judo: bad filter expression, column 5: unknown word 'prot'"), r.err());
        assertEquals("", r.out());
    }

    @Test
    void writeStillWritesTheOtherFilesMatches() throws Exception {
        Path a = demo("a.pcap");
        String alone = Run.judo("filter", "--count", "tcp", a.toString()).out().strip();
        Path out = dir.resolve("out.pcap");
        Run r = Run.judo("filter", "-w", out.toString(), "tcp", nflog().toString(), a.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, r.status());
        assertEquals(alone, Run.judo("filter", "--count", "", out.toString()).out().strip());
    }
}
