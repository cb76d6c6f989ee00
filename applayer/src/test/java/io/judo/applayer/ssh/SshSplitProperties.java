package io.judo.applayer.ssh;

import static io.judo.applayer.ssh.SshWire.ascii;
import static io.judo.applayer.ssh.SshWire.cat;
import static io.judo.applayer.ssh.SshWire.packet;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.TestSupport;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/**
 * Splitting must not matter: a generated conversation (server lines before its banner, CR LF / LF / lone CR line
 * ends, banners long and short, IGNORE and DEBUG packets, a KEXINIT of random lists up to tens of KiB, sometimes one
 * over the limit, NEWKEYS, then encrypted bytes) parses to the same session and the same callbacks and events in the
 * same order whether each direction arrives whole, cut at every byte, or in random pieces. No input throws.
 */
class SshSplitProperties {
    private static String names(Random rnd, int max) {
        StringBuilder b = new StringBuilder();
        int n = 1 + rnd.nextInt(max);
        for (int i = 0; i < n; i++) {
            b.append(i == 0 ? "" : ",").append("alg").append(rnd.nextInt(1000)).append(rnd.nextBoolean() ? "@x.org" : "");
        }
        return b.toString();
    }

    private static String eol(Random rnd) {
        return switch (rnd.nextInt(3)) {
            case 0 -> "\r\n";
            case 1 -> "\n";
            default -> "\r"; // a lone CR, only safe before a line that does not start with LF
        };
    }

    /** One direction: banner (server: maybe lines before it), packets in clear, NEWKEYS, encrypted bytes. */
    static byte[] direction(Random rnd, int dir) {
        StringBuilder lines = new StringBuilder();
        if (dir == 1) {
            for (int i = rnd.nextInt(3); i > 0; i--) {
                lines.append("Notice ").append(rnd.nextInt(99)).append(eol(rnd));
            }
        }
        String software = rnd.nextInt(5) == 0 ? "s".repeat(250 + rnd.nextInt(100)) : "Soft_" + rnd.nextInt(100);
        lines.append("SSH-").append(rnd.nextBoolean() ? "2.0" : "1.99").append('-').append(software)
            .append(rnd.nextBoolean() ? " comment" : "").append(rnd.nextBoolean() ? "\r\n" : "\n");
        byte[] out = ascii(lines.toString());
        for (int i = rnd.nextInt(3); i > 0; i--) {
            out = cat(out, packet(rnd.nextBoolean() ? 2 : 4, new byte[rnd.nextInt(300)], 4 + rnd.nextInt(12)));
        }
        int size = rnd.nextInt(4) == 0 ? 2000 : 40;
        byte[] kex = SshWire.kexinit(names(rnd, size), names(rnd, 5), names(rnd, 20), names(rnd, 20),
            names(rnd, 10), names(rnd, 10), "none", "none,zlib", "", "");
        out = cat(out, packet(20, kex, 4 + rnd.nextInt(200)));
        out = cat(out, packet(30 + dir, new byte[rnd.nextInt(1200)], 6), packet(21, new byte[0], 10));
        byte[] encrypted = new byte[rnd.nextInt(3000)];
        rnd.nextBytes(encrypted);
        return cat(out, encrypted);
    }

    static String whole(byte[] client, byte[] server, SshConfig cfg) {
        Recorder r = new Recorder();
        SshParser p = new SshParser(cfg, r);
        p.data(0, client, 0, client.length);
        p.data(1, server, 0, server.length);
        return r.summary(p.session());
    }

    static void feed(SshParser p, int dir, byte[] b, Random rnd) {
        TestSupport.cut(b.length, rnd, 4, 3, 1500, (at, n) -> p.data(dir, b, at, n));
    }

    @Property(tries = 300)
    void randomPiecesParseTheSame(@ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] client = direction(rnd, 0);
        byte[] server = direction(rnd, 1);
        // a small KEXINIT limit now and then, so long_kex_record is split too
        SshConfig cfg = rnd.nextInt(4) == 0 ? SshConfig.defaults().withLimits(256, 8192, 3000) : SshConfig.defaults();
        String want = whole(client, server, cfg);
        Recorder r = new Recorder();
        SshParser p = new SshParser(cfg, r);
        feed(p, 0, client, rnd);
        feed(p, 1, server, rnd);
        assertEquals(want, r.summary(p.session()), "seed " + seed);
    }

    @Test
    void everySplitPointParsesTheSame() {
        Random rnd = new Random(5);
        byte[] client = direction(rnd, 0);
        byte[] server = cat(ascii("pre\r\n"), direction(rnd, 1));
        String want = whole(client, server, SshConfig.defaults());
        assertTrue(want.contains("progress=FINISHED"), want);
        TestSupport.assertEverySplitPoint(want, client, server, input -> {
            Recorder r = new Recorder();
            SshParser p = new SshParser(SshConfig.defaults(), r);
            input.accept(p::data);
            return r.summary(p.session());
        });
    }

    @Test
    void byteAtATimeParsesTheSame() {
        for (long seed = 0; seed < 20; seed++) {
            Random rnd = new Random(seed);
            byte[] client = direction(rnd, 0);
            byte[] server = direction(rnd, 1);
            String want = whole(client, server, SshConfig.defaults());
            Recorder r = new Recorder();
            SshParser p = new SshParser(SshConfig.defaults(), r);
            // one direction after the other: interleaving would only reorder the two directions' callbacks
            for (int i = 0; i < client.length; i++) {
                p.data(0, client, i, 1);
            }
            for (int i = 0; i < server.length; i++) {
                p.data(1, server, i, 1);
            }
            assertEquals(want, r.summary(p.session()), "seed " + seed);
        }
    }

    @Property(tries = 400)
    void arbitraryBytesNeverThrow(@ForAll @Size(max = 600) byte[] junk, @ForAll long seed) {
        Random rnd = new Random(seed);
        byte[] real = direction(rnd, 1);
        for (int i = 0; i < 1 + rnd.nextInt(8); i++) {
            real[rnd.nextInt(real.length)] = (byte) rnd.nextInt(256);
        }
        for (byte[] b : new byte[][] {real, junk, cat(ascii("SSH-2.0-x\r\n"), junk)}) {
            for (int dir = 0; dir < 2; dir++) {
                Recorder r = new Recorder();
                SshParser p = new SshParser(SshConfig.defaults(), r);
                feed(p, dir, b, rnd);
                p.gap(dir, 5);
                p.end(dir);
                r.summary(p.session());
            }
        }
    }
}
