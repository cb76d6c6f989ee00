package io.judo.applayer.tls;

import static io.judo.applayer.TestSupport.run;
import static io.judo.applayer.TestSupport.works;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.judo.applayer.Slice;
import io.judo.applayer.TestSupport;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real stacks as the oracle: handshakes.py makes OpenSSL (Python's ssl module over memory BIOs) talk to itself with
 * certificates the openssl command made (known subject, issuer, serial), for TLS 1.2 with SNI and ALPN, TLS 1.3,
 * TLS 1.2 without SNI, TLS 1.0, and TLS 1.2 with a client certificate (mutual TLS). The parser, fed the same bytes in random segments, must agree with tshark on JA3, JA3S, SNI,
 * versions and serials (from a pcap of the same bytes), with a JA4 computed by the specification's rule from
 * tshark's lists, and with Python's cryptography on every certificate field; and raise no event on real traffic.
 */
class TlsOracleTest {
    @TempDir
    Path dir;

    record Case(String name, Path pcap, List<byte[]> flights, List<Integer> dirs, List<String[]> certs) {
    }

    private List<Case> cases() throws Exception {
        assumeTrue(works("python3", "-c", "import ssl, cryptography"), "python3 with cryptography");
        assumeTrue(works("tshark", "-v"), "tshark");
        assumeTrue(works("openssl", "version"), "openssl");
        Path script = TestSupport.script(TlsOracleTest.class, "handshakes.py", dir);
        List<Case> cases = new ArrayList<>();
        Case c = null;
        for (String line : run(dir, "python3", script.toString(), dir.toString()).split("\n")) {
            String[] w = line.split(" ", 3);
            switch (w[0]) {
                case "CASE" -> {
                    c = new Case(w[1], Path.of(w[2]), new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
                    cases.add(c);
                }
                case "FLIGHT" -> {
                    c.dirs.add(Integer.parseInt(w[1]));
                    c.flights.add(Base64.getDecoder().decode(w[2]));
                }
                case "CERT" -> c.certs.add(w[2].split("\\|"));
                default -> {
                }
            }
        }
        assertEquals(5, cases.size());
        return cases;
    }

    private String[] tshark(Path pcap, String filter, String... fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-Y", filter, "-T", "fields",
            "-E", "aggregator=,", "-E", "occurrence=a"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        String out = run(dir, cmd.toArray(new String[0])).replaceAll("\\R+$", "");
        String[] r = out.split("\t", -1);
        assertEquals(fields.length, r.length, "one " + filter + " packet in " + pcap + ": " + out);
        return r;
    }

    private static TlsSession parse(Case c, Recorder r, Random rnd) {
        TlsParser p = new TlsParser(TlsConfig.defaults(), r);
        for (int i = 0; i < c.flights.size(); i++) {
            byte[] f = c.flights.get(i);
            int at = 0;
            while (at < f.length) {
                int n = Math.min(f.length - at, 1 + rnd.nextInt(rnd.nextBoolean() ? 7 : 1500));
                p.data(c.dirs.get(i), f, at, n);
                at += n;
            }
        }
        p.end(0);
        p.end(1);
        return p.session();
    }

    private static List<Integer> hexList(String s) {
        List<Integer> r = new ArrayList<>();
        for (String v : s.split(",")) {
            if (!v.isEmpty()) {
                r.add(Integer.decode(v));
            }
        }
        return r;
    }

    private static String sha12(List<Integer> sorted, List<Integer> algs) throws Exception {
        if (sorted.isEmpty()) {
            return "000000000000";
        }
        StringBuilder b = new StringBuilder();
        for (int v : sorted) {
            b.append(b.length() == 0 ? "" : ",").append(String.format("%04x", v));
        }
        for (int i = 0; i < algs.size(); i++) {
            b.append(i == 0 ? "_" : ",").append(String.format("%04x", algs.get(i)));
        }
        byte[] d = MessageDigest.getInstance("SHA-256").digest(b.toString().getBytes(StandardCharsets.US_ASCII));
        return HexFormat.of().formatHex(d).substring(0, 12);
    }

    /** JA4 by the specification's rule from tshark's view of the ClientHello (no GREASE: OpenSSL sends none). */
    private static String ja4(int legacy, List<Integer> ciphers, List<Integer> exts, List<Integer> algs,
                              List<Integer> versions, String alpn, boolean sni) throws Exception {
        int v = versions.isEmpty() ? legacy : versions.stream().max(Integer::compare).orElseThrow();
        String ver = v == 0x0304 ? "13" : v == 0x0303 ? "12" : v == 0x0302 ? "11" : v == 0x0301 ? "10" : "??";
        String first = alpn.isEmpty() ? "00" : "" + alpn.charAt(0) + alpn.charAt(alpn.length() - 1);
        List<Integer> sc = new ArrayList<>(ciphers);
        sc.sort(null);
        List<Integer> se = new ArrayList<>(exts);
        se.removeIf(e -> e == 0 || e == 16);
        se.sort(null);
        return String.format("t%s%s%02d%02d%s_%s_%s", ver, sni ? "d" : "i", ciphers.size(), exts.size(), first,
            sha12(sc, List.of()), sha12(se, algs));
    }

    @Test
    void realHandshakesMatchTsharkAndCryptography() throws Exception {
        Random rnd = new Random(19);
        for (Case c : cases()) {
            Recorder r = new Recorder();
            TlsSession s = parse(c, r, rnd);
            String what = c.name + ": " + r.summary(s);
            assertEquals(List.of(), r.events, what);
            String[] ch = tshark(c.pcap, "tls.handshake.type == 1", "tls.handshake.ja3_full", "tls.handshake.ja3",
                "tls.handshake.extensions_server_name", "tls.handshake.ciphersuite", "tls.handshake.extension.type",
                "tls.handshake.sig_hash_alg", "tls.handshake.extensions.supported_version",
                "tls.handshake.extensions_alpn_str", "tls.handshake.version");
            assertEquals(ch[0], s.client().ja3String(), what);
            assertEquals(ch[1], s.client().ja3Hash(), what);
            assertEquals(ch[2].isEmpty() ? null : ch[2], s.client().sni(), what);
            Slice sl = new Slice();
            assertEquals(!ch[2].isEmpty(), s.fill(TlsBuffer.SNI, 0, 0, sl), what);
            String alpn = ch[7].isEmpty() ? "" : ch[7].split(",")[0];
            assertEquals(ja4(Integer.decode(ch[8]), hexList(ch[3]), hexList(ch[4]), hexList(ch[5]), hexList(ch[6]),
                alpn, !ch[2].isEmpty()), s.client().ja4(), what);
            assertTrue(s.fill(TlsBuffer.JA4_HASH, 0, 0, sl) && sl.toString().equals(s.client().ja4()), what);

            String[] sh = tshark(c.pcap, "tls.handshake.type == 2", "tls.handshake.ja3s_full", "tls.handshake.ja3s",
                "tls.handshake.extensions.supported_version", "tls.handshake.version");
            assertEquals(sh[0], s.server().ja3String(), what);
            assertEquals(sh[1], s.server().ja3Hash(), what);
            int version = Integer.decode(sh[2].isEmpty() ? sh[3] : sh[2]);
            assertEquals(version, s.version(), what);
            assertTrue(s.encrypted(0) && s.encrypted(1), what);
            // the request; in TLS 1.3 the client's Finished is an application_data record too, and TLS 1.0 CBC
            // splits a write into 1 and n-1 bytes (OpenSSL's defence against BEAST)
            assertEquals(version == 0x0304 || version == 0x0301 ? 2 : 1, s.applicationRecords(0), what);

            if (version == 0x0304) {
                assertEquals(0, s.certificateCount(1), "TLS 1.3 certificates are encrypted: " + what);
                assertFalse(s.fill(TlsBuffer.CERT_SUBJECT, 1, 0, sl));
                continue;
            }
            boolean mtls = c.name.contains("mtls");
            String[] serials = tshark(c.pcap, "tls.handshake.type == 11 && tcp.srcport == 443",
                "x509af.serialNumber")[0].split(",");
            assertEquals(c.certs.size(), s.certificateCount(1), what);
            assertEquals(mtls ? c.certs.size() : 0, s.certificateCount(0), what);
            for (int i = 0; i < 2 * c.certs.size(); i++) {
                int side = i < c.certs.size() ? 1 : 0;
                if (side == 0 && !mtls) {
                    break;
                }
                String[] want = c.certs.get(i % c.certs.size());
                TlsCertificate t = s.certificate(side, i % c.certs.size());
                assertEquals(want[0], t.subject(), what);
                assertEquals(want[1], t.issuer(), what);
                assertEquals(want[2], t.serial(), what);
                assertEquals(serials[i % c.certs.size()].toUpperCase(), t.serial().replace(":", ""), what);
                assertEquals(want[3], t.fingerprint(), what);
                assertEquals(Long.parseLong(want[4]), t.notBefore(), what);
                assertEquals(Long.parseLong(want[5]), t.notAfter(), what);
                assertTrue(s.fill(TlsBuffer.CERTS, side, i % c.certs.size(), sl), what);
                byte[] sha1 = MessageDigest.getInstance("SHA-1").digest(sl.toBytes());
                assertEquals(want[3].replace(":", ""), HexFormat.of().formatHex(sha1), what);
            }
            assertTrue(s.fill(TlsBuffer.CERT_SUBJECT, 1, 0, sl));
            assertEquals(c.certs.get(0)[0], sl.toString());
            assertTrue(s.fill(TlsBuffer.CERT_SERIAL, 1, 0, sl));
            assertEquals(c.certs.get(0)[2], sl.toString());
            assertTrue(s.fill(TlsBuffer.CERT_FINGERPRINT, 1, 0, sl));
            assertEquals(c.certs.get(0)[3], sl.toString());
            assertTrue(s.fill(TlsBuffer.CERT_ISSUER, 1, 0, sl));
            assertEquals(c.certs.get(0)[1], sl.toString());
            int flags = TlsSession.CLIENT_HELLO | TlsSession.SERVER_HELLO | TlsSession.SERVER_CERT
                | TlsSession.CLIENT_KEYX | TlsSession.CLIENT_CCS | TlsSession.SERVER_CCS
                | (mtls ? TlsSession.CLIENT_CERT : 0);
            assertEquals(flags, s.flags() & ~TlsSession.SERVER_KEYX, what);
            assertTrue(Arrays.asList(c.certs.get(0)[0].split(", ")).contains("CN=judo.example"), what);
        }
    }
}
