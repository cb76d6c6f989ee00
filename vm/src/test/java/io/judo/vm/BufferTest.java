package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The buffer table: fixed ids of the packet buffers, Suricata's names for the transaction buffers. */
class BufferTest {
    @Test
    void packetBuffersKeepTheirIds() {
        assertEquals(0, Buffer.PAYLOAD.id());
        assertEquals(1, Buffer.STREAM.id());
        assertFalse(Buffer.PAYLOAD.sticky());
        assertEquals(Buffer.Side.NONE, Buffer.STREAM.side());
    }

    @Test
    void transactionBuffersAreStickyAndNamedAsInSuricata() {
        assertSame(Buffer.HTTP_URI, Buffer.named("http.uri"));
        assertSame(Buffer.HTTP_URI_RAW, Buffer.named("http.uri.raw"));
        assertSame(Buffer.FILE_DATA, Buffer.named("file.data"));
        assertSame(Buffer.HTTP_HEADER_NAMES, Buffer.named("http.header_names"));
        assertNull(Buffer.named("http_uri"), "legacy modifiers are the rule parser's business");
        for (Buffer b : Buffer.values()) {
            assertSame(b, Buffer.named(b.text()));
            assertSame(b, Buffer.of(b.id()));
            if (b.id() > 1) {
                assertEquals(!b.value(), b.sticky(), b.text() + ": value keywords' rows are not sticky");
                assertEquals(b == Buffer.DNS_OPCODE || b == Buffer.TLS_VERSION || b.text().startsWith("ssl_")
                        || b == Buffer.TLS_CERT_VALIDITY || b == Buffer.TLS_CERT_CHAIN_LEN || b == Buffer.FTP_BOUNCE
                        || b == Buffer.FTPDATA_COMMAND, b.value(),
                        b.text());
                assertEquals(Buffer.Scope.TRANSACTION, b.scope());
                boolean tls = b.text().startsWith("tls.") || b.text().startsWith("ja3") || b.text().startsWith("ja4")
                        || b.text().startsWith("ssl_");
                assertTrue(b.text().startsWith("http.") || b.text().startsWith("dns.") || tls
                        || b.text().startsWith("ssh.") || b.text().startsWith("smtp.") || b.text().startsWith("ftp.")
                        || b.text().equals("file.data") || b.text().equals("ftpdata.command"),
                        b.text());
                assertEquals(b.text().startsWith("smtp."), b.smtp(), b.text());
                assertEquals(b.text().startsWith("dns."), b.dns(), b.text());
                assertEquals(b.text().startsWith("ssh."), b.ssh(), b.text());
                assertEquals(b.text().startsWith("ftp."), b.ftp(), b.text());
                assertEquals(tls, b.tls(), b.text());
            }
        }
        assertEquals(Buffer.Side.RESPONSE, Buffer.HTTP_STAT_CODE.side());
        assertEquals(Buffer.Side.BOTH, Buffer.HTTP_COOKIE.side());
        assertEquals(Buffer.Side.REQUEST, Buffer.HTTP_HOST.side());
        assertNull(Buffer.of(Buffer.values().length), "derived ids are not rows");
    }
}
