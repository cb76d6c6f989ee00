package io.judo.applayer.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.applayer.ProtocolDetection;
import io.judo.applayer.Slice;
import io.judo.applayer.http.HttpBuffer;
import io.judo.applayer.http.HttpConfig;
import io.judo.applayer.http.HttpEvent;
import io.judo.applayer.http.HttpListener;
import io.judo.applayer.http.HttpParser;
import io.judo.applayer.http.HttpTransaction;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing of the HTTP parser: random bytes for both directions, cut at random points, with gaps
 * and ends at random moments, every buffer filled at every callback. Nothing may throw, and the parser's retained
 * memory must stay within what its (small, here) limits allow. Every build fuzzes this for 10 s (applayer/pom.xml).
 */
class HttpParserFuzzTest {
    private static final HttpConfig SMALL = HttpConfig.defaults().withHeaderLimits(512, 2048)
        .withRequestBodyLimit(1024).withResponseBodyLimit(1024).withDecompression(2, 4096, 16, 1 << 16);
    /** Per transaction: head, header text, derived buffers and body, each at most twice its limit (doubling). */
    private static final long PER_TX = 2L * (2048 + 2 * 2048 + 8 * 4096 + 1024) + 4096;
    private static final long BOUND = PER_TX * (SMALL.maxOpenTransactions() + 8);

    private static final HttpBuffer[] BUFFERS = HttpBuffer.values();
    private final Slice slice = new Slice();

    private final HttpListener fillEverything = new HttpListener() {
        private void touch(HttpTransaction tx) {
            for (HttpBuffer b : BUFFERS) {
                tx.fill(b, 0, slice);
                tx.fill(b, 1, slice);
            }
            tx.filename();
            tx.status();
        }

        @Override public void requestHeaders(HttpTransaction tx) { touch(tx); }
        @Override public void requestBody(HttpTransaction tx) { touch(tx); }
        @Override public void requestComplete(HttpTransaction tx) { touch(tx); }
        @Override public void responseHeaders(HttpTransaction tx) { touch(tx); }
        @Override public void responseBody(HttpTransaction tx) { touch(tx); }
        @Override public void responseComplete(HttpTransaction tx) { touch(tx); }
        @Override public void event(HttpTransaction tx, HttpEvent e) {
            if (tx != null) {
                touch(tx);
            }
        }
        @Override public void transactionDone(HttpTransaction tx) { touch(tx); }
    };

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void parserNeverThrowsAndStaysBounded(FuzzedDataProvider data) {
        // libFuzzer's provider takes numbers from the end and bytes from the front: seeds are an exchange's
        // client bytes, a NUL, its server bytes, then twelve bytes for the cutting seed and the gap position
        long cutSeed = data.consumeLong();
        int gapAt = data.consumeInt();
        byte[] all = data.consumeRemainingAsBytes();
        int z = 0;
        while (z < all.length && all[z] != 0) {
            z++;
        }
        byte[][] dirs = {java.util.Arrays.copyOf(all, z),
            z < all.length ? java.util.Arrays.copyOfRange(all, z + 1, all.length) : new byte[0]};
        int[] at = new int[2];
        Random rnd = new Random(cutSeed);
        HttpParser p = new HttpParser(SMALL, fillEverything);
        ProtocolDetection detect = new ProtocolDetection();
        boolean gapDone = false;
        while (at[0] < dirs[0].length || at[1] < dirs[1].length) {
            int dir = at[0] >= dirs[0].length ? 1 : at[1] >= dirs[1].length ? 0 : rnd.nextInt(2);
            byte[] b = dirs[dir];
            int n = Math.min(b.length - at[dir], 1 + rnd.nextInt(rnd.nextBoolean() ? 8 : 600));
            if (!gapDone && dir == (gapAt & 1) && (gapAt >>> 1) % (b.length + 1) <= at[dir] + n
                    && gapAt != 0) {
                gapDone = true;
                p.gap(dir, n);
            } else {
                byte[] piece = java.util.Arrays.copyOfRange(b, at[dir], at[dir] + n);
                detect.offer(dir, piece, 0, n);
                p.data(dir, piece, 0, n);
            }
            at[dir] += n;
            if (p.retainedBytes() > BOUND) {
                throw new IllegalStateException("parser holds " + p.retainedBytes() + " bytes, bound " + BOUND);
            }
        }
        p.end(rnd.nextInt(2));
        p.end(0);
        p.end(1);
    }
}
