package io.judo.applayer.ftp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.applayer.TestSupport;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Splitting must not matter: random sessions (logins, pipelined commands, multi-line and preliminary replies, PORT,
 * EPRT, PASV and EPSV with transfers, bare LFs, long lines, unknown verbs, stray server lines) give the same
 * commands, transactions, channels and events whether each flight comes whole, one byte at a time or in random
 * pieces. Flights keep their order (a reply after its command, as on the wire); lines are cut at a small limit so
 * long lines are cut too.
 */
class FtpSplitProperties {
    record Flight(int dir, byte[] bytes) {
    }

    private static final FtpConfig CONFIG = FtpConfig.defaults().withLimits(48, 8, 6);

    static void add(List<Flight> f, int dir, String s) {
        f.add(new Flight(dir, s.getBytes(StandardCharsets.ISO_8859_1)));
    }

    static String eol(Random rnd) {
        return rnd.nextInt(5) == 0 ? "\n" : rnd.nextInt(8) == 0 ? " \r\n" : "\r\n";
    }

    static List<Flight> session(Random rnd) {
        List<Flight> f = new ArrayList<>();
        add(f, 1, rnd.nextBoolean() ? "220 ready" + eol(rnd) : "220-hello" + eol(rnd) + "220 there" + eol(rnd));
        add(f, 0, (rnd.nextBoolean() ? "USER" : "user") + " u" + rnd.nextInt(9) + eol(rnd));
        add(f, 1, "331 pw" + eol(rnd));
        add(f, 0, "PASS " + "p".repeat(rnd.nextInt(80)) + eol(rnd));
        add(f, 1, "230 ok" + eol(rnd));
        for (int k = rnd.nextInt(8); k > 0; k--) {
            String file = "f" + rnd.nextInt(100) + (rnd.nextBoolean() ? " with space" : "");
            switch (rnd.nextInt(8)) {
                case 0 -> {
                    add(f, 0, "PASV" + eol(rnd));
                    add(f, 1, "227 Entering Passive Mode (10,0,0," + rnd.nextInt(256) + "," + rnd.nextInt(256) + ","
                        + rnd.nextInt(256) + ")." + eol(rnd));
                    add(f, 0, "RETR " + file + eol(rnd));
                    add(f, 1, "150 here" + eol(rnd) + "226 done" + eol(rnd));
                }
                case 1 -> {
                    add(f, 0, "EPSV" + eol(rnd));
                    add(f, 1, "229 Extended (|||" + (1 + rnd.nextInt(65535)) + "|)" + eol(rnd));
                    add(f, 0, "STOR " + file + eol(rnd));
                    add(f, 1, "150 go" + eol(rnd) + "226 ok" + eol(rnd));
                }
                case 2 -> {
                    add(f, 0, "PORT 10,1,1," + rnd.nextInt(256) + "," + rnd.nextInt(256) + ",7" + eol(rnd));
                    add(f, 1, (rnd.nextInt(4) == 0 ? "500 no" : "200 ok") + eol(rnd));
                    add(f, 0, "LIST" + eol(rnd));
                    add(f, 1, "150 x" + eol(rnd) + "226 y" + eol(rnd));
                }
                case 3 -> {
                    add(f, 0, "EPRT |2|2001:db8::" + rnd.nextInt(99) + "|" + rnd.nextInt(70000) + "|" + eol(rnd));
                    add(f, 1, "200 ok" + eol(rnd));
                }
                case 4 -> {
                    // pipelined, more than the limit of waiting commands at times
                    int n = 1 + rnd.nextInt(10);
                    StringBuilder c = new StringBuilder();
                    StringBuilder s = new StringBuilder();
                    for (int i = 0; i < n; i++) {
                        c.append(rnd.nextBoolean() ? "NOOP" : "XCMD arg").append(eol(rnd));
                        s.append("200 fine ").append(i).append(eol(rnd));
                    }
                    add(f, 0, c.toString());
                    add(f, 1, s.toString());
                }
                case 5 -> {
                    add(f, 0, "FEAT" + eol(rnd));
                    StringBuilder s = new StringBuilder("211-Features:" + eol(rnd));
                    for (int i = rnd.nextInt(10); i > 0; i--) {
                        s.append(' ').append("MDTM".repeat(1 + rnd.nextInt(20))).append(eol(rnd));
                    }
                    add(f, 1, s.append("211 End").append(eol(rnd)).toString());
                }
                case 6 -> {
                    add(f, 0, "CWD " + "d".repeat(rnd.nextInt(120)) + eol(rnd));
                    add(f, 1, (rnd.nextBoolean() ? "stray line" + eol(rnd) : "") + "250 ok" + eol(rnd));
                }
                default -> {
                    add(f, 0, "SITE CHMOD 755 " + file + eol(rnd));
                    add(f, 1, "200 " + "z".repeat(rnd.nextInt(100)) + eol(rnd));
                }
            }
        }
        add(f, 0, "QUIT" + eol(rnd));
        if (rnd.nextBoolean()) {
            add(f, 1, "221 bye" + (rnd.nextBoolean() ? eol(rnd) : ""));
        }
        return f;
    }

    /** Each flight cut by {@link TestSupport#cut} (pieces of 1..small bytes 1 in smallOdds, else 1..large). */
    static String parse(List<Flight> s, Random rnd, int smallOdds, int small, int large) {
        Recorder r = new Recorder();
        FtpParser p = new FtpParser(CONFIG, r);
        for (Flight f : s) {
            TestSupport.cut(f.bytes.length, rnd, smallOdds, small, large, (at, n) -> p.data(f.dir, f.bytes, at, n));
        }
        p.end(0);
        p.end(1);
        return r.summary();
    }

    @Property(tries = 200)
    void splitsDoNotMatter(@ForAll long seed) {
        List<Flight> s = session(new Random(seed));
        Random rnd = new Random(seed ^ 0x5DEECE66DL);
        String whole = parse(s, rnd, 1, Integer.MAX_VALUE, Integer.MAX_VALUE);
        assertEquals(whole, parse(s, rnd, 1, 1, 1), "byte by byte");
        assertEquals(whole, parse(s, rnd, 2, 3, 60), "random pieces");
    }
}
