package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.matcher.MatchSink;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.Scanner;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.SuricataRule;
import java.util.List;
import java.nio.ByteBuffer;

/**
 * When each rule of the HTTP hook runs in a transaction, and its prefilter: one pattern database per buffer. A
 * transaction is inspected at four points, the request's headers, the complete request, the response's headers and the
 * complete response; a rule runs at one point per direction it inspects: after the headers when it reads no body of
 * that side, else when the side's message is complete (or its kept body reached the body limit, or the flow ended), so
 * each rule runs at most once per transaction and direction and alerts at most once there (Suricata's one alert per
 * rule and transaction). Scanners are this stage's own; databases are shared. Allocates nothing per transaction.
 */
final class HttpInspection implements AutoCloseable {
    /** The four inspection points, as bits of a rule's mask. */
    static final int REQUEST_HEADERS = 1;
    static final int REQUEST_COMPLETE = 2;
    static final int RESPONSE_HEADERS = 4;
    static final int RESPONSE_COMPLETE = 8;

    private final byte[] points;
    private final int[] buffers;
    private final Scanner[] scanners;
    private final MatchSink[] sinks;
    private final Slice slice = new Slice();
    /** Per database, a wrapper of the array its buffer was last in (parsers keep their arrays across transactions). */
    private final ByteBuffer[] wrapped;

    /**
     * @param points per rule index, the inspection points it runs at (0: not an HTTP rule)
     * @param buffers the buffer ids that have a prefilter database
     * @param dbs the databases, parallel to {@code buffers} (shared, thread-safe)
     * @param rulesOfPattern per database, per pattern id, the rules it makes candidates
     * @param candidates the marks scanning sets
     */
    HttpInspection(byte[] points, int[] buffers, PatternDatabase[] dbs, int[][][] rulesOfPattern,
            Candidates candidates) {
        this.points = points;
        this.buffers = buffers;
        this.scanners = new Scanner[buffers.length];
        this.sinks = new MatchSink[buffers.length];
        this.wrapped = new ByteBuffer[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            int[][] rules = rulesOfPattern[i];
            scanners[i] = dbs[i] == null ? null : dbs[i].scanner();
            sinks[i] = (id, start, end) -> candidates.mark(rules[id]);
        }
    }

    /**
     * Per rule, the points it runs at, from when it runs and which bodies it reads (null: not an HTTP rule). A rule
     * that tests an app-layer event runs when the side is complete, as a body rule does: the parser may raise the
     * event anywhere in the message (a bad chunk length comes after the headers).
     */
    static byte[] points(CompiledRuleSet.TxRule[] rules, List<SuricataRule> list) {
        byte[] p = new byte[rules.length];
        for (int i = 0; i < rules.length; i++) {
            CompiledRuleSet.TxRule t = rules[i];
            if (t == null) {
                continue;
            }
            boolean events = !list.get(i).appEvents().isEmpty();
            if (t.direction() <= 0) {
                p[i] |= t.requestBody() || events ? REQUEST_COMPLETE : REQUEST_HEADERS;
            }
            if (t.direction() != 0) {
                p[i] |= t.responseBody() || events ? RESPONSE_COMPLETE : RESPONSE_HEADERS;
            }
        }
        return p;
    }

    /** Whether rule {@code rule} runs at {@code point}. */
    boolean runsAt(int rule, int point) {
        return (points[rule] & point) != 0;
    }

    /** Marks the candidates whose fast pattern occurs in a buffer of the inspection {@code source} is set to. */
    void scan(TransactionBuffers source) {
        for (int i = 0; i < buffers.length; i++) {
            if (scanners[i] == null || !source.fill(buffers[i], slice) || slice.length == 0) {
                continue;
            }
            if (wrapped[i] == null || wrapped[i].array() != slice.array) {
                wrapped[i] = ByteBuffer.wrap(slice.array);
            }
            scanners[i].scan(wrapped[i], slice.offset, slice.length, sinks[i]);
        }
    }

    @Override
    public void close() {
        for (Scanner s : scanners) {
            if (s != null) {
                s.close();
            }
        }
    }
}
