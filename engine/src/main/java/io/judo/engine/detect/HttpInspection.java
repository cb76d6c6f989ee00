package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.applayer.http.HttpTransaction;
import io.judo.matcher.MatchSink;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.Scanner;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.SuricataRule;
import io.judo.vm.Buffer;
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
    /** Per database, whose side its buffer is: 0 the request's, 1 the response's, 2 the inspected side's, -1 none. */
    private final byte[] sides;
    /** Per database, whether its buffer holds a body (final when the side is complete, not after its headers). */
    private final boolean[] bodies;
    private final Scanner[] scanners;
    private final MatchSink[] sinks;
    private final Candidates candidates;
    private final int[][][] rulesOfPattern;
    private final Slice slice = new Slice();
    /** Per database, a wrapper of the array its buffer was last in (parsers keep their arrays across transactions). */
    private final ByteBuffer[] wrapped;
    /** What scans of final buffers found, per recent transaction: later inspection points re-mark instead of rescanning. */
    private final TxMatches[] recent = new TxMatches[RECENT];
    private TxMatches recording;
    private int recordingSlot;
    private final MatchSink recorder;
    /**
     * Per (database, side) slot ({@code i << 1 | side}): the scanner that reads it, the rules of that scanner's
     * pattern ids, and its sink; null scanner when another slot's scan covers it (a side's body buffer, when
     * {@code file.data} and it share a merged database).
     */
    private final Scanner[] slotScanners;
    private final int[][][] slotRules;
    private final MatchSink[] slotSinks;
    private final Scanner[] mergedScanners = new Scanner[2];

    /** Transactions whose final buffers' scan results are kept (a direct-mapped table: a collision only rescans). */
    static final int RECENT = 64;
    /** Pattern ids kept per buffer and side; a buffer that matched more is rescanned at each point. */
    static final int KEPT_PER_BUFFER = 16;

    /**
     * @param points per rule index, the inspection points it runs at (0: not an HTTP rule)
     * @param buffers the buffer ids that have a prefilter database
     * @param bases per buffer id, the table row it is (for derived ids, the row it is derived from)
     * @param dbs the databases, parallel to {@code buffers} (shared, thread-safe)
     * @param rulesOfPattern per database, per pattern id, the rules it makes candidates
     * @param mergedBodies per side, the merged database of {@code file.data} and that side's body buffer (its ids:
     *     file.data's, then the body's after them), or null
     * @param candidates the marks scanning sets
     */
    HttpInspection(byte[] points, int[] buffers, java.util.function.IntFunction<Buffer> bases, PatternDatabase[] dbs,
            int[][][] rulesOfPattern, PatternDatabase[] mergedBodies, Candidates candidates) {
        this.points = points;
        this.buffers = buffers;
        this.candidates = candidates;
        this.rulesOfPattern = rulesOfPattern;
        this.scanners = new Scanner[buffers.length];
        this.sinks = new MatchSink[buffers.length];
        this.wrapped = new ByteBuffer[buffers.length];
        this.sides = new byte[buffers.length];
        this.bodies = new boolean[buffers.length];
        for (int i = 0; i < buffers.length; i++) {
            int[][] rules = rulesOfPattern[i];
            scanners[i] = dbs[i] == null ? null : dbs[i].scanner();
            sinks[i] = (id, start, end) -> candidates.mark(rules[id]);
            Buffer b = bases.apply(buffers[i]);
            sides[i] = (byte) switch (b.side()) {
                case REQUEST -> 0;
                case RESPONSE -> 1;
                case BOTH -> 2;
                case NONE -> -1;
            };
            bodies[i] = b == Buffer.HTTP_REQUEST_BODY || b == Buffer.HTTP_RESPONSE_BODY || b == Buffer.FILE_DATA;
        }
        for (int i = 0; i < RECENT; i++) {
            recent[i] = new TxMatches(buffers.length);
        }
        int slots = 2 * buffers.length;
        this.slotScanners = new Scanner[slots];
        this.slotRules = new int[slots][][];
        this.slotSinks = new MatchSink[slots];
        for (int at = 0; at < slots; at++) {
            slotScanners[at] = scanners[at >> 1];
            slotRules[at] = rulesOfPattern[at >> 1];
            slotSinks[at] = sinks[at >> 1];
        }
        int file = indexOf(buffers, Buffer.FILE_DATA.id());
        for (int side = 0; side < 2; side++) {
            int body = indexOf(buffers, Detector.Databases.bodyOf(side).id());
            if (mergedBodies == null || mergedBodies[side] == null || file < 0 || body < 0) {
                continue;
            }
            int[][] fileRules = rulesOfPattern[file];
            int[][] bodyRules = rulesOfPattern[body];
            int[][] merged = java.util.Arrays.copyOf(fileRules, fileRules.length + bodyRules.length);
            System.arraycopy(bodyRules, 0, merged, fileRules.length, bodyRules.length);
            mergedScanners[side] = mergedBodies[side].scanner();
            int at = file << 1 | side;
            slotScanners[at] = mergedScanners[side];
            slotRules[at] = merged;
            slotSinks[at] = (id, start, end) -> candidates.mark(merged[id]);
            slotScanners[body << 1 | side] = null; // file.data's scan of this side covers it
        }
        this.recorder = (id, start, end) -> {
            candidates.mark(slotRules[recordingSlot][id]);
            recording.add(recordingSlot, id);
        };
    }

    private static int indexOf(int[] ids, int id) {
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] == id) {
                return i;
            }
        }
        return -1;
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

    /**
     * Marks the candidates whose fast pattern occurs in a buffer of the inspection {@code source} is set to, of
     * transaction {@code tx} of flow {@code flowId} inspected from side {@code dir}. A buffer that can no longer
     * change (a side's start line and headers once they are done, its body once it is complete) is scanned once per
     * transaction: later points re-mark what that scan found.
     */
    void scan(TransactionBuffers source, HttpTransaction tx, long flowId, int dir) {
        TxMatches kept = recent[(System.identityHashCode(tx) ^ Long.hashCode(flowId) * 31 ^ (int) tx.index())
                & (RECENT - 1)];
        kept.bind(tx, flowId);
        for (int i = 0; i < buffers.length; i++) {
            int side = sides[i] == 2 ? dir : sides[i];
            int at = side < 0 ? -1 : i << 1 | side;
            Scanner scanner = at < 0 ? scanners[i] : slotScanners[at];
            if (scanner == null) {
                continue;
            }
            if (at >= 0 && kept.has(at)) {
                int[][] rules = slotRules[at];
                for (int k = 0, n = kept.count(at); k < n; k++) {
                    candidates.mark(rules[kept.id(at, k)]);
                }
                continue;
            }
            if (!source.fill(buffers[i], slice) || slice.length == 0) {
                continue;
            }
            if (wrapped[i] == null || wrapped[i].array() != slice.array) {
                wrapped[i] = ByteBuffer.wrap(slice.array);
            }
            if (at >= 0 && (bodies[i] ? tx.complete(side) : tx.headersDone(side))) {
                kept.start(at);
                recording = kept;
                recordingSlot = at;
                scanner.scan(wrapped[i], slice.offset, slice.length, recorder);
                recording = null;
                kept.finish(at);
            } else {
                scanner.scan(wrapped[i], slice.offset, slice.length, at < 0 ? sinks[i] : slotSinks[at]);
            }
        }
    }

    /**
     * One transaction's scan results of its final buffers, per (database, side) slot: the pattern ids found. Reused
     * for another transaction when the table's entry is taken over (allocates only while its arrays first grow).
     */
    static final class TxMatches {
        private HttpTransaction tx;
        private long flowId;
        private long index = -1;
        private final long[] done;
        private final int[] counts;
        private final int[][] ids;

        TxMatches(int databases) {
            this.done = new long[(2 * databases + 63) / 64];
            this.counts = new int[2 * databases];
            this.ids = new int[2 * databases][];
        }

        /** Makes this the entry of {@code tx}; forgets another transaction's results. */
        void bind(HttpTransaction t, long flow) {
            if (tx != t || flowId != flow || index != t.index()) {
                tx = t;
                flowId = flow;
                index = t.index();
                java.util.Arrays.fill(done, 0);
            }
        }

        boolean has(int slot) {
            return (done[slot >>> 6] & 1L << slot) != 0;
        }

        int count(int slot) {
            return counts[slot];
        }

        int id(int slot, int k) {
            return ids[slot][k];
        }

        void start(int slot) {
            counts[slot] = 0;
        }

        void add(int slot, int id) {
            int n = counts[slot];
            if (n > KEPT_PER_BUFFER) {
                return;
            }
            int[] a = ids[slot];
            if (a == null || a.length == n) {
                a = java.util.Arrays.copyOf(a == null ? new int[0] : a, Math.min(KEPT_PER_BUFFER + 1, Math.max(4, n * 2)));
                ids[slot] = a;
            }
            a[n] = id;
            counts[slot] = n + 1;
        }

        /** The scan of {@code slot} is over: kept unless it found more than can be kept. */
        void finish(int slot) {
            if (counts[slot] <= KEPT_PER_BUFFER) {
                done[slot >>> 6] |= 1L << slot;
            }
        }
    }

    @Override
    public void close() {
        for (Scanner s : mergedScanners) {
            if (s != null) {
                s.close();
            }
        }
        for (Scanner s : scanners) {
            if (s != null) {
                s.close();
            }
        }
    }
}
