package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo generate --apps} writes a capture whose application layers Judo itself finds: {@code judo scan --json}
 * with one rule per layer counts DNS, TLS, SSH and SMTP flows, handshakes and mails, and no malformed packet.
 */
class AppsScanTest {
    @TempDir
    Path dir;

    private static long layer(String json, String layer, String key) {
        Matcher m = Pattern.compile("\"" + layer + "\":\\{\"flows\":(\\d+),\"" + key + "\":(\\d+)").matcher(json);
        assertTrue(m.find(), layer + " in " + json);
        assertTrue(Long.parseLong(m.group(1)) > 0, layer + " flows in " + json);
        return Long.parseLong(m.group(2));
    }

    @Test
    void scanFindsEveryLayerOfTheMix() throws Exception {
        Path pcap = dir.resolve("apps.pcap");
        Run g = Run.judo("generate", "--apps", "--out", pcap.toString(), "--size", "8M", "--seed", "4");
        assertEquals(0, g.status(), g.err());
        assertTrue(g.err().contains("sessions: dns/udp "), g.err());
        Path rules = dir.resolve("apps.rules");
        Files.writeString(rules, """
                alert dns any any -> any any (msg:"dns"; dns.query; content:"example"; sid:1; rev:1;)
                alert tls any any -> any any (msg:"sni"; tls.sni; content:"example"; sid:2; rev:1;)
                alert ssh any any -> any any (msg:"ssh"; ssh.software; content:"SSH"; nocase; sid:3; rev:1;)
                alert smtp any any -> any any (msg:"rcpt"; smtp.rcpt_to; content:"@"; sid:4; rev:1;)
                """);
        Run r = Run.judo("scan", "--json", "--rules", rules.toString(), pcap.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(0, r.json("malformed_packets"), r.out());
        assertTrue(layer(r.out(), "dns", "messages") > 0);
        assertTrue(layer(r.out(), "tls", "handshakes") > 0);
        assertTrue(layer(r.out(), "ssh", "handshakes") > 0);
        assertTrue(layer(r.out(), "smtp", "mails") > 0);
        assertTrue(r.json("alerts") > 0, r.out());
    }
}
