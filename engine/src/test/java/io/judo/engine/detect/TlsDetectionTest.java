package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.testing.ExternalTools;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLS rules through the Suricata stage on real handshakes: the applayer's handshakes.py makes OpenSSL talk to itself
 * (TLS 1.2 with SNI, TLS 1.3, TLS 1.2 without SNI, TLS 1.0, mutual TLS) with certificates of known subject, issuer and
 * serial; tshark reads the SNI, JA3 and JA3S of the same bytes, Python's cryptography the certificate fields. Rules
 * written from those values must alert where the oracle says the value is in the traffic (a certificate only where it
 * goes in clear: not in TLS 1.3), once per flow, and rules with a value changed by one byte never; the bytes are cut
 * into segments of several sizes, so hellos and the certificate chain span segments and records.
 */
class TlsDetectionTest {
    private static final Path SCRIPT = Path.of("../applayer/src/test/resources/io/judo/applayer/tls/handshakes.py");

    @TempDir
    static Path dir;

    /** One handshake: the bytes each side sent, in order, and what the oracles read of them. */
    record Case(String name, Path pcap, List<byte[]> flights, List<Integer> dirs, List<String[]> certs,
            Map<String, String> tshark) {
    }

    private static final List<Case> CASES = new ArrayList<>();

    @BeforeAll
    static void handshakes() throws Exception {
        ExternalTools.require("tshark");
        Assumptions.assumeTrue(Files.isRegularFile(SCRIPT), "the applayer's handshake script is beside this module");
        ExternalTools.require("python3");
        ExternalTools.require("openssl");
        try {
            ExternalTools.run("python3", "-c", "import ssl, cryptography");
        } catch (org.opentest4j.AssertionFailedError e) {
            if ("true".equals(System.getenv("CI"))) {
                throw e; // .ci/run installs python3-cryptography
            }
            Assumptions.abort("python3's cryptography package is not installed (apt-get install python3-cryptography)");
        }
        Case c = null;
        for (String line : ExternalTools.run("python3", SCRIPT.toString(), dir.toString()).split("\n")) {
            String[] w = line.split(" ", 3);
            switch (w[0]) {
                case "CASE" -> {
                    c = new Case(w[1], Path.of(w[2]), new ArrayList<>(), new ArrayList<>(), new ArrayList<>(),
                            new HashMap<>());
                    CASES.add(c);
                }
                case "FLIGHT" -> {
                    c.dirs().add(Integer.parseInt(w[1]));
                    c.flights().add(Base64.getDecoder().decode(w[2]));
                }
                case "CERT" -> c.certs().add(w[2].split("\\|"));
                default -> {
                }
            }
        }
        assertEquals(5, CASES.size());
        for (Case k : CASES) {
            k.tshark().put("sni", field(k.pcap(), "tls.handshake.type == 1", "tls.handshake.extensions_server_name"));
            k.tshark().put("ja3", field(k.pcap(), "tls.handshake.type == 1", "tls.handshake.ja3"));
            k.tshark().put("ja3s", field(k.pcap(), "tls.handshake.type == 2", "tls.handshake.ja3s"));
            k.tshark().put("cert", field(k.pcap(), "tls.handshake.type == 11", "tls.handshake.type"));
        }
    }

    private static String field(Path pcap, String filter, String name) throws Exception {
        return ExternalTools.run("tshark", "-n", "-r", pcap.toString(), "-o", "tcp.check_checksum:FALSE", "-Y",
                filter, "-T", "fields", "-e", name).lines().filter(l -> !l.isBlank()).findFirst().orElse("");
    }

    /** The case's flights as one TCP conversation cut into {@code mss}-byte segments, with handshake and close. */
    private static List<byte[]> frames(Case c, int mss) {
        TcpConversation conv = new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 50123, "10.1.0.2", 443,
                0x1000L, 7_000_000L).mss(mss).handshake();
        for (int i = 0; i < c.flights().size(); i++) {
            if (c.dirs().get(i) == 0) {
                conv.clientSends(c.flights().get(i));
            } else {
                conv.serverSends(c.flights().get(i));
            }
        }
        conv.close();
        List<byte[]> frames = new ArrayList<>();
        conv.frames().forEach(f -> frames.add(f.bytes()));
        return frames;
    }

    private static List<Alert> alerts(String rules, List<byte[]> frames) {
        return Replay.alerts(rules, "tls.rules", frames);
    }

    private static Map<Long, Integer> bySid(List<Alert> alerts) {
        return Replay.bySid(alerts);
    }

    private static String rule(int sid, String options) {
        return "alert tls any any -> any any (msg:\"" + sid + "\"; " + options + " sid:" + sid + ";)\n";
    }

    /** A content string in Suricata's rule syntax: quotes, semicolons and backslashes as hex. */
    private static String content(String s) {
        StringBuilder b = new StringBuilder("content:\"");
        for (char ch : s.toCharArray()) {
            b.append(ch == '"' || ch == ';' || ch == '\\' || ch == '|' ? String.format("|%02x|", (int) ch) : ch);
        }
        return b.append("\";").toString();
    }

    /** The string with its last character changed. */
    private static String off(String s) {
        return s.substring(0, s.length() - 1) + (s.charAt(s.length() - 1) == 'x' ? 'y' : 'x');
    }

    @ParameterizedTest
    @ValueSource(ints = {1460, 200, 7})
    void rulesFromTheOraclesValuesAlertWhereTheValueIsInTheTraffic(int mss) {
        for (Case c : CASES) {
            String sni = c.tshark().get("sni");
            String ja3 = c.tshark().get("ja3");
            String ja3s = c.tshark().get("ja3s");
            boolean clearCert = !c.tshark().get("cert").isEmpty();
            String[] leaf = c.certs().get(0);
            StringBuilder rules = new StringBuilder();
            Map<Long, Integer> expected = new TreeMap<>();
            if (!sni.isEmpty()) {
                rules.append(rule(1, "flow:established,to_server; tls.sni; " + content(sni) + " bsize:" + sni.length()
                        + ";"));
                rules.append(rule(2, "tls_sni; " + content(off(sni))));
                // the SNI's bytes in the ClientHello, the flow's very first bytes: a stream rule of a TLS flow
                rules.append(rule(3, "flow:established,to_server; content:\"|00 00 " + String.format("%02x", sni.length())
                        + "|" + sni + "\";"));
                expected.put(1L, 1);
                expected.put(3L, 1);
            }
            rules.append(rule(4, "ja3.hash; " + content(ja3)));
            rules.append(rule(5, "ja3_hash; " + content(off(ja3))));
            rules.append(rule(6, "ja3s.hash; " + content(ja3s)));
            rules.append(rule(7, "ja3s.hash; " + content(off(ja3s))));
            rules.append(rule(8, "flow:established,to_client; tls.cert_subject; " + content(leaf[0])));
            rules.append(rule(9, "tls.cert_issuer; " + content(leaf[1]) + " tls.cert_serial; " + content(leaf[2])));
            rules.append(rule(10, "tls.cert_fingerprint; " + content(leaf[3])));
            rules.append(rule(11, "tls.cert_subject; " + content(off(leaf[0]))));
            // the root's subject is in the second certificate's DER: tls.certs is each certificate in turn
            rules.append(rule(12, "tls.certs; content:\"Judo Test Root\"; content:\"Judo Test Root\"; distance:0;"));
            rules.append(rule(13, "tls.certs; content:\"no such name anywhere\";"));
            expected.put(4L, 1);
            expected.put(6L, 1);
            if (clearCert) {
                expected.put(8L, 1);
                expected.put(9L, 1);
                expected.put(10L, 1);
                expected.put(12L, 1);
            }
            List<Alert> got = alerts(rules.toString(), frames(c, mss));
            assertEquals(expected, bySid(got), c.name() + " mss " + mss);
            for (Alert a : got) {
                if (a.rule().sid() != 3) {
                    assertNotNull(a.tls(), "a TLS alert carries the session's fields");
                    assertEquals(ja3, a.tls().ja3Hash());
                }
            }
        }
    }

    @Test
    void versionIsTheClientsHelloToTheServerAndTheSelectedOneToTheClient() {
        String rules = rule(1, "flow:to_server; tls.version:1.2;") + rule(2, "flow:to_client; tls.version:1.3;")
                + rule(3, "flow:to_client; tls.version:1.2;") + rule(4, "flow:to_client; tls.version:0x0301;")
                + rule(5, "tls.version:1.0;");
        Map<String, Map<Long, Integer>> expected = Map.of(
                // TLS 1.3 hellos say 1.2 in their version field; the server's supported_versions says 1.3
                "tls13_sni", Map.of(1L, 1, 2L, 1),
                "tls12_sni_alpn", Map.of(1L, 1, 3L, 1),
                // the TLS 1.0 handshake: both hellos say 0x0301; rule 5 runs both ways, once per direction
                "tls10_legacy", Map.of(4L, 1, 5L, 2));
        for (Case c : CASES) {
            if (expected.containsKey(c.name())) {
                assertEquals(expected.get(c.name()), bySid(alerts(rules, frames(c, 1460))), c.name());
            }
        }
    }

    @Test
    void protocolTestsAndNotTls() {
        String rules = "alert tcp any any -> any any (msg:\"tls flow\"; app-layer-protocol:tls; flow:to_server; "
                + "content:\"|16 03|\"; depth:2; sid:1;)\n"
                + "alert tcp any any -> any any (msg:\"not tls\"; app-layer-protocol:!tls; content:\"hello\"; sid:2;)\n"
                + rule(3, "content:\"hello\";");
        Case c = CASES.get(0);
        assertEquals(Map.of(1L, 1), bySid(alerts(rules, frames(c, 1460))));
        TcpConversation plain = new TcpConversation(PacketBuilder::ethernet, "10.1.0.1", 50200, "10.1.0.2", 443,
                0x1000L, 7_000_000L).handshake().clientSends("hello, no TLS here\r\n".getBytes(StandardCharsets.US_ASCII))
                .close();
        List<byte[]> frames = new ArrayList<>();
        plain.frames().forEach(f -> frames.add(f.bytes()));
        assertEquals(Map.of(2L, 1), bySid(alerts(rules, frames)), "port 443 is not TLS: the content decides");
    }

    @Test
    void theTlsObjectOfAnAlertAgreesWithTheOracles() {
        Case c = CASES.stream().filter(k -> k.name().equals("tls12_sni_alpn")).findFirst().orElseThrow();
        List<Alert> got = alerts(rule(1, "tls.cert_subject; content:\"CN=judo.example\";"), frames(c, 1460));
        assertEquals(1, got.size());
        TlsFields t = got.get(0).tls();
        String[] leaf = c.certs().get(0);
        assertEquals(leaf[0], t.subject());
        assertEquals(leaf[1], t.issuerdn());
        assertEquals(leaf[2], t.serial());
        assertEquals(leaf[3], t.fingerprint());
        assertEquals(Long.parseLong(leaf[4]), t.notBefore());
        assertEquals(Long.parseLong(leaf[5]), t.notAfter());
        assertEquals(c.tshark().get("sni"), t.sni());
        assertEquals(c.tshark().get("ja3s"), t.ja3sHash());
        assertEquals("TLS 1.2", t.version());
        assertFalse(t.ja4() == null || t.ja4().isEmpty());
        assertEquals(443, got.get(0).srcPort(), "a to_client alert comes from the server");
    }

    @Test
    void sslVersionSslStateAndTheCertificateChecks() {
        String rules = rule(1, "ssl_version:tls1.2;") + rule(2, "flow:to_client; ssl_version:tls1.3;")
                + rule(3, "ssl_version:!sslv2,!sslv3;") + rule(4, "ssl_version:tls1.0;")
                + rule(5, "ssl_state:client_hello;") + rule(6, "ssl_state:client_hello,server_hello;")
                + rule(7, "ssl_state:!server_hello;") + rule(8, "ssl_state:client_keyx;")
                + rule(9, "tls.cert_chain_len:2;") + rule(10, "tls.cert_chain_len:>2;")
                + rule(11, "tls_cert_expired;") + rule(12, "tls_cert_valid;");
        for (Case c : CASES) {
            boolean tls13 = c.name().startsWith("tls13");
            boolean tls10 = c.name().startsWith("tls10");
            Map<Long, Integer> expected = new TreeMap<>();
            // ssl_version runs both ways: the ClientHello's version field (0x0303 even in TLS 1.3) to the server, the
            // server's selected version to the client
            if (!tls10) {
                expected.put(1L, tls13 ? 1 : 2);
            }
            if (tls13) {
                expected.put(2L, 1);
            }
            expected.put(3L, 2);
            if (tls10) {
                expected.put(4L, 2);
            }
            expected.put(5L, 1);
            expected.put(6L, 1);
            expected.put(7L, 1);
            if (!tls13) { // a TLS 1.3 client sends no ClientKeyExchange; the others do, after the server's chain
                expected.put(8L, 1);
                expected.put(9L, c.certs().size() == 2 ? 1 : 0);
                // the replayed packets are stamped 2023-11-14; the oracle's validity decides
                long t = 1_700_000_000L;
                String[] leaf = c.certs().get(0);
                boolean expired = t > Long.parseLong(leaf[5]);
                boolean valid = t >= Long.parseLong(leaf[4]) && !expired;
                if (expired) {
                    expected.put(11L, 1);
                }
                if (valid) {
                    expected.put(12L, 1);
                }
            }
            expected.values().removeIf(v -> v == 0);
            assertEquals(expected, bySid(alerts(rules, frames(c, 1460))), c.name());
        }
    }
}
