package io.judo.applayer.smtp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.ByteBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Hand-checked vectors: base64 (RFC 4648 section 10), quoted-printable (RFC 2045 6.7: =XX, soft line breaks,
 * transport padding, invalid sequences), dot-unstuffing, nested multipart, BDAT, STARTTLS, and every event the parser
 * raises, each from a conversation written out here.
 */
class SmtpParserTest {
    static byte[] b(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static String s(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /** Feeds "C:" lines to the client side and "S:" lines to the server side, in order, CRLF added. */
    static Recorder talk(SmtpConfig config, String... lines) {
        Recorder r = new Recorder();
        SmtpParser p = new SmtpParser(config, r);
        for (String l : lines) {
            byte[] x = b(l.substring(2) + (l.endsWith("\\") ? "" : "\r\n"));
            int n = l.endsWith("\\") ? x.length - 1 : x.length;
            p.data(l.charAt(0) == 'C' ? 0 : 1, x, 0, n);
        }
        p.end(0);
        p.end(1);
        return r;
    }

    static Recorder talk(String... lines) {
        return talk(SmtpConfig.defaults(), lines);
    }

    static String base64(String in) {
        TransferDecoder d = new TransferDecoder();
        d.start(TransferDecoder.BASE64);
        ByteBuilder out = new ByteBuilder();
        d.base64(b(in), 0, in.length(), out);
        d.finish(out);
        return new String(out.a, 0, out.len, StandardCharsets.ISO_8859_1) + (d.flags != 0 ? "!" : "");
    }

    @Test
    void base64Rfc4648Vectors() {
        String[][] v = {{"", ""}, {"Zg==", "f"}, {"Zm8=", "fo"}, {"Zm9v", "foo"}, {"Zm9vYg==", "foob"},
            {"Zm9vYmE=", "fooba"}, {"Zm9vYmFy", "foobar"}};
        for (String[] t : v) {
            assertEquals(t[1], base64(t[0]), t[0]);
        }
        assertEquals("foobar", base64("Zm9v\r\nYmFy\r\n"), "line ends are skipped");
        assertEquals("fooba", base64("Zm9vYmE"), "an unpadded last quantum is written as far as it goes");
        assertEquals("foobar!", base64("Zm9v*YmFy"), "a character outside the alphabet is skipped and flagged");
        assertEquals("foo!", base64("Zm9vY"), "a lone last character cannot make a byte");
        assertEquals("ffoo", base64("Zg==Zm9v"), "after padding a new quantum starts (concatenated base64)");
    }

    static String qp(boolean[] flags, Object... pieces) {
        TransferDecoder d = new TransferDecoder();
        d.start(TransferDecoder.QP);
        ByteBuilder out = new ByteBuilder();
        StringBuilder soft = new StringBuilder();
        for (int i = 0; i < pieces.length; i += 2) {
            String p = (String) pieces[i];
            soft.append(d.quotedPrintable(b(p), 0, p.length(), (Boolean) pieces[i + 1], out) ? "~" : "");
        }
        d.finish(out);
        flags[0] = d.flags != 0;
        return new String(out.a, 0, out.len, StandardCharsets.ISO_8859_1) + soft;
    }

    @Test
    void quotedPrintableVectors() {
        boolean[] bad = new boolean[1];
        assertEquals("a=b", qp(bad, "a=3Db", true));
        assertFalse(bad[0]);
        assertEquals("caf\u00e9", qp(bad, "caf=E9", true));
        assertEquals("abc~", qp(bad, "abc=", true), "a last '=' is a soft line break");
        assertEquals("abc~", qp(bad, "abc=  \t", true), "after the transport padding is dropped");
        assertEquals("ab", qp(bad, "ab  ", true), "trailing whitespace is transport padding");
        assertEquals("a=", qp(bad, "a=3", false, "D", true), "=XX split between two pieces of a long line");
        assertEquals("=", qp(bad, "=3d", true), "lower-case hex is accepted (RFC 2045 lets decoders)");
        assertEquals("=zz", qp(bad, "=zz", true));
        assertTrue(bad[0], "an '=' that does not encode is kept and flagged");
        assertEquals("x=4", qp(bad, "x=4", true));
        assertTrue(bad[0]);
    }

    static final String[] HELLO = {"S:220 mx.example ESMTP", "C:EHLO client.example", "S:250-mx.example",
        "S:250-PIPELINING", "S:250 8BITMIME", "C:MAIL FROM:<a@example.com> SIZE=100", "S:250 ok",
        "C:RCPT TO:<b@example.com>", "S:250 ok", "C:RCPT TO:<c@example.com> NOTIFY=NEVER", "S:250 ok"};

    static String[] cat(String[] a, String... b) {
        String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }

    @Test
    void commandsAndDotUnstuffing() {
        Recorder r = talk(SmtpConfig.defaults().withAllPartsAreFiles(true), cat(HELLO, "C:DATA",
            "S:354 go ahead", "C:Subject: dots", "C:", "C:..hidden", "C:...", "C:. not the end", "C:.", "S:250 queued",
            "C:QUIT", "S:221 bye"));
        assertEquals("[]", r.events.toString());
        Recorder.TxSnap t = r.done.get(0);
        assertEquals("client.example", t.helo());
        assertEquals("<a@example.com>", t.mailFrom(), "the argument up to the first space, brackets kept");
        assertEquals(List.of("<b@example.com>", "<c@example.com>"), t.rcpt());
        assertEquals(List.of("Subject|dots"), t.headers());
        assertEquals(".hidden\r\n..\r\n not the end\r\n", s(t.files().get(0).data()));
        assertTrue(t.complete());
        assertEquals(1, r.done.size(), "QUIT after the mail opens no transaction");
        assertEquals(List.of("helo client.example", "mail_from <a@example.com>", "rcpt_to 0 <b@example.com>",
            "rcpt_to 1 <c@example.com>"), r.commands);
    }

    static final String NESTED = String.join("\r\n",
        "From: a@example.com",
        "Content-Type: multipart/mixed;",
        "\tboundary=\"outer\"",
        "",
        "preamble, not a part",
        "--outer",
        "Content-Type: multipart/alternative; boundary=inner",
        "",
        "--inner",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: quoted-printable",
        "",
        "soft=",
        " break =3D done",
        "--inner",
        "Content-Type: text/html",
        "",
        "<p>hi</p>",
        "--inner--",
        "--outer",
        "Content-Type: application/octet-stream; name=\"evil;name.exe\"",
        "Content-Transfer-Encoding: base64",
        "",
        "Zm9v",
        "YmFy",
        "--outer",
        "Content-Type: text/plain",
        "Content-Disposition: attachment; filename=notes.txt",
        "",
        "line one",
        "line two",
        "",
        "--outer--",
        "epilogue");

    static String[] message(String msg) {
        String[] lines = msg.split("\r\n", -1);
        String[] r = new String[lines.length + 4];
        r[0] = "C:DATA";
        r[1] = "S:354 go";
        for (int i = 0; i < lines.length; i++) {
            r[i + 2] = "C:" + lines[i];
        }
        r[lines.length + 2] = "C:.";
        r[lines.length + 3] = "S:250 ok";
        return cat(HELLO, r);
    }

    @Test
    void nestedMultipart() {
        Recorder r = talk(message(NESTED));
        assertEquals("[]", r.events.toString());
        List<Recorder.FileSnap> f = r.done.get(0).files();
        assertEquals(2, f.size(), "Suricata's files: the parts with a filename");
        assertEquals("evil;name.exe", f.get(0).name(), "a quoted ';' is part of the name");
        assertEquals("foobar", s(f.get(0).data()));
        assertEquals("notes.txt", f.get(1).name());
        assertEquals("line one\r\nline two\r\n", s(f.get(1).data()), "the line end before a boundary is the boundary's");
        assertEquals("text/plain", f.get(1).contentType());

        Recorder all = talk(SmtpConfig.defaults().withAllPartsAreFiles(true), message(NESTED));
        List<Recorder.FileSnap> g = all.done.get(0).files();
        assertEquals(4, g.size());
        assertEquals("soft break = done", s(g.get(0).data()));
        assertEquals("<p>hi</p>", s(g.get(1).data()));
        assertEquals("", g.get(0).name());
    }

    @Test
    void contentLimitAndFileSize() {
        Recorder r = talk(SmtpConfig.defaults().withContentLimit(4), message(NESTED));
        Recorder.FileSnap f = r.done.get(0).files().get(0);
        assertEquals("foob", s(f.data()));
        assertEquals(6, f.size());
        assertTrue(f.truncated());
    }

    @Test
    void mimeEvents() {
        Recorder r = talk(message(String.join("\r\n",
            "Content-Type: multipart/mixed; boundary=b",
            "X-" + "n".repeat(80) + ": long name",
            "no colon here",
            "",
            "--b",
            "Content-Type: application/x; name=a.bin",
            "Content-Transfer-Encoding: base64",
            "",
            "Zm9v!!",
            "--b",
            "Content-Disposition: attachment; filename=q.txt",
            "Content-Transfer-Encoding: quoted-printable",
            "",
            "=ZZ" + "x".repeat(1000))));
        assertEquals("[MIME_INVALID_BASE64, MIME_INVALID_QP, MIME_LONG_ENC_LINE, MIME_LONG_HEADER_NAME, "
            + "MIME_LONG_LINE, MIME_MALFORMED_MSG]", r.done.get(0).events().toString());
        assertEquals("foo", s(r.done.get(0).files().get(0).data()));
    }

    @Test
    void dataRejectedWithPipelinedCommands() {
        // the client pipelines past DATA; the server refuses DATA: what followed are commands, not a message
        Recorder r = talk(cat(HELLO, "C:DATA\r\nRSET\r\nMAIL FROM:<x@example.com>", "S:554 no valid recipients",
            "S:250 reset", "S:250 ok"));
        assertEquals("[1:DATA_COMMAND_REJECTED, 0:INVALID_PIPELINED_SEQUENCE]", r.events.toString());
        assertEquals(2, r.done.size());
        assertTrue(r.done.get(0).reset());
        assertFalse(r.done.get(0).complete());
        assertEquals("<x@example.com>", r.done.get(1).mailFrom());
    }

    @Test
    void repliesBeforeTheirCommandsWait() {
        // the server's side fed first: its replies wait for the commands they answer
        Recorder r = new Recorder();
        SmtpParser p = new SmtpParser(SmtpConfig.defaults(), r);
        byte[] s = b("220 hi\r\n250 hello\r\n250 ok\r\n354 go\r\n250 queued\r\n");
        byte[] c = b("HELO me\r\nMAIL FROM:<m@e>\r\nDATA\r\nSubject: x\r\n\r\nbody\r\n.\r\n");
        p.data(1, s, 0, s.length);
        p.data(0, c, 0, c.length);
        p.end(0);
        p.end(1);
        assertEquals("[]", r.events.toString());
        assertEquals(List.of("Subject|x"), r.done.get(0).headers());
        assertTrue(r.done.get(0).complete());
    }

    @Test
    void startTlsHandsOver() {
        Recorder r = talk("S:220 hi", "C:EHLO me", "S:250 STARTTLS", "C:STARTTLS", "S:220 go ahead",
            "C:\u0016\u0003\u0001binary hello", "S:\u0016\u0003\u0003server hello");
        assertEquals("[]", r.events.toString());
        assertEquals(b("EHLO me\r\nSTARTTLS\r\n").length, r.tlsClient);
        assertEquals(b("220 hi\r\n250 STARTTLS\r\n220 go ahead\r\n").length, r.tlsServer);
        assertTrue(r.done.get(0).tls());
        assertEquals(0, r.tlsData[0].size() + r.tlsData[1].size(), "nothing held: the engine cuts TLS from the stream");

        // a client that sends its ClientHello before the 220: what it held is handed over, in order, after startTls
        Recorder eager = talk("S:220 hi", "C:EHLO me", "S:250 STARTTLS", "C:STARTTLS", "C:\u0016\u0003\u0001hello",
            "C:more", "S:220 go ahead");
        assertEquals(b("EHLO me\r\nSTARTTLS\r\n").length, eager.tlsClient);
        assertEquals("\u0016\u0003\u0001hello\r\nmore\r\n", Recorder.text(eager.tlsData[0].toByteArray()));
        assertEquals(0, eager.tlsData[1].size());

        Recorder no = talk("S:220 hi", "C:EHLO me", "S:250 ok", "C:STARTTLS", "S:454 not now", "C:MAIL FROM:<a@b>",
            "S:250 ok");
        assertEquals("[1:TLS_REJECTED]", no.events.toString());
        assertEquals(-1, no.tlsClient);
        assertEquals("<a@b>", no.done.get(0).mailFrom());
    }

    @Test
    void bdatChunks() {
        String body = "Subject: c\r\nContent-Type: text/plain; name=c.txt\r\n\r\nchunked\r\nbody";
        String one = body.substring(0, 20);
        String two = body.substring(20);
        Recorder r = talk(cat(HELLO, "C:BDAT " + one.length() + "\r\n" + one + "\\", "S:250 ok",
            "C:BDAT " + two.length() + " LAST\r\n" + two + "\\", "S:250 ok", "C:QUIT", "S:221 bye"));
        assertEquals("[]", r.events.toString());
        Recorder.TxSnap t = r.done.get(0);
        assertTrue(t.complete());
        assertEquals("chunked\r\nbody", s(t.files().get(0).data()));

        Recorder over = talk(cat(HELLO, "C:BDAT 4\r\nSubject: too long\r\n\\", "S:250 ok"));
        assertTrue(over.done.get(0).events().contains("BDAT_CHUNK_LEN_EXCEEDED"), over.summary());
    }

    @Test
    void protocolEvents() {
        Recorder r = talk("S:220 hi", "C:HELO one", "S:250 ok", "C:HELO two", "S:250 ok",
            "C:MAIL FROM:<a@b>", "S:250 ok", "C:MAIL FROM:<c@d>", "S:503 nested", "C:NOOP " + "x".repeat(600),
            "S:250 " + "y".repeat(600), "S:hello", "S:250 unasked");
        assertEquals("[DUPLICATE_FIELDS, INVALID_REPLY, MAX_COMMAND_LINE_LEN_EXCEEDED, MAX_REPLY_LINE_LEN_EXCEEDED, "
            + "UNABLE_TO_MATCH_REPLY_WITH_REQUEST]", r.done.get(0).events().toString());
        assertEquals("one", r.done.get(0).helo(), "the first HELO is kept");
        assertEquals("<a@b>", r.done.get(0).mailFrom());

        Recorder first = talk("S:500 go away", "C:QUIT", "S:221 bye");
        assertEquals("[1:INVALID_REPLY]", first.events.toString(), "a greeting must be 220");
    }

    @Test
    void gapTruncatesTheFileAndResyncs() {
        Recorder r = new Recorder();
        SmtpParser p = new SmtpParser(SmtpConfig.defaults(), r);
        byte[] s = b("220 hi\r\n250 ok\r\n354 go\r\n250 ok\r\n250 ok\r\n");
        byte[] c1 = b("HELO me\r\nDATA\r\nContent-Type: text/plain; name=a.txt\r\n\r\nfirst li");
        byte[] c2 = b("ne\r\nsecond\r\n.\r\nMAIL FROM:<n@e>\r\n");
        p.data(1, s, 0, s.length);
        p.data(0, c1, 0, c1.length);
        p.gap(0, 10);
        p.data(0, c2, 0, c2.length);
        p.end(0);
        p.end(1);
        Recorder.FileSnap f = r.done.get(0).files().get(0);
        assertEquals("second\r\n", s(f.data()), "the line the gap cut is dropped; the next line is read");
        assertTrue(f.truncated());
        assertTrue(r.done.get(0).events().contains("STREAM_GAP"));
        assertEquals("<n@e>", r.done.get(1).mailFrom());
    }

    @Test
    void buffersAndEventNames() {
        assertEquals("smtp.rcpt_to", SmtpBuffer.RCPT_TO.text());
        assertTrue(SmtpBuffer.RCPT_TO.multi());
        assertEquals("mime_long_header_name", SmtpEvent.MIME_LONG_HEADER_NAME.text());
        assertEquals("bdat_chunk_len_exceeded", SmtpEvent.BDAT_CHUNK_LEN_EXCEEDED.text());
    }
}
