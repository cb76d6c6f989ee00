package io.judo.applayer.smtp;

import static io.judo.applayer.TestSupport.run;
import static io.judo.applayer.TestSupport.works;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.judo.applayer.TestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real stacks as the oracle: mails.py makes Python's smtplib send two mails (a nested multipart with quoted-printable
 * and base64 parts and two attachments to three recipients, then after RSET a plain one) to Python's smtpd through a
 * recording relay. The parser, fed the recorded bytes in random segments and in two direction orders, must agree
 * with tshark on the commands' arguments and the message headers (from a pcap of the same bytes), with Python's
 * email package on every decoded part and filename, and raise no event on this real traffic.
 */
class SmtpOracleTest {
    @TempDir
    static Path dir;

    static List<byte[]> flights = new ArrayList<>();
    static List<Integer> dirs = new ArrayList<>();
    static List<List<String>> mailFrom = new ArrayList<>();
    static List<List<String>> rcpt = new ArrayList<>();
    static List<List<String>> headers = new ArrayList<>();
    /** Per mail: [filename, decoded bytes] of each leaf part, in order. */
    static List<List<Object[]>> parts = new ArrayList<>();
    static Path pcap;

    private static <T> List<T> at(List<List<T>> l, int n) {
        while (l.size() <= n) {
            l.add(new ArrayList<>());
        }
        return l.get(n);
    }

    @BeforeAll
    static void record() throws Exception {
        assumeTrue(works("python3", "-W", "ignore", "-c", "import smtpd, smtplib, asyncore, email"),
            "python3 with smtpd/asyncore (Python <= 3.11) is needed for the SMTP oracle");
        assumeTrue(works("tshark", "-v"), "tshark is needed for the SMTP oracle");
        Path script = TestSupport.script(SmtpOracleTest.class, "mails.py", dir);
        Base64.Decoder b64 = Base64.getDecoder();
        for (String line : run(dir, "python3", script.toString(), dir.toString()).split("\n")) {
            String[] w = line.split(" ", 4);
            switch (w[0]) {
                case "CASE" -> pcap = Path.of(w[2]);
                case "FLIGHT" -> {
                    dirs.add(Integer.parseInt(w[1]));
                    flights.add(b64.decode(w[2]));
                }
                case "MAIL" -> at(mailFrom, Integer.parseInt(w[1])).add(w[2]);
                case "RCPT" -> at(rcpt, Integer.parseInt(w[1])).add(w[2]);
                case "HEADER" -> at(headers, Integer.parseInt(w[1])).add(line.split(" ", 3)[2]);
                case "PART" -> at(parts, Integer.parseInt(w[1])).add(new Object[] {
                    new String(b64.decode(w[2]), StandardCharsets.UTF_8), b64.decode(w[3])});
                default -> {
                }
            }
        }
        assertEquals(2, mailFrom.size(), "two mails received");
    }

    private static String[] tshark(String filter, String... fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-Y", filter, "-T", "fields",
            "-E", "aggregator=|", "-E", "occurrence=a"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        return run(dir, cmd.toArray(new String[0])).replaceAll("\\R+$", "").split("\\R");
    }

    static Recorder parse(SmtpConfig config, Random rnd, boolean clientFirst) {
        Recorder r = new Recorder();
        SmtpParser p = new SmtpParser(config, r);
        for (int pass = 0; pass < (clientFirst ? 2 : 1); pass++) {
            for (int i = 0; i < flights.size(); i++) {
                int d = dirs.get(i);
                if (clientFirst && d != pass) {
                    continue;
                }
                byte[] f = flights.get(i);
                int at = 0;
                while (at < f.length) {
                    int n = Math.min(f.length - at, 1 + rnd.nextInt(rnd.nextBoolean() ? 7 : 1500));
                    p.data(d, f, at, n);
                    at += n;
                }
            }
        }
        p.end(0);
        p.end(1);
        return r;
    }

    /** smtpd hands over the content with LF line ends and without the last one: compare text that way. */
    private static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1).replace("\r\n", "\n").replaceFirst("\n$", "");
    }

    @Test
    void agreesWithTsharkAndPythonEmail() throws Exception {
        Recorder r = parse(SmtpConfig.defaults(), new Random(1), false);
        assertEquals(pythonLongQpLines() ? "[0:MIME_LONG_ENC_LINE]" : "[]", r.events.toString(),
            "no other event on real traffic");
        // EHLO .. first mail, then (RSET opens nothing) the second mail, then NOOP/QUIT in a third, as Suricata
        assertEquals(3, r.done.size(), r.summary());
        String[] cmds = tshark("smtp.req", "smtp.req.command", "smtp.req.parameter");
        List<String> froms = new ArrayList<>();
        List<List<String>> tos = new ArrayList<>();
        String ehlo = null;
        for (String c : cmds) {
            String[] cp = c.split("\t", -1);
            String[] verbs = cp[0].split("\\|", -1);
            String[] params = cp[1].split("\\|", -1);
            for (int i = 0; i < verbs.length; i++) {
                String v = verbs[i].toLowerCase();
                String arg = params.length > i ? params[i] : "";
                if (v.equals("ehlo")) {
                    ehlo = arg;
                } else if (v.equals("mail")) {
                    froms.add(arg.substring("FROM:".length()).split(" ")[0]);
                    tos.add(new ArrayList<>());
                } else if (v.equals("rcpt")) {
                    tos.get(tos.size() - 1).add(arg.substring("TO:".length()));
                }
            }
        }
        String[] imf = tshark("imf", "imf.from", "imf.to", "imf.subject");
        for (int m = 0; m < 2; m++) {
            Recorder.TxSnap t = r.done.get(m);
            assertEquals(ehlo, t.helo());
            assertEquals(froms.get(m), t.mailFrom());
            assertEquals("<" + mailFrom.get(m).get(0) + ">", t.mailFrom(), "Suricata keeps the angle brackets");
            assertEquals(tos.get(m), t.rcpt());
            List<String> expect = new ArrayList<>();
            for (String to : rcpt.get(m)) {
                expect.add("<" + to + ">");
            }
            assertEquals(expect, t.rcpt());
            assertEquals(headers.get(m), t.headers());
            String[] f = imf[m].split("\t", -1);
            assertEquals(List.of(f[0], f[1], f[2]), List.of(header(t, "From"), header(t, "To"), header(t, "Subject")));
            assertTrue(t.complete());
        }
        assertTrue(r.done.get(2).rcpt().isEmpty());
        // Suricata's files: the parts with a filename
        List<Object[]> named = new ArrayList<>();
        for (Object[] part : parts.get(0)) {
            if (!((String) part[0]).isEmpty()) {
                named.add(part);
            }
        }
        assertEquals(2, named.size());
        assertFiles(named, r.done.get(0).files());
        assertEquals(0, r.done.get(1).files().size(), "a plain mail has no attachment");
        assertEquals("report Q3.pdf", r.done.get(0).files().get(0).name());
    }

    @Test
    void everyPartAsFileMatchesPython() {
        Recorder r = parse(SmtpConfig.defaults().withAllPartsAreFiles(true), new Random(2), false);
        assertEquals(pythonLongQpLines() ? "[0:MIME_LONG_ENC_LINE]" : "[]", r.events.toString());
        assertFiles(parts.get(0), r.done.get(0).files());
        assertFiles(parts.get(1), r.done.get(1).files());
    }

    @Test
    void directionOrderAndSegmentsDoNotMatter() {
        String whole = parse(SmtpConfig.defaults(), new Random(3), false).summary();
        for (int seed = 0; seed < 20; seed++) {
            assertEquals(whole, parse(SmtpConfig.defaults(), new Random(seed), seed % 2 == 0).summary());
        }
    }

    /**
     * Python's email writes quoted-printable lines up to its policy's max_line_length (78), over RFC 2045's 76, which
     * Suricata flags as mime_long_enc_line: @return whether the recorded mail has such a soft-broken line
     */
    private static boolean pythonLongQpLines() {
        for (int i = 0; i < flights.size(); i++) {
            if (dirs.get(i) == 0) {
                for (String l : new String(flights.get(i), StandardCharsets.ISO_8859_1).split("\r\n")) {
                    if (l.length() > 76 && l.endsWith("=") && !l.contains(":")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static String header(Recorder.TxSnap t, String name) {
        for (String h : t.headers()) {
            if (h.startsWith(name + "|")) {
                return h.substring(name.length() + 1);
            }
        }
        return null;
    }

    private static void assertFiles(List<Object[]> expect, List<Recorder.FileSnap> files) {
        assertEquals(expect.size(), files.size());
        for (int i = 0; i < expect.size(); i++) {
            Recorder.FileSnap f = files.get(i);
            assertEquals(expect.get(i)[0], new String(f.name().getBytes(StandardCharsets.ISO_8859_1),
                StandardCharsets.UTF_8));
            byte[] want = (byte[]) expect.get(i)[1];
            if (f.contentType() == null || f.contentType().startsWith("text/")) { // RFC 2045 5.2: text/plain
                assertEquals(text(want), text(f.data()), f.name());
            } else {
                assertArrayEquals(want, f.data(), f.name());
            }
            assertEquals(f.data().length, f.size());
            assertTrue(f.done() && !f.truncated());
        }
    }
}
