package io.judo.packet.build;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * FTP sessions (RFC 959) in passive mode: greeting, USER and PASS, SYST, PWD, TYPE I, then one to three transfers,
 * each a PASV whose 227 reply announces the server's address and port, a LIST, RETR or STOR, and the data
 * connection the client opens to that port while the control connection waits between the 150 and 226 replies.
 * The side that sends the data closes its connection, as FTP marks the end of a file by closing.
 */
final class FtpSessions {
    private static final String[] USERS = {"anonymous", "ftpuser", "backup", "deploy", "www-data"};
    private static final String[] FILES = {"release.tar.gz", "backup.sql.gz", "report.pdf", "index.html",
        "firmware.bin", "notes.txt", "photos.zip"};
    private static final String SERVER_NET = "192.0.2";

    private final SplittableRandom random;
    private final Endpoints endpoints;

    FtpSessions(SplittableRandom random, Endpoints endpoints) {
        this.random = random;
        this.endpoints = endpoints;
    }

    /** The control connection's frames and its data connections', from {@code start}. */
    List<TcpConversation.Frame> session(long start) {
        String client = endpoints.client(false);
        String server = Endpoints.server(SERVER_NET, 200 + random.nextInt(4), false);
        long step = 300_000L + random.nextInt(3_000_000);
        TcpConversation c = endpoints.connect(client, server, 21, start, step);
        List<TcpConversation.Frame> frames = new ArrayList<>();
        c.handshake();
        reply(c, "220 (vsFTPd 3.0.3)");
        String user = USERS[random.nextInt(USERS.length)];
        command(c, "USER " + user);
        reply(c, user.equals("anonymous") ? "331 Please specify the password." : "331 Password required for " + user);
        command(c, "PASS " + (user.equals("anonymous") ? "guest@example.com" : RandomText.hex(random, 5)));
        reply(c, "230 Login successful.");
        command(c, "SYST");
        reply(c, "215 UNIX Type: L8");
        command(c, "PWD");
        String home = user.equals("anonymous") ? "/" : "/home/" + user;
        reply(c, "257 \"" + home + "\" is the current directory");
        command(c, "TYPE I");
        reply(c, "200 Switching to Binary mode.");
        int transfers = 1 + random.nextInt(3);
        for (int i = 0; i < transfers; i++) {
            int dataPort = 30_000 + random.nextInt(20_000);
            command(c, "PASV");
            reply(c, "227 Entering Passive Mode (" + server.replace('.', ',') + "," + (dataPort >> 8) + ","
                    + (dataPort & 0xff) + ").");
            int kind = random.nextInt(10);
            String file = FILES[random.nextInt(FILES.length)];
            byte[] data;
            boolean upload = kind >= 7;
            if (kind < 2) {
                data = listing();
                command(c, "LIST");
                reply(c, "150 Here comes the directory listing.");
            } else {
                data = RandomText.bytes(random, size());
                command(c, (upload ? "STOR " : "RETR ") + file);
                reply(c, upload ? "150 Ok to send data." : "150 Opening BINARY mode data connection for " + file
                        + " (" + data.length + " bytes).");
            }
            TcpConversation d = endpoints.connect(client, server, dataPort, c.clock() + 200_000L, 50_000L
                    + random.nextInt(300_000));
            d.handshake();
            if (upload) {
                d.clientSends(data).close();
            } else {
                d.serverSends(data).serverClose();
            }
            frames.addAll(d.frames());
            c.clock(d.clock() + 500_000L, step);
            reply(c, kind < 2 ? "226 Directory send OK." : "226 Transfer complete.");
        }
        command(c, "QUIT");
        reply(c, "221 Goodbye.");
        c.close();
        frames.addAll(c.frames());
        return frames;
    }

    private static void command(TcpConversation c, String line) {
        c.clientSends((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    private static void reply(TcpConversation c, String line) {
        c.serverSends((line + "\r\n").getBytes(StandardCharsets.US_ASCII));
    }

    /** A file's size: a few kilobytes mostly, now and then a few megabytes. */
    private int size() {
        int k = random.nextInt(10);
        return k < 6 ? 500 + random.nextInt(20_000) : k < 9 ? 20_000 + random.nextInt(500_000)
                : 1_000_000 + random.nextInt(3_000_000);
    }

    /** An {@code ls -l} style listing. */
    private byte[] listing() {
        StringBuilder sb = new StringBuilder();
        int n = 3 + random.nextInt(30);
        for (int i = 0; i < n; i++) {
            sb.append(random.nextInt(4) == 0 ? "drwxr-xr-x    2" : "-rw-r--r--    1").append(" 1000     1000     ")
                    .append(String.format(java.util.Locale.ROOT, "%8d", random.nextInt(5_000_000))).append(" Dec 0")
                    .append(1 + random.nextInt(5)).append(" 10:").append(10 + random.nextInt(50)).append(' ')
                    .append(FILES[random.nextInt(FILES.length)].replace(".", "-" + i + ".")).append("\r\n");
        }
        return sb.toString().getBytes(StandardCharsets.US_ASCII);
    }
}
