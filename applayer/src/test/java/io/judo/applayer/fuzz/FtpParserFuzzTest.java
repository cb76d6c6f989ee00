package io.judo.applayer.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.applayer.Slice;
import io.judo.applayer.ftp.FtpBuffer;
import io.judo.applayer.ftp.FtpConfig;
import io.judo.applayer.ftp.FtpDataChannel;
import io.judo.applayer.ftp.FtpEvent;
import io.judo.applayer.ftp.FtpListener;
import io.judo.applayer.ftp.FtpParser;
import io.judo.applayer.ftp.FtpTransaction;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the FTP parser: the input goes to each direction in turn, cut at random points with an
 * occasional gap ({@link io.judo.applayer.TestSupport#bothDirectionsWithGaps}), under small random limits; every buffer and field is read at every
 * callback, and no kept line may exceed the line limit nor the open transactions the transaction limit. Nothing may
 * throw. Every build fuzzes this for 10 s (applayer/pom.xml).
 */
class FtpParserFuzzTest {
    private final Slice slice = new Slice();
    private int maxLine;

    private final FtpListener readEverything = new FtpListener() {
        private void touch(FtpTransaction tx) {
            for (FtpBuffer b : FtpBuffer.values()) {
                if (tx.fill(b, slice) && slice.length > maxLine) {
                    throw new IllegalStateException("buffer beyond the line limit");
                }
            }
            tx.replyLines();
            tx.lineCodes();
            tx.verb();
            tx.mode();
        }

        @Override public void command(FtpTransaction tx) { touch(tx); }
        @Override public void reply(FtpTransaction tx) { touch(tx); }
        @Override public void dataChannel(FtpTransaction tx, FtpDataChannel c) { touch(tx); c.toString(); }
        @Override public void transfer(FtpTransaction tx, FtpDataChannel c) { touch(tx); c.toString(); }
        @Override public void transactionDone(FtpTransaction tx) { touch(tx); }
        @Override public void event(FtpTransaction tx, int dir, FtpEvent e) {
            if (tx != null) {
                touch(tx);
            }
        }
    };

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void parserNeverThrows(FuzzedDataProvider data) {
        long cutSeed = data.consumeLong();
        byte[] b = data.consumeRemainingAsBytes();
        Random rnd = new Random(cutSeed);
        maxLine = 8 + rnd.nextInt(600);
        FtpParser p = new FtpParser(FtpConfig.defaults().withLimits(maxLine, 1 + rnd.nextInt(20), 1 + rnd.nextInt(8)),
            readEverything);
        io.judo.applayer.TestSupport.bothDirectionsWithGaps(b, rnd, p::data, p::gap, p::end);
        p.reset();
        p.data(1, b, 0, b.length);
        p.end(1);
    }
}
