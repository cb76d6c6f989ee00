package io.judo.packet.build;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * SMTP sessions (RFC 5321) delivering one or two mails each: greeting, EHLO and its extension list, MAIL FROM, one to
 * three RCPT TO, DATA with a MIME mail (RFC 2045/2046: a text part and, mostly, a base64 attachment of a few
 * kilobytes to a few hundred), the dot line, QUIT. Mail bodies are dot-stuffed as the protocol requires.
 */
final class SmtpSessions {
    private static final DateTimeFormatter DATE = DateTimeFormatter
            .ofPattern("EEE, dd MMM yyyy HH:mm:ss '+0000'", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String[] USERS = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi",
        "billing", "noreply", "support", "hr"};
    private static final String[] DOMAINS = {"example.com", "example.net", "example.org"};
    /** Attachment name, MIME type and the bytes its files start with. */
    private static final String[][] FILES = {{"report.pdf", "application/pdf", "%PDF-1.7\n"},
        {"invoice.zip", "application/zip", "PK\u0003\u0004"}, {"photo.jpg", "image/jpeg", "\u00ff\u00d8\u00ff\u00e0"},
        {"data.csv", "text/csv", "id,name,amount\r\n"}, {"setup.bin", "application/octet-stream", ""}};
    private static final String SERVER_NET = "192.0.2";
    private static final Base64.Encoder MIME = Base64.getMimeEncoder(76, new byte[] {'\r', '\n'});

    private final SplittableRandom random;
    private final Endpoints endpoints;
    private long mails;

    SmtpSessions(SplittableRandom random, Endpoints endpoints) {
        this.random = random;
        this.endpoints = endpoints;
    }

    long mails() {
        return mails;
    }

    TcpConversation session(long start) {
        String domain = DOMAINS[random.nextInt(DOMAINS.length)];
        String server = "mail." + domain;
        int port = random.nextInt(4) == 0 ? 587 : 25;
        TcpConversation c = endpoints.connect(endpoints.client(false), Endpoints.server(SERVER_NET, 100
                + random.nextInt(3), false), port, start, 300_000L + random.nextInt(3_000_000));
        c.handshake();
        say(c, false, "220 " + server + " ESMTP Postfix (Debian/GNU)");
        String client = "client" + random.nextInt(100) + "." + DOMAINS[random.nextInt(DOMAINS.length)];
        say(c, true, "EHLO " + client);
        say(c, false, "250-" + server + "\r\n250-PIPELINING\r\n250-SIZE 52428800\r\n250-8BITMIME\r\n"
                + "250-ENHANCEDSTATUSCODES\r\n250 SMTPUTF8");
        int count = random.nextInt(5) == 0 ? 2 : 1;
        for (int m = 0; m < count; m++) {
            String from = address();
            say(c, true, "MAIL FROM:<" + from + ">");
            say(c, false, "250 2.1.0 Ok");
            int rcpts = 1 + random.nextInt(3);
            StringBuilder to = new StringBuilder();
            for (int i = 0; i < rcpts; i++) {
                String r = address();
                to.append(i == 0 ? "" : ", ").append(r);
                say(c, true, "RCPT TO:<" + r + ">");
                say(c, false, "250 2.1.5 Ok");
            }
            say(c, true, "DATA");
            say(c, false, "354 End data with <CR><LF>.<CR><LF>");
            c.clientSends(ascii(dotStuffed(mail(from, to.toString(), c.clock())) + ".\r\n"));
            say(c, false, "250 2.0.0 Ok: queued as " + RandomText.hex(random, 5).toUpperCase(Locale.ROOT));
            mails++;
        }
        say(c, true, "QUIT");
        say(c, false, "221 2.0.0 Bye");
        c.close();
        return c;
    }

    private void say(TcpConversation c, boolean fromClient, String line) {
        byte[] b = ascii(line + "\r\n");
        if (fromClient) {
            c.clientSends(b);
        } else {
            c.serverSends(b);
        }
    }

    private String address() {
        return USERS[random.nextInt(USERS.length)] + "@" + DOMAINS[random.nextInt(DOMAINS.length)];
    }

    /** A mail's header and MIME body, lines ending in CRLF. */
    private String mail(String from, String to, long nanos) {
        StringBuilder m = new StringBuilder(4096);
        String host = from.substring(from.indexOf('@') + 1);
        m.append("Date: ").append(DATE.format(Instant.ofEpochSecond(nanos / 1_000_000_000L))).append("\r\n");
        m.append("From: ").append(from).append("\r\nTo: ").append(to).append("\r\n");
        m.append("Subject: ").append(RandomText.sentence(random)).append("\r\n");
        m.append("Message-ID: <").append(RandomText.hex(random, 12)).append('@').append(host).append(">\r\n");
        m.append("MIME-Version: 1.0\r\n");
        boolean attach = random.nextInt(5) != 0;
        if (!attach) {
            m.append("Content-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 7bit\r\n\r\n");
            return text(m, 2 + random.nextInt(30)).toString();
        }
        String boundary = "----=_Part_" + RandomText.hex(random, 8);
        m.append("Content-Type: multipart/mixed; boundary=\"").append(boundary).append("\"\r\n\r\n");
        m.append("This is a multi-part message in MIME format.\r\n\r\n");
        m.append("--").append(boundary).append("\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Content-Transfer-Encoding: 7bit\r\n\r\n");
        text(m, 1 + random.nextInt(12)).append("\r\n");
        String[] file = FILES[random.nextInt(FILES.length)];
        String name = file[0].replace(".", "-" + random.nextInt(1000) + ".");
        m.append("--").append(boundary).append("\r\nContent-Type: ").append(file[1]).append("; name=\"").append(name)
                .append("\"\r\nContent-Transfer-Encoding: base64\r\nContent-Disposition: attachment; filename=\"")
                .append(name).append("\"\r\n\r\n");
        m.append(MIME.encodeToString(attachment(file[2]))).append("\r\n");
        m.append("--").append(boundary).append("--\r\n");
        return m.toString();
    }

    private StringBuilder text(StringBuilder m, int lines) {
        for (int i = 0; i < lines; i++) {
            m.append(RandomText.sentence(random)).append("\r\n");
        }
        return m;
    }

    /** An attachment's bytes: the file type's magic, then random bytes, 2 KB to 300 KB, mostly small. */
    private byte[] attachment(String magic) {
        int size = random.nextInt(4) == 0 ? 50_000 + random.nextInt(250_000) : 2000 + random.nextInt(30_000);
        byte[] b = RandomText.bytes(random, size);
        byte[] m = magic.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(m, 0, b, 0, m.length);
        return b;
    }

    /** RFC 5321 4.5.2: a line that starts with a dot gets another in front. */
    private static String dotStuffed(String body) {
        String s = body.replace("\r\n.", "\r\n..");
        return s.startsWith(".") ? "." + s : s;
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
