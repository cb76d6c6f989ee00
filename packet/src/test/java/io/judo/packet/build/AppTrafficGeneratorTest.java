package io.judo.packet.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.testing.TsharkTcp;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The application mix is deterministic, and tshark reads what the generator says it wrote: every DNS question, every
 * TLS server name, the certificates, SMTP, FTP and SSH, with valid checksums, no malformed frame, no expert warning
 * and no TCP analysis finding.
 */
class AppTrafficGeneratorTest {
    @TempDir
    Path dir;

    private static byte[] capture(long seed, long packets) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new AppTrafficGenerator(seed).write(out, packets, Long.MAX_VALUE);
        return out.toByteArray();
    }

    @Test
    void sameSeedSameCaptureOtherSeedOther() throws Exception {
        assertArrayEquals(capture(5, 4000), capture(5, 4000));
        assertFalse(java.util.Arrays.equals(capture(5, 4000), capture(6, 4000)));
    }

    private static List<String> values(List<String> lines) {
        List<String> r = new ArrayList<>();
        for (String line : lines) {
            if (!line.isEmpty()) {
                r.addAll(List.of(line.split(",")));
            }
        }
        return r;
    }

    @Test
    void tsharkReadsEveryProtocolWithoutWarnings() throws Exception {
        Path file = dir.resolve("apps.pcap");
        List<String> questions = new ArrayList<>();
        List<String> servers = new ArrayList<>();
        AppTrafficGenerator g = new AppTrafficGenerator(2).names((app, name) -> (app == AppTrafficGenerator.App.DNS_UDP
                ? questions : servers).add(name));
        try (var out = Files.newOutputStream(file)) {
            g.write(out, Long.MAX_VALUE, 20L << 20);
        }
        for (AppTrafficGenerator.App app : AppTrafficGenerator.App.values()) {
            assertTrue(g.sessions(app) > 0, app + ": " + g.summary());
        }
        // tshark 4.0 reads only the type of an ed25519 host signature and warns that the rest is left over: the one
        // expert message let through
        List<String> bad = TsharkTcp.fields(file, "(_ws.malformed || _ws.expert.severity >= warning "
                + "|| ip.checksum.status == 0 || tcp.checksum.status == 0 || udp.checksum.status == 0 "
                + "|| tcp.analysis.flags) && !(ssh.message_code == 31 && _ws.expert.message contains \"legnth\")",
                "frame.number", "_ws.col.Info");
        assertEquals(List.of(), bad);

        List<String> asked = new ArrayList<>(values(TsharkTcp.fields(file, "dns.flags.response == 0",
                "dns.qry.name")));
        assertEquals(g.dnsQueries(), asked.size());
        java.util.Collections.sort(asked);
        java.util.Collections.sort(questions);
        assertEquals(questions, asked);

        List<String> sni = new ArrayList<>(values(TsharkTcp.fields(file, "tls.handshake.type == 1",
                "tls.handshake.extensions_server_name")));
        assertEquals(g.sessions(AppTrafficGenerator.App.TLS12) + g.sessions(AppTrafficGenerator.App.TLS13), sni.size());
        java.util.Collections.sort(sni);
        java.util.Collections.sort(servers);
        assertEquals(servers, sni);

        Set<String> names = new TreeSet<>(values(TsharkTcp.fields(file, "tls.handshake.type == 11", "x509ce.dNSName")));
        assertTrue(names.contains("www.example.com") || names.contains("api.example.net"), names.toString());
        assertFalse(TsharkTcp.fields(file, "tls.handshake.type == 11", "x509sat.printableString").isEmpty());

        Set<String> smtp = new TreeSet<>(values(TsharkTcp.fields(file, "smtp.req", "smtp.req.command")));
        assertEquals(Set.of("DATA", "EHLO", "MAIL", "QUIT", "RCPT"), smtp);
        assertEquals(g.mails(), TsharkTcp.fields(file, "imf", "frame.number").size());

        Set<String> ftp = new TreeSet<>(values(TsharkTcp.fields(file, "ftp.request", "ftp.request.command")));
        assertTrue(ftp.containsAll(Set.of("USER", "PASS", "PWD", "PASV", "QUIT")), ftp.toString());
        assertTrue(ftp.contains("RETR") || ftp.contains("STOR"), ftp.toString());
        assertFalse(TsharkTcp.fields(file, "ftp-data", "frame.number").isEmpty(), "data connections found by PASV");

        assertEquals(2 * g.sessions(AppTrafficGenerator.App.SSH),
                TsharkTcp.fields(file, "ssh.protocol", "ssh.protocol").size());
        assertEquals(2 * g.sessions(AppTrafficGenerator.App.SSH),
                TsharkTcp.fields(file, "ssh.message_code == 20", "frame.number").size(), "KEXINIT each way");
        assertTrue(g.httpTransactions() > 0);
    }
}
