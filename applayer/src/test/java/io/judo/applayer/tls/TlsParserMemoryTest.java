package io.judo.applayer.tls;

import static io.judo.applayer.tls.Hellos.record;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.Slice;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Memory: what an idle parser costs, that a parser reused with {@link TlsParser#reset()} allocates nothing per
 * ClientHello and ServerHello with JA3, JA3S and JA4 computed and the buffers filled, and what a certificate chain
 * costs (certificates are decoded by the JDK, which allocates). The JVM's per-thread allocation counter counts every
 * byte this thread allocates; the figures are printed for applayer/DESIGN.md.
 */
class TlsParserMemoryTest {
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    /** A browser-like ClientHello: GREASE, SNI, ALPN, groups, signature algorithms, supported_versions. */
    static byte[] browserHello() {
        Hellos.Client c = new Hellos.Client();
        c.ciphers = new int[] {0x4a4a, 0x1301, 0x1302, 0x1303, 0xc02b, 0xc02f, 0xc02c, 0xc030, 0xcca9, 0xcca8, 0xc013,
            0xc014, 0x009c, 0x009d, 0x002f, 0x0035};
        c.ext(0x5a5a, new byte[0]).sni("www.example.com").ext(0x0017, new byte[0]).ext(0xff01, new byte[] {0})
            .groups(0x6a6a, 0x001d, 0x0017, 0x0018).formats(0).ext(0x0023, new byte[0])
            .alpn("h2".getBytes(StandardCharsets.US_ASCII), "http/1.1".getBytes(StandardCharsets.US_ASCII))
            .ext(0x0005, new byte[] {1, 0, 0, 0, 0}).sigalgs(0x0403, 0x0804, 0x0401, 0x0503, 0x0805, 0x0501, 0x0806,
                0x0601).ext(0x0012, new byte[0]).ext(0x0033, new byte[38]).ext(0x002d, new byte[] {1, 1})
            .versions(0x7a7a, 0x0304, 0x0303).ext(0x001b, new byte[] {2, 0, 2}).ext(0x0015, new byte[200]);
        return record(22, c.message());
    }

    static final TlsListener FILL = new TlsListener() {
        private final Slice s = new Slice();

        @Override
        public void clientHello(TlsSession t) {
            t.fill(TlsBuffer.SNI, 0, 0, s);
            t.fill(TlsBuffer.JA3_HASH, 0, 0, s);
            t.fill(TlsBuffer.JA4_HASH, 0, 0, s);
        }

        @Override
        public void serverHello(TlsSession t) {
            t.fill(TlsBuffer.JA3S_HASH, 1, 0, s);
        }

        @Override
        public void event(TlsSession t, int dir, TlsEvent e) {
        }
    };

    @Test
    void anIdleParserIsSmallAndHellosAllocateNothing() throws Exception {
        TlsConfig cfg = TlsConfig.defaults();
        int n = 20_000;
        Object[] keep = new Object[n];
        for (int i = 0; i < n; i++) {
            keep[i] = new TlsParser(cfg, FILL);
        }
        long before = allocated();
        for (int i = 0; i < n; i++) {
            keep[i] = new TlsParser(cfg, FILL);
        }
        long perParser = (allocated() - before) / n;
        assertEquals(n, keep.length);

        byte[] ch = browserHello();
        byte[] sh = record(22, Hellos.serverHello(0x0303, 0x1301, 43, 0x0033));
        TlsParser p = new TlsParser(cfg, FILL);
        for (int i = 0; i < 20_000; i++) {
            p.reset();
            p.data(0, ch, 0, ch.length);
            p.data(1, sh, 0, sh.length);
        }
        int hellos = 50_000;
        before = allocated();
        for (int i = 0; i < hellos; i++) {
            p.reset();
            p.data(0, ch, 0, ch.length);
            p.data(1, sh, 0, sh.length);
        }
        long total = allocated() - before;
        assertTrue(p.session().client().ja4().startsWith("t13d1515h2_8daaf6152771_"), p.session().client().ja4());

        byte[] certs = record(22, Hellos.certificate(Certs.jdk().get(3), Certs.jdk().get(4)));
        int chains = 2_000;
        for (int i = 0; i < chains; i++) {
            p.reset();
            p.data(1, certs, 0, certs.length);
        }
        before = allocated();
        for (int i = 0; i < chains; i++) {
            p.reset();
            p.data(1, certs, 0, certs.length);
            p.session().certificate(1, 1).subject();
        }
        long perChain = (allocated() - before) / chains;
        System.out.printf("idle TlsParser: %d bytes; %d bytes over %d ClientHello+ServerHello pairs; a chain of two "
            + "certificates (%d bytes) decoded: %d bytes allocated%n", perParser, total, hellos, certs.length, perChain);
        assertTrue(perParser <= 640, perParser + " bytes per idle parser");
        assertEquals(0, total / hellos, total + " bytes over " + hellos + " hellos");
    }
}
