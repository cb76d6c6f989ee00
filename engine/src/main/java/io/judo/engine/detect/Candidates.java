package io.judo.engine.detect;

import io.judo.matcher.MatchSink;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.Scanner;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * A rule stage's prefilter: one bit per rule, set by the pattern database's matches (each pattern names the rules it
 * stands for), by the rules that always run, and by address and port indexes; then visited in rule order. The database
 * is shared (compiled once per rule set, thread-safe); the scanner and the bits are this stage's own. Allocates
 * nothing per packet.
 */
final class Candidates implements AutoCloseable {
    private final long[] bits;
    private final Scanner scanner;
    private final MatchSink marks;
    private final int[][] rulesOfPattern;
    /** The memory {@link #scan(ByteBuffer, int, int, StreamMatches, long)} records into, during that call. */
    private StreamMatches recording;
    private long recordingEnd;
    private final MatchSink recorder;

    /** Visits one candidate; returning false stops the visit (a pass rule matched). */
    interface Visitor {
        boolean visit(int rule);
    }

    /**
     * @param rules how many rules the stage has
     * @param db the shared prefilter database, or null when no rule has a prefilter pattern
     * @param rulesOfPattern per pattern id, the rules it marks
     */
    Candidates(int rules, PatternDatabase db, int[][] rulesOfPattern) {
        this.bits = new long[(rules + 63) / 64];
        this.scanner = db == null ? null : db.scanner();
        this.rulesOfPattern = rulesOfPattern;
        this.marks = (id, start, end) -> mark(rulesOfPattern[id]);
        this.recorder = (id, start, end) -> {
            mark(rulesOfPattern[id]);
            recording.add(id, recordingEnd);
        };
    }

    /** Clears every mark and marks {@code always}. */
    void reset(int[] always) {
        Arrays.fill(bits, 0);
        mark(always);
    }

    /** Marks the rules whose patterns occur in {@code data[offset, offset + length)}. */
    void scan(ByteBuffer data, int offset, int length) {
        if (scanner != null && length > 0) {
            scanner.scan(data, offset, length, marks);
        }
    }

    /**
     * Marks the rules whose patterns occur in {@code data[offset, offset + length)} and records each pattern found in
     * {@code memory} as occurring in data that ends at stream offset {@code end}.
     */
    void scan(ByteBuffer data, int offset, int length, StreamMatches memory, long end) {
        if (scanner != null && length > 0) {
            recording = memory;
            recordingEnd = end;
            try {
                scanner.scan(data, offset, length, recorder);
            } finally {
                recording = null;
            }
        }
    }

    /** Marks the rules of prefilter pattern {@code id}. */
    void markPattern(int id) {
        mark(rulesOfPattern[id]);
    }

    /** Marks {@code rules}. */
    void mark(int[] rules) {
        for (int rule : rules) {
            bits[rule >>> 6] |= 1L << rule;
        }
    }

    /** Visits the marked rules in rule order until {@code v} says stop; returns how many it visited. */
    int visit(Visitor v) {
        int visited = 0;
        for (int w = 0; w < bits.length; w++) {
            long b = bits[w];
            while (b != 0) {
                int rule = (w << 6) + Long.numberOfTrailingZeros(b);
                b &= b - 1;
                visited++;
                if (!v.visit(rule)) {
                    return visited;
                }
            }
        }
        return visited;
    }

    @Override
    public void close() {
        if (scanner != null) {
            scanner.close();
        }
    }
}
