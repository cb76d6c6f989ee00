package io.judo.applayer.tls;

import static io.judo.applayer.tls.Hellos.cat;
import static io.judo.applayer.tls.Hellos.record;
import static io.judo.applayer.tls.Hellos.u16;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.Slice;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.io.ByteArrayInputStream;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Record and handshake framing, encryption tracking, SSLv2, events on malformed input, and the probe. */
class TlsParserTest {
    private static Hellos.Client hello() {
        Hellos.Client c = new Hellos.Client();
        c.ciphers = new int[] {0xc02f, 0x002f};
        return c.sni("a.example").groups(29, 23).formats(0).sigalgs(0x0804, 0x0403);
    }

    private static Recorder feed(TlsParser p, int dir, byte[] b) {
        p.data(dir, b, 0, b.length);
        return null;
    }

    @Test
    void severalMessagesInOneRecordAndOneMessageOverManyRecords() throws Exception {
        byte[] der = Certs.jdk().get(0);
        byte[] flight = cat(Hellos.serverHello(0x0303, 0xc02f, 0xff01, 0x0017), Hellos.certificate(der, der),
            Hellos.handshake(14, new byte[0]));
        for (int max : new int[] {1, 5, 100, 1 << 14}) {
            Recorder r = new Recorder();
            TlsParser p = new TlsParser(TlsConfig.defaults(), r);
            feed(p, 0, record(22, hello().message()));
            feed(p, 1, Hellos.records(22, flight, max));
            TlsSession s = p.session();
            // a piece of stream data with more than 255 records is itself an event (Suricata's per-packet check)
            assertEquals(flight.length / max > 255 ? List.of("1:TOO_MANY_RECORDS_IN_PACKET") : List.of(), r.events,
                "records of " + max);
            assertEquals(1, r.serverHellos);
            assertEquals(2, s.certificateCount(1));
            assertEquals("771,49199,65281-23", s.server().ja3String());
            X509Certificate x = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(der));
            assertEquals(x.getNotAfter().getTime() / 1000, s.certificate(1, 0).notAfter());
            assertTrue(s.certificate(1, 1).subject().length() > 3);
        }
    }

    @Test
    void afterChangeCipherSpecHandshakesAreNotParsed() {
        Recorder r = new Recorder();
        TlsParser p = new TlsParser(TlsConfig.defaults(), r);
        feed(p, 0, cat(record(22, hello().message()), record(20, new byte[] {1}),
            record(22, new byte[] {(byte) 0x99, 1, 2, 3, 4, 5, 6, 7, 8, 9}), record(23, new byte[100])));
        TlsSession s = p.session();
        assertTrue(s.encrypted(0));
        assertEquals(List.of(), r.events); // the encrypted Finished would be an invalid handshake type if parsed
        assertEquals(1, s.applicationRecords(0));
        assertEquals(100, s.applicationBytes(0));
        assertEquals(TlsSession.CLIENT_HELLO | TlsSession.CLIENT_CCS, s.flags());
    }

    @Test
    void fatalRecordErrorsStopTheDirection() {
        for (Object[] c : new Object[][] {
            {new byte[] {25, 3, 3, 0, 1, 0}, "0:INVALID_RECORD_TYPE"},
            {new byte[] {22, 3, 3, 0, 0}, "0:INVALID_RECORD_LENGTH"},
            {new byte[] {22, 3, 3, (byte) 0x44, 1}, "0:INVALID_RECORD_LENGTH"},
            {new byte[] {22, 2, 0, 0, 4, 1, 0, 0, 0}, "0:INVALID_RECORD_VERSION"}}) {
            Recorder r = new Recorder();
            TlsParser p = new TlsParser(TlsConfig.defaults(), r);
            byte[] bad = (byte[]) c[0];
            feed(p, 0, cat(bad, record(22, hello().message())));
            assertEquals(List.of(c[1]), r.events);
            assertFalse(p.session().client().present(), "nothing parsed after a fatal error");
        }
    }

    @Test
    void helloAnomalies() {
        Recorder r = new Recorder();
        TlsParser p = new TlsParser(TlsConfig.defaults(), r);
        byte[] sni = "x.example".getBytes(StandardCharsets.US_ASCII);
        Hellos.Client c = hello();
        c.ext(0, cat(u16(sni.length + 3 + 4), new byte[] {1}, u16(1), new byte[] {'z'}, new byte[] {0}, u16(sni.length),
            sni));
        feed(p, 0, record(22, c.message()));
        assertEquals(List.of("0:MULTIPLE_SNI_EXTENSIONS"), r.events);
        assertEquals("a.example", p.session().client().sni());

        r = new Recorder();
        p = new TlsParser(TlsConfig.defaults(), r);
        Hellos.Client t = new Hellos.Client();
        t.ciphers = new int[] {1};
        t.ext(0, cat(u16(sni.length + 3 + 4), new byte[] {1}, u16(1), new byte[] {'z'}, new byte[] {0}, u16(50), sni));
        feed(p, 0, record(22, t.message()));
        assertEquals(List.of("0:INVALID_SNI_TYPE", "0:INVALID_SNI_LENGTH"), r.events);
        assertNull(p.session().client().sni());
        assertEquals('d', p.session().client().ja4().charAt(3), "JA4: the extension is there, whatever it holds");

        r = new Recorder();
        p = new TlsParser(TlsConfig.defaults(), r);
        byte[] m = hello().message();
        m[4 + 35 + 1] = (byte) 0xff; // the cipher suites' length overruns the message
        feed(p, 0, record(22, m));
        assertEquals(List.of("0:HANDSHAKE_INVALID_LENGTH"), r.events);
        assertNull(p.session().client().ja3String());
        assertEquals(1, r.clientHellos);

        r = new Recorder();
        p = new TlsParser(TlsConfig.defaults(), r);
        feed(p, 0, record(22, Hellos.handshake(99, new byte[3])));
        assertEquals(List.of("0:INVALID_HANDSHAKE_MESSAGE"), r.events);
        assertEquals(TlsSession.UNKNOWN, p.session().flags());
    }

    @Test
    void malformedCertificatesAreEventsNotExceptions() throws Exception {
        byte[] der = Certs.jdk().get(1);
        byte[] truncated = java.util.Arrays.copyOf(der, der.length / 2);
        byte[] garbage = "not a certificate at all".getBytes(StandardCharsets.US_ASCII);
        Recorder r = new Recorder();
        TlsParser p = new TlsParser(TlsConfig.defaults(), r);
        feed(p, 1, record(22, cat(Hellos.serverHello(0x0303, 0x002f), Hellos.certificate(truncated, garbage, der))));
        TlsSession s = p.session();
        assertEquals(List.of("1:CERTIFICATE_INVALID_DER"), r.events);
        assertEquals(3, s.certificateCount(1));
        assertEquals(TlsEvent.CERTIFICATE_INVALID_DER, s.certificate(1, 1).error());
        assertNull(s.certificate(1, 0).subject());
        Slice sl = new Slice();
        assertFalse(s.fill(TlsBuffer.CERT_SUBJECT, 1, 0, sl));
        assertTrue(s.fill(TlsBuffer.CERT_FINGERPRINT, 1, 0, sl), "the fingerprint is over bytes, always there");
        assertTrue(s.fill(TlsBuffer.CERTS, 1, 1, sl));
        assertEquals("not a certificate at all", sl.toString());
        assertNull(s.certificate(1, 2).error());

        r = new Recorder();
        p = new TlsParser(TlsConfig.defaults(), r);
        byte[] msg = Hellos.certificate(der);
        msg[4 + 3 + 2] += 1; // the certificate's length overruns the list
        feed(p, 1, record(22, msg));
        assertEquals(List.of("1:INVALID_CERTIFICATE"), r.events);
    }

    @Test
    void alertsAndHeartbeats() {
        Recorder r = new Recorder();
        TlsParser p = new TlsParser(TlsConfig.defaults(), r);
        feed(p, 1, cat(record(21, new byte[] {2, 40}), record(21, new byte[] {2, 40, 0}),
            record(24, cat(new byte[] {1}, u16(16384), new byte[16])), record(24, new byte[] {1})));
        assertEquals(List.of("1:INVALID_ALERT_MESSAGE", "1:HEARTBEAT_MESSAGE", "1:OVERFLOW_HEARTBEAT_MESSAGE",
            "1:HEARTBEAT_MESSAGE", "1:INVALID_HEARTBEAT_MESSAGE"), r.events);
        assertEquals(2 << 8 | 40, p.session().alert(1));
    }

    @Test
    void aGapStopsTheDirectionOnly() {
        Recorder r = new Recorder();
        TlsParser p = new TlsParser(TlsConfig.defaults(), r);
        byte[] ch = record(22, hello().message());
        p.data(0, ch, 0, 20);
        p.gap(0, 10);
        p.data(0, ch, 30, ch.length - 30);
        feed(p, 1, record(22, Hellos.serverHello(0x0303, 0x002f)));
        assertEquals(List.of("0:STREAM_GAP"), r.events);
        assertFalse(p.session().client().present());
        assertTrue(p.session().server().present());
    }

    @Test
    void aTooLongHandshakeMessageIsSkipped() {
        for (int max : new int[] {7, 1000, 9000}) {
            Recorder r = new Recorder();
            TlsParser p = new TlsParser(TlsConfig.defaults().withLimits(300, 4), r);
            byte[] b = Hellos.records(22, cat(Hellos.handshake(11, new byte[5000]), hello().message()), max);
            for (int i = 0; i < b.length; i += 100) {
                p.data(0, b, i, Math.min(100, b.length - i));
            }
            assertEquals(List.of("0:HANDSHAKE_MESSAGE_TOO_LONG"), r.events);
            assertEquals("a.example", p.session().client().sni(), "the message after it is parsed");
        }
    }

    @Test
    void sslv2CompatibleClientHelloThenTls() {
        byte[] body = cat(new byte[] {1, 3, 1}, u16(9), u16(0), u16(16),
            new byte[] {0, 0, 0x35, 0, 0, 0x2f, 1, 0, (byte) 0x80}, new byte[16]);
        byte[] v2 = cat(new byte[] {(byte) (0x80 | body.length >> 8), (byte) body.length}, body);
        assertEquals(TlsProbe.TLS, TlsProbe.detect(v2, 0, v2.length));
        Recorder r = new Recorder();
        TlsParser p = new TlsParser(TlsConfig.defaults(), r);
        for (int i = 0; i < v2.length; i++) {
            p.data(0, v2, i, 1);
        }
        feed(p, 1, record(22, Hellos.serverHello(0x0301, 0x0035)));
        TlsSession s = p.session();
        assertEquals(List.of(), r.events);
        assertTrue(s.client().sslv2());
        assertEquals(0x0301, s.client().version());
        assertEquals(List.of(0x35, 0x2f, 0x010080), java.util.Arrays.stream(s.client().ciphers()).boxed().toList());
        assertEquals(0x0301, s.version());
        assertEquals(TlsSession.CLIENT_HELLO | TlsSession.SERVER_HELLO, s.flags());
    }

    @Test
    void tls13HelloRetryKeepsParsingUntilTheRealServerHello() {
        byte[] hrrRandom = java.util.HexFormat.of().parseHex(
            "CF21AD74E59A6111BE1D8C021E65B891C2A211167ABB8C5E079E09E2C8A8339C");
        byte[] hrr = Hellos.serverHello(0x0303, 0x1301, 43);
        System.arraycopy(hrrRandom, 0, hrr, 6, 32);
        Recorder r = new Recorder();
        TlsParser p = new TlsParser(TlsConfig.defaults(), r);
        Hellos.Client c = hello().versions(0x0304, 0x0303);
        feed(p, 0, record(22, c.message()));
        feed(p, 1, cat(record(22, hrr), record(20, new byte[] {1})));
        assertFalse(p.session().encrypted(1), "a dummy ChangeCipherSpec after a HelloRetryRequest");
        feed(p, 0, cat(record(20, new byte[] {1}), record(22, c.message())));
        feed(p, 1, record(22, Hellos.serverHello(0x0303, 0x1302, 43)));
        TlsSession s = p.session();
        assertEquals(List.of(), r.events);
        assertEquals(2, r.serverHellos);
        assertEquals("771,4866,43", s.server().ja3String());
        assertTrue(s.encrypted(0) && s.encrypted(1));
        assertEquals(0x0304, s.version());
    }

    @Test
    void buffers() {
        TlsParser p = new TlsParser(TlsConfig.defaults(), new Recorder());
        feed(p, 0, record(22, hello().message()));
        Slice sl = new Slice();
        TlsSession s = p.session();
        assertTrue(s.fill(TlsBuffer.SNI, 0, 0, sl));
        assertEquals("a.example", sl.toString());
        assertTrue(s.fill(TlsBuffer.RANDOM, 0, 0, sl));
        assertEquals(32, sl.length);
        assertTrue(s.fill(TlsBuffer.RANDOM_BYTES, 0, 0, sl));
        assertEquals(28, sl.length);
        assertTrue(s.fill(TlsBuffer.JA3_STRING, 0, 0, sl));
        assertEquals("771,49199-47,0-10-11-13,29-23,0", sl.toString());
        assertTrue(s.fill(TlsBuffer.JA3_HASH, 0, 0, sl));
        assertEquals(32, sl.length);
        assertFalse(s.fill(TlsBuffer.JA3S_HASH, 1, 0, sl));
        assertFalse(s.fill(TlsBuffer.CERTS, 1, 0, sl));
        assertEquals("tls.cert_fingerprint", TlsBuffer.CERT_FINGERPRINT.text());
        assertEquals("invalid_record_type", TlsEvent.INVALID_RECORD_TYPE.text());
        assertEquals("TLS 1.2", TlsSession.versionName(s.version()));
        assertEquals("TLSv1", TlsSession.versionName(0x0301));
        assertEquals("TLS 1.3 draft-28", TlsSession.versionName(0x7f1c));
        assertEquals("0x1234", TlsSession.versionName(0x1234));
    }

    @Test
    void probe() {
        byte[] ch = record(22, hello().message());
        for (int n = 0; n < 6; n++) {
            assertEquals(TlsProbe.NEED_MORE, TlsProbe.detect(ch, 0, n), "prefix " + n);
        }
        assertEquals(TlsProbe.TLS, TlsProbe.detect(ch, 0, 6));
        assertEquals(TlsProbe.TLS, TlsProbe.detect(record(23, new byte[30]), 0, 5));
        byte[] get = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);
        assertEquals(TlsProbe.NOT_TLS, TlsProbe.detect(get, 0, get.length));
        assertEquals(TlsProbe.NOT_TLS, TlsProbe.detect(new byte[] {22, 3, 9}, 0, 3));
        assertEquals(TlsProbe.NOT_TLS, TlsProbe.detect(new byte[] {22, 3, 3, 0, 10, 11}, 0, 6));
        assertEquals(TlsProbe.NOT_TLS, TlsProbe.detect(new byte[] {(byte) 0x80, 20, 9, 3, 1}, 0, 5));
    }
}
