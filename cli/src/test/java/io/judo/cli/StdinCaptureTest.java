package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.TrafficGenerator;
import io.judo.packet.testing.ExternalTools;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code judo scan -} reads a capture from a pipe, as {@code tcpdump -r -} does, with the same results as the file. */
class StdinCaptureTest {
    @TempDir
    Path dir;

    private Path mix() throws Exception {
        Path file = dir.resolve("mix.pcap");
        try (OutputStream out = Files.newOutputStream(file)) {
            new TrafficGenerator(5).write(out, 3000, Long.MAX_VALUE);
        }
        return file;
    }

    /** Pipes {@code capture} into {@code judo scan --json -} and checks it counts what the file gives. */
    private static void sameAsTheFile(Path capture, String format) throws Exception {
        Run file = Run.judo("scan", "--json", capture.toString());
        assertEquals(0, file.status(), file.err());
        ChildJudo child = ChildJudo.start("scan", "--json", "-");
        try (OutputStream in = child.stdin()) {
            Files.copy(capture, in);
        }
        Run piped = child.finish();
        assertEquals(0, piped.status(), piped.err());
        assertEquals("", piped.err());
        for (String key : new String[] {"packets", "bytes", "wire_bytes", "flows", "tcp", "udp",
            "malformed_packets"}) {
            assertEquals(file.json(key), piped.json(key), key);
        }
        assertTrue(piped.out().contains("\"name\":\"stdin\",\"format\":\"" + format + "\""), piped.out());
    }

    @Test
    void pcapFromAPipe() throws Exception {
        sameAsTheFile(mix(), "pcap");
    }

    @Test
    void pcapngFromAPipe() throws Exception {
        ExternalTools.require("editcap");
        Path ng = dir.resolve("mix.pcapng");
        ExternalTools.run("editcap", "-F", "pcapng", mix().toString(), ng.toString());
        sameAsTheFile(ng, "pcapng");
    }

    @Test
    void notACaptureOnStdinIsOneLine() throws Exception {
        ChildJudo child = ChildJudo.start("scan", "-");
        try (OutputStream in = child.stdin()) {
            in.write("this is not a capture\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        }
        Run r = child.finish();
        assertEquals(Judo.EXIT_BAD_INPUT, r.status());
        assertEquals("judo: stdin: not a pcap or pcapng capture (starts with 0x74686973)", r.err().strip());
    }

    @Test
    void standardInputOnlyOnce() {
        Run r = Run.judo("scan", "-", "-");
        assertEquals(Judo.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().contains("can be read once"), r.err());
    }
}
