package io.judo.applayer.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.applayer.ProtocolDetection;
import io.judo.applayer.Slice;
import io.judo.applayer.dns.DnsMessage;
import io.judo.applayer.dns.DnsParser;
import io.judo.applayer.dns.DnsTcpFramer;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the DNS parser and the TCP framer: random bytes parsed as a datagram in both
 * directions (every name, record and RDATA text read back), then cut at random points into the framer, each framed
 * message parsed too. Nothing may throw, and every name stays within the presented-name cap. Every build fuzzes
 * this for 10 s (applayer/pom.xml).
 */
class DnsParserFuzzTest {
    private final DnsMessage m = new DnsMessage();
    private final Slice s = new Slice();

    private void readAll(byte[] b, int off, int len, int dir) {
        DnsParser.parse(b, off, len, dir, m);
        for (int i = 0; i < m.questionCount(); i++) {
            check(m.questionName(i, s).length);
        }
        for (int i = 0; i < m.recordCount(); i++) {
            check(m.recordName(i, s).length);
            m.recordData(i, s);
            String t = m.recordDataText(i);
            if (t != null && m.recordType(i) != 16) {
                check(t.length());
            }
        }
    }

    private static void check(int nameLength) {
        if (nameLength > DnsParser.MAX_NAME + 40) { // 40: the widest address text; names are at most MAX_NAME
            throw new IllegalStateException("name of " + nameLength + " bytes");
        }
    }

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void parserNeverThrows(FuzzedDataProvider data) {
        long cutSeed = data.consumeLong();
        byte[] all = data.consumeRemainingAsBytes();
        readAll(all, 0, all.length, 0);
        readAll(all, 0, all.length, 1);
        ProtocolDetection.judgeDns(0, all, 0, Math.min(16, all.length));
        DnsTcpFramer f = new DnsTcpFramer((dir, b, off, len) -> readAll(b, off, len, dir));
        ProtocolDetection detect = new ProtocolDetection();
        Random rnd = new Random(cutSeed);
        int at = 0;
        while (at < all.length) {
            int n = Math.min(all.length - at, 1 + rnd.nextInt(rnd.nextBoolean() ? 4 : 300));
            int dir = rnd.nextInt(2);
            detect.offer(dir, all, at, n);
            f.data(dir, all, at, n);
            at += n;
        }
    }
}
