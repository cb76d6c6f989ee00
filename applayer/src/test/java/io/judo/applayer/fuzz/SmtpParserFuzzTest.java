package io.judo.applayer.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.applayer.Slice;
import io.judo.applayer.smtp.SmtpBuffer;
import io.judo.applayer.smtp.SmtpConfig;
import io.judo.applayer.smtp.SmtpEvent;
import io.judo.applayer.smtp.SmtpFile;
import io.judo.applayer.smtp.SmtpListener;
import io.judo.applayer.smtp.SmtpParser;
import io.judo.applayer.smtp.SmtpTransaction;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the SMTP parser and its MIME decoding: the input is fed to the client side (and, cut
 * differently, to the server side) at random points with the directions interleaved and an occasional gap; every
 * buffer is filled at every callback and each file's kept bytes stay within the content limit. Nothing may throw.
 * Every build fuzzes this for 10 s (applayer/pom.xml).
 */
class SmtpParserFuzzTest {
    private static final SmtpBuffer[] BUFFERS = SmtpBuffer.values();
    private final Slice slice = new Slice();
    private static final int LIMIT = 4096;

    private final SmtpListener fillEverything = new SmtpListener() {
        private void touch(SmtpTransaction tx) {
            for (SmtpBuffer b : BUFFERS) {
                int n = tx.count(b);
                for (int i = -1; i <= n; i++) {
                    tx.fill(b, i, slice);
                }
            }
            for (int i = 0; i < tx.fileCount(); i++) {
                SmtpFile f = tx.file(i);
                if (f.data(slice).length > LIMIT || f.size() < slice.length) {
                    throw new IllegalStateException("file beyond its content limit");
                }
                f.headers().value("content-type");
            }
            tx.headers().value("from");
        }

        @Override public void helo(SmtpTransaction tx) { touch(tx); }
        @Override public void mailFrom(SmtpTransaction tx) { touch(tx); }
        @Override public void rcptTo(SmtpTransaction tx, int index) { touch(tx); }
        @Override public void messageHeaders(SmtpTransaction tx) { touch(tx); }
        @Override public void fileData(SmtpTransaction tx, SmtpFile f, byte[] b, int off, int len) { touch(tx); }
        @Override public void fileDone(SmtpTransaction tx, SmtpFile f) { touch(tx); }
        @Override public void transactionDone(SmtpTransaction tx) { touch(tx); tx.rcptTo(); tx.mailFrom(); }
        @Override public void event(SmtpTransaction tx, int dir, SmtpEvent e) {
            if (tx != null) {
                touch(tx);
            }
        }
    };

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void parserNeverThrows(FuzzedDataProvider data) {
        long cutSeed = data.consumeLong();
        boolean allParts = data.consumeBoolean();
        byte[] b = data.consumeRemainingAsBytes();
        Random rnd = new Random(cutSeed);
        SmtpConfig config = SmtpConfig.defaults().withContentLimit(LIMIT).withAllPartsAreFiles(allParts)
            .withLineLimits(512, 64 + rnd.nextInt(512));
        SmtpParser p = new SmtpParser(config, fillEverything);
        int[] at = new int[2];
        while (at[0] < b.length || at[1] < b.length) {
            int d = at[0] == b.length ? 1 : at[1] == b.length ? 0 : rnd.nextInt(2);
            int n = Math.min(b.length - at[d], 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 2000));
            if (rnd.nextInt(64) == 0) {
                p.gap(d, n);
            } else {
                p.data(d, b, at[d], n);
            }
            at[d] += n;
        }
        p.end(0);
        p.end(1);
        p.reset();
        p.data(0, b, 0, b.length);
        p.end(0);
    }
}
