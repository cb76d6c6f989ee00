package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.testing.ExternalTools;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Rules of the protocols Judo detects by content ({@code alert smtp}, {@code alert ftp}, {@code alert ssh},
 * {@code app-layer-protocol}) on real sessions: zeek's FTP captures, and SMTP (Python's smtplib to its smtpd) and SSH
 * (the OpenSSH client) recorded on loopback by sessions.py. tshark dissecting the same bytes is the oracle for which
 * flows carry the protocol and which commands they send; a rule of the protocol alerts on exactly those flows, a
 * rule of another protocol with the same content never. Detection goes by content: the same SMTP session on a port
 * that is no mail port alerts the same.
 */
class TextProtocolDetectionTest {
    private static final Path SCRIPT = Path.of("src/test/resources/io/judo/engine/detect/sessions.py");
    private static final Path PCAPS = Path.of("../../shared/data/pcaps");

    @TempDir
    static Path dir;

    /** The SMTP session's attachments as Python's email parser decodes them, by file name. */
    private static final Map<String, byte[]> ATTACHMENTS = new TreeMap<>();

    /** The same attachments' SHA-256 as Python's hashlib computes it over those bytes, by file name. */
    private static final Map<String, String> DIGESTS = new TreeMap<>();

    /** Per session name, its flights: direction and bytes. */
    private static final Map<String, List<Object[]>> SESSIONS = new TreeMap<>();

    @BeforeAll
    static void sessions() throws Exception {
        ExternalTools.require("tshark");
        ExternalTools.require("python3");
        ExternalTools.require("ssh");
        List<Object[]> flights = null;
        for (String line : ExternalTools.run("python3", SCRIPT.toString()).split("\n")) {
            String[] w = line.split(" ", 3);
            if (w[0].equals("CASE")) {
                flights = new ArrayList<>();
                SESSIONS.put(w[1], flights);
            } else if (w[0].equals("ATTACHMENT")) {
                ATTACHMENTS.put(w[1], Base64.getDecoder().decode(w[2]));
            } else if (w[0].equals("SHA256")) {
                DIGESTS.put(w[1], w[2]);
            } else if (w[0].equals("FLIGHT")) {
                flights.add(new Object[] {Integer.parseInt(w[1]), Base64.getDecoder().decode(w[2])});
            }
        }
        assertEquals(Set.of("smtp", "smtp-files", "smtp-starttls", "ssh"), SESSIONS.keySet());
    }

    private static List<byte[]> frames(String session, int serverPort, int mss) {
        TcpConversation conv = new TcpConversation(PacketBuilder::ethernet, "10.2.0.1", 40001, "10.2.0.2", serverPort,
                0x5000L, 9_000_000L).mss(mss).handshake();
        for (Object[] f : SESSIONS.get(session)) {
            if ((int) f[0] == 0) {
                conv.clientSends((byte[]) f[1]);
            } else {
                conv.serverSends((byte[]) f[1]);
            }
        }
        conv.close();
        List<byte[]> frames = new ArrayList<>();
        conv.frames().forEach(f -> frames.add(f.bytes()));
        return frames;
    }

    private static Path pcap(String name, List<byte[]> frames) throws Exception {
        Path p = dir.resolve(name + ".pcap");
        try (OutputStream o = Files.newOutputStream(p); PcapWriter w = new PcapWriter(o, 1, 65535, false)) {
            long t = 1_700_000_000_000_000_000L;
            for (byte[] f : frames) {
                w.write(t += 1_000_000, f, 0, f.length, f.length);
            }
        }
        return p;
    }

    /** tshark's values of {@code field} in {@code pcap}, one per line, with decode-as rules if given. */
    private static List<String> tshark(Path pcap, String field, String... decodeAs) throws Exception {
        return tsharkWhere(pcap, field, field, decodeAs);
    }

    /** tshark's values of {@code field} in the packets {@code filter} takes. */
    private static List<String> tsharkWhere(Path pcap, String filter, String field, String... decodeAs) throws Exception {
        List<String> args = new ArrayList<>(List.of("tshark", "-n", "-r", pcap.toString(), "-o",
                "tcp.check_checksum:FALSE"));
        for (String d : decodeAs) {
            args.add("-d");
            args.add(d);
        }
        args.addAll(List.of("-Y", filter, "-T", "fields", "-e", field));
        return ExternalTools.run(args.toArray(String[]::new)).lines().filter(l -> !l.isBlank())
                .collect(Collectors.toList());
    }

    private static String rule(String proto, int sid, String options) {
        return "alert " + proto + " any any -> any any (msg:\"" + sid + "\"; " + options + " sid:" + sid + ";)\n";
    }

    /** Per sid, the flows it alerted in. */
    private static Map<Long, Set<Long>> flows(List<Alert> alerts) {
        Map<Long, Set<Long>> m = new TreeMap<>();
        alerts.forEach(a -> m.computeIfAbsent(a.rule().sid(), k -> new TreeSet<>()).add(a.flowId()));
        return m;
    }

    @ParameterizedTest
    @ValueSource(strings = {"zeek_ftp_bigtransfer.pcap", "zeek_ftp_cwd-navigation.pcap"})
    void ftpRulesAlertOnTheFlowsTsharkDissectsAsFtp(String name) throws Exception {
        Path pcap = PCAPS.resolve(name);
        Assumptions.assumeTrue(Files.isRegularFile(pcap), "the shared captures are beside the checkout");
        List<String> commands = tshark(pcap, "ftp.request.command");
        assertTrue(commands.contains("USER"), "tshark reads the login");
        String rules = rule("ftp", 1, "flow:established,to_server; content:\"USER \"; depth:5;")
                + rule("smtp", 2, "flow:established,to_server; content:\"USER \";")
                + rule("ssh", 3, "content:\"USER \";")
                // every server reply ends its line; the greeting itself comes before the client's first command, so
                // before the flow is known to be FTP (docs/RULES.md), but each reply after it is in an FTP flow
                + rule("tcp", 4, "app-layer-protocol:ftp; flow:established,to_client; content:\"|0d 0a|\";")
                + rule("tcp", 5, "app-layer-protocol:!ftp; flow:established,to_server; content:\"USER \";")
                + rule("ftp", 6, "flow:established,to_server; content:\"NOSUCHCOMMAND\";");
        Map<Long, Set<Long>> got = flows(Replay.alerts(rules, "ftp.rules", pcap));
        long ftpFlows = new TreeSet<>(tsharkWhere(pcap, "ftp.request.command == \"USER\"", "tcp.stream")).size();
        assertEquals(ftpFlows, got.getOrDefault(1L, Set.of()).size(), () -> "ftp flows with a login: " + got);
        assertEquals(got.get(1L), got.get(4L), "the replies of the same flows");
        for (long sid : new long[] {2, 3, 5, 6}) {
            assertTrue(!got.containsKey(sid), () -> "sid " + sid + " alerted: " + got);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1460, 9})
    void smtpRulesAlertOnTheRealSessionOnAnyPort(int mss) throws Exception {
        // tshark dissects port 25 as SMTP by itself, and port 2525 when told to: the oracle for what each side sent
        Path p25 = pcap("smtp25-" + mss, frames("smtp", 25, mss));
        Path p2525 = pcap("smtp2525-" + mss, frames("smtp", 2525, mss));
        List<String> commands = tshark(p25, "smtp.req.command");
        assertEquals(List.of("EHLO", "MAIL", "RCPT", "RCPT", "DATA", "QUIT"),
                commands.stream().map(c -> c.toUpperCase(java.util.Locale.ROOT)).toList());
        assertEquals(commands, tshark(p2525, "smtp.req.command", "tcp.port==2525,smtp"));
        String rules = rule("smtp", 1, "flow:established,to_server; content:\"mail FROM:<alice@judo.example>\";")
                + rule("smtp", 2, "flow:established,to_server; content:\"Subject: Judo quarterly report\";")
                // the greeting comes before the client's EHLO, before the flow is known to be SMTP: no alert
                // (docs/RULES.md); the replies after it are in an SMTP flow
                + rule("smtp", 3, "flow:established,to_client; content:\"Python SMTP proxy\";")
                + rule("smtp", 7, "flow:established,to_client; content:\"250-8BITMIME\";")
                + rule("ftp", 4, "content:\"mail FROM:\";")
                + rule("tcp", 5, "app-layer-protocol:smtp; content:\"rcpt TO:<bob@judo.example>\";")
                + rule("tls", 6, "content:\"Subject:\";");
        for (Path p : List.of(p25, p2525)) {
            List<byte[]> frames = frames("smtp", p == p25 ? 25 : 2525, mss);
            Map<Long, Integer> got = Replay.bySid(Replay.alerts(rules, "smtp.rules", frames));
            assertEquals(Map.of(1L, 1, 2L, 1, 5L, 1, 7L, 1), got, p.getFileName().toString());
        }
    }

    @Test
    void sshRulesAlertOnTheOpenSshClientsBanner() throws Exception {
        Path p = pcap("ssh", frames("ssh", 22, 1460));
        List<String> banners = tshark(p, "ssh.protocol");
        assertEquals(2, banners.size(), () -> "tshark reads both identification strings: " + banners);
        String client = banners.stream().filter(b -> b.contains("OpenSSH")).findFirst().orElseThrow();
        String rules = rule("ssh", 1, "flow:established,to_server; content:\"" + client + "\"; depth:"
                + client.length() + ";")
                + rule("ssh", 2, "flow:established,to_client; content:\"SSH-2.0-JudoTestServer_1.0\";")
                + rule("smtp", 3, "content:\"SSH-2.0\";")
                + rule("tcp", 4, "app-layer-protocol:ssh; flow:to_server; content:\"SSH-\"; depth:4;");
        assertEquals(Map.of(1L, 1, 2L, 1, 4L, 1), Replay.bySid(Replay.alerts(rules, "ssh.rules",
                frames("ssh", 2222, 1460))));
    }

    /**
     * SSH is parsed: its buffers hold the banners and the client's KEXINIT fingerprint as tshark reads them
     * ({@code ssh.protocol}, {@code ssh.kex.hassh}, {@code ssh.kex.hassh_algorithms}); the server of sessions.py sends
     * a banner and no KEXINIT, so nothing reads as hassh.server. A rule alerts once per flow and direction; the EVE
     * ssh record of the connection carries the same fields.
     */
    @Test
    void sshBuffersAndTheEveRecordAgreeWithTshark() throws Exception {
        List<byte[]> frames = frames("ssh", 22, 1460);
        Path p = pcap("ssh-buffers", frames);
        List<String> hassh = tshark(p, "ssh.kex.hassh");
        List<String> algorithms = tshark(p, "ssh.kex.hassh_algorithms");
        assertEquals(1, hassh.size(), () -> "tshark reads the client's KEXINIT: " + hassh);
        assertEquals(List.of(), tshark(p, "ssh.kex.hasshserver"));
        String client = tshark(p, "ssh.protocol").stream().filter(b -> b.contains("OpenSSH")).findFirst()
                .orElseThrow();
        String software = client.substring("SSH-2.0-".length()).split(" ")[0];
        String rules = rule("ssh", 1, "flow:to_server; ssh.software; content:\"" + software + "\"; bsize:"
                + software.length() + ";")
                + rule("ssh", 2, "flow:to_server; ssh.proto; content:\"2.0\"; bsize:3;")
                + rule("ssh", 3, "flow:to_client; ssh_software; content:\"JudoTestServer_1.0\"; bsize:18;")
                + rule("ssh", 4, "ssh.hassh; content:\"" + hassh.get(0) + "\";")
                + rule("ssh", 5, "ssh.hassh.string; content:\"" + algorithms.get(0).replace(";", "|3b|") + "\"; bsize:"
                        + algorithms.get(0).length() + ";")
                + rule("ssh", 6, "ssh.hassh.server; content:\"a\";")
                + rule("ssh", 7, "ssh.proto; content:\"2.0\";")
                + rule("tcp", 8, "flow:to_server; ssh.software; to_lowercase; content:\"openssh_\"; startswith;")
                + rule("ssh", 9, "flow:to_client; ssh.software; content:\"OpenSSH\";")
                + Replay.etRule(2019876) + "\n";
        assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1, 4L, 1, 5L, 1, 7L, 2, 8L, 1), Replay.bySid(Replay.alerts(rules,
                "ssh.rules", frames)), "7 has no direction: once each way; ET's fake-PuTTY rule reads the proto");
        FlowPath path = new FlowPath(io.judo.reassembly.StreamConfig.defaults(), true);
        List<String> eve = new ArrayList<>();
        path.appLayer().subscribe(new io.judo.engine.output.SshLog(eve::add));
        Replay.frames(frames, (v, t) -> path.run(new Stage[0], v, t));
        path.finish();
        assertEquals(1, eve.size(), () -> "one record per connection: " + eve);
        String line = eve.get(0);
        assertTrue(line.contains("\"event_type\":\"ssh\""), line);
        assertTrue(line.contains("\"ssh\":{\"client\":{\"proto_version\":\"2.0\",\"software_version\":\"" + software
                + "\",\"hassh\":{\"hash\":\"" + hassh.get(0) + "\",\"string\":\"" + algorithms.get(0)
                + "\"}},\"server\":{\"proto_version\":\"2.0\",\"software_version\":\"JudoTestServer_1.0\"}}"), line);
    }

    /**
     * SMTP is parsed: the envelope buffers hold what tshark reads as the commands' parameters, {@code file.data} the
     * attachment as Python's email parser decodes it (sent base64: ET Open's Zimbra rule finds its path only decoded),
     * and each rule runs once per mail and per recipient or file until it alerts; the EVE smtp record carries the
     * envelope, the headers and the attachment's name.
     */
    @Test
    void smtpBuffersFilesAndTheEveRecordAgreeWithTsharkAndPython() throws Exception {
        List<byte[]> frames = frames("smtp", 25, 1460);
        Path p = pcap("smtp-buffers", frames);
        List<String> params = tshark(p, "smtp.req.parameter");
        String helo = params.get(0);
        String mailFrom = params.stream().filter(x -> x.startsWith("FROM:")).findFirst().orElseThrow().substring(5)
                .split(" ")[0]; // smtplib adds " size=N": Suricata's mail_from stops at the first space
        List<String> rcpts = params.stream().filter(x -> x.startsWith("TO:")).map(x -> x.substring(3).split(" ")[0]).toList();
        assertEquals(2, rcpts.size(), params::toString);
        byte[] file = ATTACHMENTS.get("report.cpio");
        String rules = rule("smtp", 1, "flow:to_server; smtp.helo; content:\"" + helo + "\"; bsize:" + helo.length() + ";")
                + rule("smtp", 2, "smtp.mail_from; content:\"" + mailFrom + "\"; bsize:" + mailFrom.length() + ";")
                + rule("smtp", 3, "smtp.rcpt_to; content:\"" + rcpts.get(1) + "\"; bsize:" + rcpts.get(1).length()
                        + ";")
                + rule("smtp", 4, "smtp.rcpt_to; content:\"judo.example\";")
                + rule("smtp", 5, "file.data; content:\"070707\"; startswith; bsize:" + file.length + ";")
                + rule("smtp", 6, "flow:to_server; content:\"/jetty/webapps\";")
                + rule("smtp", 7, "file.data; content:\"numbers are in\";")
                + rule("http", 8, "file.data; content:\"070707\";")
                + rule("smtp", 9, "flow:to_client; smtp.helo; content:\"client\";")
                + Replay.etRule(2039143) + "\n";
        assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1, 4L, 1, 5L, 1, 2039143L, 1), Replay.bySid(Replay.alerts(rules,
                "smtp.rules", frames)), "6: the stream holds base64; 7: the text part is no file (Suricata's rule)");
        FlowPath path = new FlowPath(io.judo.reassembly.StreamConfig.defaults(), true);
        List<String> eve = new ArrayList<>();
        path.appLayer().subscribe(new io.judo.engine.output.SmtpLog(eve::add));
        Replay.frames(frames, (v, t) -> path.run(new Stage[0], v, t));
        path.finish();
        assertEquals(1, eve.size(), () -> "one record per mail: " + eve);
        String line = eve.get(0);
        assertTrue(line.contains("\"smtp\":{\"helo\":\"" + helo + "\",\"mail_from\":\"" + mailFrom
                + "\",\"rcpt_to\":[\"" + rcpts.get(0) + "\",\"" + rcpts.get(1) + "\"]}"), line);
        assertTrue(line.contains("\"email\":{\"status\":\"PARSE_DONE\",\"from\":\"alice@judo.example\","
                + "\"to\":[\"bob@judo.example\",\"carol@judo.example\"],\"attachment\":[\"report.cpio\"]}"), line);
    }

    /**
     * EVE {@code fileinfo} of mail: one record per attachment of smtplib's mail, from the client to the server, with
     * the mail's {@code smtp} and {@code email} objects, and the filename, size and SHA-256 Python's email parser and
     * hashlib give for the same message (a 20,000-byte base64 file over many lines and segments, and a short
     * quoted-printable text); a file larger than the content limit is TRUNCATED, still counted whole, without a digest.
     */
    @ParameterizedTest
    @ValueSource(ints = {100_000, 8192})
    void mailAttachmentsHaveFileinfoRecordsWithPythonsNamesSizesAndDigests(int contentLimit) throws Exception {
        FlowPath path = new FlowPath(io.judo.reassembly.StreamConfig.defaults(), true);
        path.appLayer().smtpConfig(io.judo.applayer.smtp.SmtpConfig.defaults().withContentLimit(contentLimit));
        List<String> eve = new ArrayList<>();
        path.appLayer().subscribe(new io.judo.engine.output.SmtpLog(eve::add, false, true));
        Replay.frames(frames("smtp-files", 25, 536), (v, t) -> path.run(new Stage[0], v, t));
        path.finish();
        assertEquals(Set.of("notes.txt", "report.cpio", "sample.bin"), DIGESTS.keySet(), "Python's oracle");
        assertEquals(2, eve.size(), () -> "one record per file: " + eve);
        String[] names = {"sample.bin", "notes.txt"};
        for (int i = 0; i < names.length; i++) {
            String line = eve.get(i);
            int size = ATTACHMENTS.get(names[i]).length;
            boolean whole = size <= contentLimit;
            assertTrue(line.contains("\"event_type\":\"fileinfo\",\"src_ip\":\"10.2.0.1\",\"src_port\":40001,"
                    + "\"dest_ip\":\"10.2.0.2\",\"dest_port\":25,\"proto\":\"TCP\",\"tx_id\":0,\"smtp\":{"), line);
            assertTrue(line.contains("\"email\":{\"status\":\"PARSE_DONE\",\"from\":\"dave@judo.example\","
                    + "\"to\":[\"erin@judo.example\"],\"attachment\":[\"sample.bin\",\"notes.txt\"]},"
                    + "\"app_proto\":\"smtp\""), line);
            assertTrue(line.endsWith("\"fileinfo\":{\"filename\":\"" + names[i] + "\",\"gaps\":false,\"state\":\""
                    + (whole ? "CLOSED\",\"sha256\":\"" + DIGESTS.get(names[i]) : "TRUNCATED") + "\",\"stored\":false,"
                    + "\"size\":" + size + ",\"tx_id\":0}}"), line);
        }
    }

    /**
     * STARTTLS: smtplib's starttls() to a server that speaks TLS after its 220; the SMTP parser names where TLS starts
     * and the application layer hands the rest of the flow to the TLS parser, so a {@code tls.sni} rule alerts on the
     * SNI tshark reads in the same capture (tshark follows STARTTLS too), and the EVE tls record carries it.
     */
    @Test
    void startTlsHandsTheFlowToTheTlsParser() throws Exception {
        List<byte[]> frames = frames("smtp-starttls", 25, 1460);
        Path p = pcap("smtp-starttls", frames);
        List<String> sni = tsharkWhere(p, "tls.handshake.type == 1", "tls.handshake.extensions_server_name");
        assertEquals(List.of("localhost"), sni);
        String rules = rule("tls", 1, "tls.sni; content:\"" + sni.get(0) + "\"; bsize:" + sni.get(0).length() + ";")
                + rule("tls", 2, "tls.sni; content:\"example\";")
                + rule("tcp", 3, "app-layer-protocol:tls; flow:to_server; content:\"|16 03 01|\";");
        assertEquals(Map.of(1L, 1, 3L, 1), Replay.bySid(Replay.alerts(rules, "starttls.rules", frames)));
        FlowPath path = new FlowPath(io.judo.reassembly.StreamConfig.defaults(), true);
        List<String> eve = new ArrayList<>();
        path.appLayer().subscribe(new io.judo.engine.output.TlsLog(eve::add));
        Replay.frames(frames, (v, t) -> path.run(new Stage[0], v, t));
        path.finish();
        assertEquals(1, eve.size(), eve::toString);
        assertTrue(eve.get(0).contains("\"sni\":\"localhost\",\"version\":\"TLS 1.3\""), eve.get(0));
    }
}
