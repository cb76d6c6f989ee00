package io.judo.applayer.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Splitting must not matter: random conversations (several mails, pipelined commands, multipart messages with base64
 * and quoted-printable parts, dot lines, BDAT chunks, rejected DATA, replies of several lines, some malformed
 * content) give the same commands, transactions, files and events whether each direction comes whole, one byte at a
 * time, or in random pieces with the two directions interleaved at random.
 */
class SmtpSplitProperties {
    record Flight(int dir, byte[] bytes) {
    }

    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String qp(Random rnd) {
        StringBuilder s = new StringBuilder();
        int n = rnd.nextInt(200);
        for (int i = 0; i < n; i++) {
            int k = rnd.nextInt(20);
            s.append(k == 0 ? "=3D" : k == 1 ? "=\r\n" : k == 2 ? "\r\n" : k == 3 ? "=E9" : k == 4 ? "=G" : "a");
        }
        return s.toString();
    }

    static String message(Random rnd) {
        if (rnd.nextInt(4) == 0) {
            return "Subject: plain\r\n\r\n.leading dot\r\nbody " + rnd.nextInt() + "\r\n";
        }
        byte[] bin = new byte[rnd.nextInt(3000)];
        rnd.nextBytes(bin);
        String b64 = Base64.getMimeEncoder(76 + (rnd.nextBoolean() ? 0 : 40), b("\r\n")).encodeToString(bin);
        StringBuilder m = new StringBuilder("From: x@example.com\r\nContent-Type: multipart/mixed; boundary=\"B1\"\r\n"
            + "\r\npreamble\r\n--B1\r\nContent-Type: multipart/alternative; boundary=B2\r\n\r\n--B2\r\n"
            + "Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n");
        m.append(qp(rnd)).append("\r\n--B2--\r\n--B1\r\nContent-Type: application/octet-stream; name=\"f")
            .append(rnd.nextInt(100)).append(".bin\"\r\nContent-Transfer-Encoding: base64\r\n\r\n").append(b64)
            .append(rnd.nextInt(8) == 0 ? "*" : "").append("\r\n--B1\r\n")
            .append("Content-Disposition: attachment; filename=t.txt\r\n\r\n");
        for (int i = rnd.nextInt(5); i > 0; i--) {
            m.append(i % 2 == 0 ? ".dot line\r\n" : "text line " + i + "\r\n");
        }
        if (rnd.nextInt(4) != 0) {
            m.append("--B1--\r\n");
        }
        return m.toString();
    }

    static String stuff(String msg) {
        return msg.replace("\r\n.", "\r\n..").replaceFirst("^\\.", "..");
    }

    static List<Flight> conversation(Random rnd) {
        List<Flight> f = new ArrayList<>();
        f.add(new Flight(1, b("220 mx ready\r\n")));
        f.add(new Flight(0, b("EHLO c" + rnd.nextInt(10) + "\r\n")));
        f.add(new Flight(1, b("250-mx\r\n250-PIPELINING\r\n250-CHUNKING\r\n250 8BITMIME\r\n")));
        for (int m = rnd.nextInt(3) + 1; m > 0; m--) {
            String msg = message(rnd);
            int rc = 1 + rnd.nextInt(3);
            StringBuilder cmds = new StringBuilder("MAIL FROM:<s" + m + "@example.com> SIZE=" + msg.length() + "\r\n");
            StringBuilder replies = new StringBuilder("250 ok\r\n");
            for (int i = 0; i < rc; i++) {
                cmds.append("RCPT TO:<r").append(i).append("@example.com>\r\n");
                replies.append("250 ok\r\n");
            }
            int kind = rnd.nextInt(4);
            if (kind == 0) {
                // BDAT in two chunks
                byte[] body = b(msg);
                int cut = rnd.nextInt(body.length + 1);
                f.add(new Flight(0, b(cmds + "BDAT " + cut + "\r\n" + msg.substring(0, cut) + "BDAT "
                    + (body.length - cut) + " LAST\r\n" + msg.substring(cut))));
                f.add(new Flight(1, b(replies + "250 chunk\r\n250 queued\r\n")));
            } else if (kind == 1) {
                // DATA refused, with a pipelined RSET behind it
                f.add(new Flight(0, b(cmds + "DATA\r\nRSET\r\n")));
                f.add(new Flight(1, b(replies + "554 no\r\n250 reset\r\n")));
            } else {
                f.add(new Flight(0, b(cmds + "DATA\r\n")));
                f.add(new Flight(1, b(replies + "354 go\r\n")));
                f.add(new Flight(0, b(stuff(msg) + ".\r\n")));
                f.add(new Flight(1, b("250 queued\r\n")));
            }
        }
        f.add(new Flight(0, b("QUIT\r\n")));
        f.add(new Flight(1, b("221 bye\r\n")));
        return f;
    }

    static String whole(List<Flight> c) {
        Recorder r = new Recorder();
        SmtpParser p = new SmtpParser(SmtpConfig.defaults().withAllPartsAreFiles(true), r);
        for (Flight f : c) {
            p.data(f.dir, f.bytes, 0, f.bytes.length);
        }
        p.end(0);
        p.end(1);
        return r.summary();
    }

    /** Each direction's bytes in pieces of 1..max (max 1: every byte), the directions interleaved at random. */
    static String pieces(List<Flight> c, Random rnd, int max, SmtpConfig config) {
        Recorder r = new Recorder();
        SmtpParser p = new SmtpParser(config, r);
        java.io.ByteArrayOutputStream[] dirs = {new java.io.ByteArrayOutputStream(),
            new java.io.ByteArrayOutputStream()};
        for (Flight f : c) {
            dirs[f.dir].writeBytes(f.bytes);
        }
        byte[][] s = {dirs[0].toByteArray(), dirs[1].toByteArray()};
        int[] at = new int[2];
        while (at[0] < s[0].length || at[1] < s[1].length) {
            int d = at[0] == s[0].length ? 1 : at[1] == s[1].length ? 0 : rnd.nextInt(2);
            int n = Math.min(s[d].length - at[d], 1 + rnd.nextInt(max));
            p.data(d, s[d], at[d], n);
            at[d] += n;
        }
        p.end(0);
        p.end(1);
        return r.summary();
    }

    @Property(tries = 60)
    void splitsAndInterleavingDoNotMatter(@ForAll long seed) {
        Random rnd = new Random(seed);
        List<Flight> c = conversation(rnd);
        String expect = orderFree(whole(c));
        SmtpConfig cfg = SmtpConfig.defaults().withAllPartsAreFiles(true);
        assertEquals(expect, orderFree(pieces(c, rnd, 1, cfg)), "every byte on its own");
        assertEquals(expect, orderFree(pieces(c, rnd, 2000, cfg)), "random pieces");
        assertEquals(expect, orderFree(pieces(c, rnd, 30, cfg)), "small random pieces");
    }

    @Property(tries = 30)
    void longLinesInPiecesDecodeTheSame(@ForAll long seed) {
        // body lines longer than the MIME line buffer are handed on in pieces: the decoded files must not change
        // (the pieces here are longer than any header line, which is read from its first piece only)
        Random rnd = new Random(seed);
        List<Flight> c = conversation(rnd);
        String expect = pieces(c, new Random(seed), 2000, SmtpConfig.defaults().withAllPartsAreFiles(true));
        String small = pieces(c, new Random(seed), 2000,
            SmtpConfig.defaults().withAllPartsAreFiles(true).withLineLimits(4096, 80 + rnd.nextInt(60)));
        assertEquals(files(expect), files(small));
    }

    /**
     * INVALID_PIPELINED_SEQUENCE says the client sent commands after DATA before the server refused it, which is
     * about the order in which the two directions arrive, not about either stream: it is left out of the comparison
     * of interleavings (SmtpParserTest checks it).
     */
    static String orderFree(String summary) {
        return summary.replace(", INVALID_PIPELINED_SEQUENCE", "").replace("0:INVALID_PIPELINED_SEQUENCE, ", "")
            .replace("INVALID_PIPELINED_SEQUENCE, ", "");
    }

    /** The file lines of a summary (events differ: line pieces hide MIME_LONG_ENC_LINE and friends). */
    static String files(String summary) {
        StringBuilder b = new StringBuilder();
        for (String l : summary.split("\n")) {
            if (l.startsWith("  file ")) {
                b.append(l).append('\n');
            }
        }
        return b.toString();
    }
}
