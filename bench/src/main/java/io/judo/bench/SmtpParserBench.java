package io.judo.bench;

import io.judo.applayer.Slice;
import io.judo.applayer.smtp.SmtpBuffer;
import io.judo.applayer.smtp.SmtpConfig;
import io.judo.applayer.smtp.SmtpEvent;
import io.judo.applayer.smtp.SmtpListener;
import io.judo.applayer.smtp.SmtpParser;
import io.judo.applayer.smtp.SmtpTransaction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The SMTP parser alone, one operation a whole connection: the greeting, EHLO and its multi-line reply (PIPELINING,
 * 8BITMIME, SIZE), MAIL FROM, two RCPT TO, DATA and a MIME mail as a mail client writes it (Message-ID, Date,
 * User-Agent, a text part and a 10 KiB PDF attachment, base64 in 76-column lines, 15,389 bytes on the wire in both directions), its
 * 250, QUIT and 221, each side waiting for the other as an SMTP client does. One parser, reset between connections
 * (the steady state of a parser pool); at the end of the mail the listener reads smtp.helo, smtp.mail_from, each
 * smtp.rcpt_to and each file.data, as detection would. Sessions/s times {@link #sessionBytes()} is the byte rate.
 * {@code java -jar bench/target/benchmarks.jar SmtpParserBench -f 1 -wi 3 -i 5 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class SmtpParserBench {
    /** An Ethernet MSS: the mail's content arrives in such segments. */
    static final int SEGMENT = 1460;
    static final int ATTACHMENT = 10 * 1024;
    /** Cached: {@code values()} copies its array on every call, which would be the benchmark's only allocation. */
    private static final SmtpBuffer[] BUFFERS = SmtpBuffer.values();

    /** The connection's flights in order: direction and bytes. */
    private byte[][] flights;
    private int[] dirs;
    private SmtpParser parser;
    private SmtpParser undecoded;
    private long seen;

    private final SmtpListener listener = new SmtpListener() {
        private final Slice s = new Slice();

        @Override
        public void transactionDone(SmtpTransaction tx) {
            for (SmtpBuffer b : BUFFERS) {
                for (int i = 0; i < tx.count(b); i++) {
                    if (tx.fill(b, i, s)) {
                        seen += s.length;
                    }
                }
            }
        }

        @Override
        public void event(SmtpTransaction tx, int dir, SmtpEvent e) {
        }
    };

    @Setup(Level.Trial)
    public void setUp() {
        List<Object[]> f = connection();
        flights = new byte[f.size()][];
        dirs = new int[f.size()];
        for (int i = 0; i < f.size(); i++) {
            dirs[i] = (int) f.get(i)[0];
            flights[i] = (byte[]) f.get(i)[1];
        }
        parser = new SmtpParser(SmtpConfig.defaults(), listener);
        SmtpConfig c = SmtpConfig.defaults();
        undecoded = new SmtpParser(new SmtpConfig(c.lineBuffer(), c.messageLine(), c.contentLimit(),
                c.headerValueLimit(), c.maxHeaders(), c.maxRecipients(), c.maxFiles(), c.maxFilename(),
                c.maxMimeDepth(), c.holdLimit(), c.allPartsAreFiles(), false, false), listener);
    }

    /** @return the connection's bytes, both directions (for MB/s) */
    static int sessionBytes() {
        return connection().stream().mapToInt(x -> ((byte[]) x[1]).length).sum();
    }

    /** The connection: direction (0 client) and bytes of each flight, in the order an SMTP exchange has them. */
    static List<Object[]> connection() {
        List<Object[]> f = new ArrayList<>();
        server(f, "220 mx.example.net ESMTP Postfix (Debian/GNU)\r\n");
        client(f, "EHLO laptop.example.com\r\n");
        server(f, "250-mx.example.net\r\n250-PIPELINING\r\n250-SIZE 10240000\r\n250-VRFY\r\n250-ETRN\r\n"
                + "250-ENHANCEDSTATUSCODES\r\n250-8BITMIME\r\n250-DSN\r\n250 SMTPUTF8\r\n");
        client(f, "MAIL FROM:<alice@example.com> BODY=8BITMIME SIZE=16020\r\n");
        server(f, "250 2.1.0 Ok\r\n");
        client(f, "RCPT TO:<bob@example.net>\r\n");
        server(f, "250 2.1.5 Ok\r\n");
        client(f, "RCPT TO:<carol@example.net>\r\n");
        server(f, "250 2.1.5 Ok\r\n");
        client(f, "DATA\r\n");
        server(f, "354 End data with <CR><LF>.<CR><LF>\r\n");
        byte[] mail = mail().getBytes(StandardCharsets.US_ASCII);
        for (int at = 0; at < mail.length; at += SEGMENT) {
            f.add(new Object[] {0, java.util.Arrays.copyOfRange(mail, at, Math.min(mail.length, at + SEGMENT))});
        }
        server(f, "250 2.0.0 Ok: queued as 4F2A71C0D3\r\n");
        client(f, "QUIT\r\n");
        server(f, "221 2.0.0 Bye\r\n");
        return f;
    }

    private static void client(List<Object[]> f, String s) {
        f.add(new Object[] {0, s.getBytes(StandardCharsets.US_ASCII)});
    }

    private static void server(List<Object[]> f, String s) {
        f.add(new Object[] {1, s.getBytes(StandardCharsets.US_ASCII)});
    }

    /** The message and its end-of-data line; the attachment is seeded random bytes (as incompressible as a PDF's). */
    private static String mail() {
        byte[] pdf = new byte[ATTACHMENT];
        new Random(19).nextBytes(pdf);
        System.arraycopy("%PDF-1.7\n".getBytes(StandardCharsets.US_ASCII), 0, pdf, 0, 9);
        String b64 = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'}).encodeToString(pdf);
        String text = "Hi Bob, hi Carol,\r\n\r\nthe signed quarterly report is attached; the figures for the third "
                + "quarter\r\nare on page 4.\r\n\r\nBest,\r\nAlice\r\n";
        return "Message-ID: <5b0d2c7e-91f4-4d3a-a0c2-7e1f3b9d2a41@example.com>\r\n"
                + "Date: Sat, 5 Dec 2026 11:42:07 +0100\r\n"
                + "MIME-Version: 1.0\r\n"
                + "User-Agent: Mozilla Thunderbird\r\n"
                + "Content-Language: en-US\r\n"
                + "To: bob@example.net, carol@example.net\r\n"
                + "From: Alice <alice@example.com>\r\n"
                + "Subject: Quarterly report Q3\r\n"
                + "Content-Type: multipart/mixed;\r\n boundary=\"------------Xq3bK1p0Zr7NwVdT8fH2cL5e\"\r\n"
                + "\r\n"
                + "This is a multi-part message in MIME format.\r\n"
                + "--------------Xq3bK1p0Zr7NwVdT8fH2cL5e\r\n"
                + "Content-Type: text/plain; charset=UTF-8; format=flowed\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\n"
                + text + "\r\n"
                + "--------------Xq3bK1p0Zr7NwVdT8fH2cL5e\r\n"
                + "Content-Type: application/pdf; name=\"report-q3.pdf\"\r\n"
                + "Content-Disposition: attachment; filename=\"report-q3.pdf\"\r\n"
                + "Content-Transfer-Encoding: base64\r\n\r\n"
                + b64 + "\r\n\r\n"
                + "--------------Xq3bK1p0Zr7NwVdT8fH2cL5e--\r\n"
                + ".\r\n";
    }

    private long run(SmtpParser p) {
        p.reset();
        for (int i = 0; i < flights.length; i++) {
            p.data(dirs[i], flights[i], 0, flights[i].length);
        }
        p.end(0);
        p.end(1);
        return seen;
    }

    /** The whole connection, the mail in 1,460-byte segments, the attachment base64-decoded and kept for file.data. */
    @Benchmark
    public long session() {
        return run(parser);
    }

    /** The same with base64 and quoted-printable decoding off (parts kept as received): what the decoder costs. */
    @Benchmark
    public long sessionUndecoded() {
        return run(undecoded);
    }
}
