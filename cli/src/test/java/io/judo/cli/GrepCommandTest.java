package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * judo grep end to end. Expected lines are hand-checked against the input: every end offset of every pattern,
 * sorted by end offset then pattern index (the Hyperscan function test of the dependency notes, same text).
 */
class GrepCommandTest {
    static final String TEXT = "xx ATTACK attack GET /index.php EVIL.Example.COM begin\nmiddle\nend 555-1234 666-7777 tail";

    @TempDir
    Path dir;

    private Path file(String content) throws Exception {
        Path f = dir.resolve("in.txt");
        Files.writeString(f, content, StandardCharsets.ISO_8859_1);
        return f;
    }

    @Test
    void bothEnginesPrintEveryEndOffsetInOrder() throws Exception {
        Path f = file(TEXT);
        // attack ends at 16; GET /index.php at 31; 555-1234 at 74, 666-7777 at 83; caseless evil... only with -i.
        String expected = "0\t16\n2\t31\n4\t74\n4\t83\n";
        for (String engine : new String[] {"dfa", "hyperscan"}) {
            Run r = Run.judo("grep", "--engine", engine, "-e", "attack", "-e", "evil\\.example\\.com",
                    "-e", "GET /[a-z]+\\.php", "-e", "begin.*end", "-e", "\\d{3}-\\d{4}", f.toString());
            assertEquals(0, r.status(), r.err());
            assertEquals(expected, r.out(), engine);
            Run i = Run.judo("grep", "--engine", engine, "-i", "-e", "attack", "-e", "evil\\.example\\.com",
                    f.toString());
            assertEquals("0\t9\n0\t16\n1\t48\n", i.out(), engine + " -i");
        }
    }

    @Test
    void overlappingAndSpanningChunkBoundaries() throws Exception {
        byte[] big = new byte[(1 << 20) + 10];
        java.util.Arrays.fill(big, (byte) 'x');
        System.arraycopy("needle".getBytes(StandardCharsets.US_ASCII), 0, big, (1 << 20) - 3, 6);
        Path f = dir.resolve("big.bin");
        Files.write(f, big);
        Run r = Run.judo("grep", "-e", "needle", "-e", "xx", f.toString());
        assertTrue(r.out().contains("0\t" + ((1 << 20) + 3) + "\n"), "a match across the 1 MiB chunk boundary");
        Run c = Run.judo("grep", "--count", "-e", "needle", "-e", "xx", f.toString());
        // 'xx' ends at every offset from 2 except inside the needle: (2^20 + 10 - 1) pairs minus the 7 touching it.
        assertEquals("0\t1\n1\t" + ((1 << 20) + 10 - 1 - 7) + "\n", c.out());
    }

    /** A pattern split over 5-byte segments, delivered out of order, matches once at its stream offset. */
    @Test
    void reassembledStreamsOfACapture() throws Exception {
        io.judo.packet.build.TcpConversation c = new io.judo.packet.build.TcpConversation(
                io.judo.packet.build.PacketBuilder::ethernet, "10.0.0.1", 40000, "10.0.0.2", 80, 0xfffffff0L, 7L)
                .mss(5);
        c.handshake().clientSends("GET /x HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .serverSends("HTTP/1.1 200 OK\r\nServer: Apache/2.4\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .close();
        java.util.List<byte[]> frames = new java.util.ArrayList<>();
        for (io.judo.packet.build.TcpConversation.Frame f : c.frames()) {
            frames.add(f.bytes());
        }
        java.util.Collections.swap(frames, 10, 12); // two data segments change places
        Path capture = io.judo.packet.testing.Frames.writePcap(dir.resolve("c.pcap"),
                io.judo.packet.decode.LinkType.ETHERNET, frames);
        for (String engine : new String[] {"dfa", "hyperscan"}) {
            Run r = Run.judo("grep", "--engine", engine, "--pcap", "-e", "Server: Apache", "-e", "GET /x", capture.toString());
            assertEquals(0, r.status(), r.err());
            // "HTTP/1.1 200 OK\r\n" is 17 bytes, "Server: Apache" ends 14 bytes later; "GET /x" ends at 6.
            assertEquals("010.000.000.001.40000-010.000.000.002.00080\t1\t6\n"
                    + "010.000.000.002.00080-010.000.000.001.40000\t0\t31\n", r.out(), engine);
        }
    }

    @Test
    void somPatternFilesAndExitStatuses() throws Exception {
        Path f = file(TEXT);
        Run som = Run.judo("grep", "--engine", "hyperscan", "--som", "-e", "GET /[a-z]+", f.toString());
        assertTrue(som.out().startsWith("0\t17\t23\n0\t17\t24\n"), som.out());
        Path patterns = dir.resolve("p.txt");
        Files.writeString(patterns, "tail\nnothing-here\n");
        Run pf = Run.judo("grep", "-e", "ATTACK", "-f", patterns.toString(), f.toString());
        assertEquals("0\t9\n1\t88\n", pf.out());
        Run none = Run.judo("grep", "-e", "zzz", f.toString());
        assertEquals(1, none.status());
        Run bad = Run.judo("grep", "-e", "ok", "-e", "a(b", f.toString());
        assertEquals(2, bad.status());
        assertEquals("judo: pattern 1 (-e 'a(b'), column 2: unterminated group\n", bad.err());
        Run missing = Run.judo("grep", "-e", "x", dir.resolve("none").toString());
        assertEquals(2, missing.status());
        Run engine = Run.judo("grep", "--engine", "pcre", "-e", "x", f.toString());
        assertEquals(2, engine.status());
    }
}
