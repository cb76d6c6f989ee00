package io.judo.applayer.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.applayer.Slice;
import io.judo.applayer.TestSupport;
import io.judo.applayer.tls.TlsBuffer;
import io.judo.applayer.tls.TlsCertificate;
import io.judo.applayer.tls.TlsConfig;
import io.judo.applayer.tls.TlsEvent;
import io.judo.applayer.tls.TlsListener;
import io.judo.applayer.tls.TlsParser;
import io.judo.applayer.tls.TlsProbe;
import io.judo.applayer.tls.TlsSession;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the TLS parser, certificates included: the input is one direction's bytes (seeds are
 * real flights: a TLS 1.2 server flight with its certificate chain, a ClientHello), fed to both directions cut at
 * random points, every buffer filled and every certificate decoded at every callback. Nothing may throw.
 * Every build fuzzes this for 10 s (applayer/pom.xml).
 */
class TlsParserFuzzTest {
    private static final TlsBuffer[] BUFFERS = TlsBuffer.values();
    private final Slice slice = new Slice();

    private final TlsListener fillEverything = new TlsListener() {
        private void touch(TlsSession s) {
            for (TlsBuffer b : BUFFERS) {
                for (int dir = 0; dir < 2; dir++) {
                    s.fill(b, dir, 0, slice);
                    s.fill(b, dir, 1, slice);
                }
            }
            for (int dir = 0; dir < 2; dir++) {
                for (int i = 0; i < s.certificateCount(dir); i++) {
                    TlsCertificate c = s.certificate(dir, i);
                    c.subject();
                    c.issuer();
                    c.serial();
                    c.fingerprint();
                    c.validAt(c.notBefore());
                }
            }
            s.client().alpn();
            s.client().ja4();
            s.server().ja3String();
        }

        @Override public void clientHello(TlsSession s) { touch(s); }
        @Override public void serverHello(TlsSession s) { touch(s); }
        @Override public void certificates(TlsSession s, int dir) { touch(s); }
        @Override public void encrypted(TlsSession s, int dir) { touch(s); }
        @Override public void event(TlsSession s, int dir, TlsEvent e) { touch(s); }
    };

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void parserNeverThrows(FuzzedDataProvider data) {
        // numbers come from the end of the input, bytes from the front: seeds are a flight then eight bytes
        long cutSeed = data.consumeLong();
        byte[] b = data.consumeRemainingAsBytes();
        TlsProbe.detect(b, 0, b.length);
        Random rnd = new Random(cutSeed);
        TlsParser p = new TlsParser(TlsConfig.defaults().withLimits(64 * 1024, 4), fillEverything);
        TestSupport.bothDirectionsWithGaps(b, rnd, p::data, p::gap, p::end);
        p.reset();
        p.data(0, b, 0, b.length);
    }
}
