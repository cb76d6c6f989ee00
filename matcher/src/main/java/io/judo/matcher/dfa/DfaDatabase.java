package io.judo.matcher.dfa;

import io.judo.matcher.MatchSink;
import io.judo.matcher.Pattern;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.PatternFlag;
import io.judo.matcher.Scanner;
import io.judo.matcher.StreamState;
import io.judo.matcher.confirm.ConfirmStage;
import io.judo.matcher.regex.RegexNode;
import io.judo.matcher.regex.RegexParser;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The pure-Java backend. Patterns are combined into as few DFAs as the state budget allows: the whole set first,
 * halved on overflow, down to one pattern per DFA; a pattern too big on its own, or with constructs no DFA can do,
 * runs in the {@link ConfirmStage}.
 */
public final class DfaDatabase implements PatternDatabase {
    /** Product states allowed per combined DFA. */
    public static final int DEFAULT_STATE_BUDGET = 200_000;

    private final MultiDfa[] groups;
    private final ConfirmStage confirm;
    private final int patternCount;

    private DfaDatabase(MultiDfa[] groups, ConfirmStage confirm, int patternCount) {
        this.groups = groups;
        this.confirm = confirm;
        this.patternCount = patternCount;
    }

    public static DfaDatabase compile(List<Pattern> patterns) {
        return compile(patterns, DEFAULT_STATE_BUDGET);
    }

    public static DfaDatabase compile(List<Pattern> patterns, int stateBudget) {
        List<DfaPattern> dfas = new ArrayList<>();
        List<Pattern> confirm = new ArrayList<>();
        for (Pattern p : patterns) {
            if (p.has(PatternFlag.SOM)) {
                confirm.add(p); // start offsets need the confirm stage's leftmost search
                continue;
            }
            RegexNode tree = RegexParser.parse(p.expression(), p.id(), p.has(PatternFlag.CASELESS),
                    p.has(PatternFlag.DOTALL), p.has(PatternFlag.MULTILINE));
            DfaPattern d = DfaPattern.of(p, tree, stateBudget);
            if (d == null) {
                confirm.add(p);
            } else {
                dfas.add(d);
            }
        }
        List<MultiDfa> groups = new ArrayList<>();
        split(dfas, stateBudget, groups, confirm);
        return new DfaDatabase(groups.toArray(new MultiDfa[0]), new ConfirmStage(confirm), patterns.size());
    }

    private static void split(List<DfaPattern> dfas, int budget, List<MultiDfa> out, List<Pattern> confirm) {
        if (dfas.isEmpty()) {
            return;
        }
        try {
            out.add(MultiDfa.build(dfas, budget));
        } catch (MultiDfa.TooBig e) {
            if (dfas.size() == 1) {
                confirm.add(dfas.get(0).pattern);
                return;
            }
            int half = dfas.size() / 2;
            split(dfas.subList(0, half), budget, out, confirm);
            split(dfas.subList(half, dfas.size()), budget, out, confirm);
        }
    }

    @Override
    public Scanner scanner() {
        return new DfaScanner();
    }

    @Override
    public String engine() {
        return "dfa";
    }

    @Override
    public int patternCount() {
        return patternCount;
    }

    @Override
    public int confirmCount() {
        return confirm.size();
    }

    /** Number of combined DFAs. */
    public int groups() {
        return groups.length;
    }

    @Override
    public long streamStateBytes() {
        // Per group: current and previous state; plus the single-match bits; the confirm window is extra.
        return groups.length * 8L + (patternCount + 63) / 64 * 8L + (confirm.size() > 0 ? ConfirmStage.WINDOW : 0);
    }

    @Override
    public String describe() {
        long states = 0;
        long memory = 0;
        int classes = 0;
        for (MultiDfa g : groups) {
            states += g.states;
            memory += g.memory();
            classes = Math.max(classes, g.classes);
        }
        return String.format("dfa: %d patterns in %d automata, %d states, up to %d byte classes, %.1f MiB; %d in the "
                + "confirm stage", patternCount, groups.length, states, classes, memory / 1048576.0, confirm.size());
    }

    @Override
    public void close() {
    }

    /** Per-stream state: current and previous DFA state per group (pre-multiplied), last byte, single-match bits. */
    private final class Stream implements StreamState {
        final int[] state = new int[groups.length];
        final int[] previous = new int[groups.length];
        final long[][] singleDone = new long[groups.length][];
        ConfirmStage.Window window;
        long offset;
        int lastByte;

        Stream() {
            for (int g = 0; g < groups.length; g++) {
                singleDone[g] = new long[(groups[g].patterns.length + 63) / 64];
            }
            reset();
        }

        /** Back to the state of a new stream, so a scanner reuses one for its block scans. */
        void reset() {
            for (int g = 0; g < groups.length; g++) {
                state[g] = groups[g].start;
                previous[g] = -1;
                java.util.Arrays.fill(singleDone[g], 0L);
            }
            window = confirm.size() > 0 ? confirm.openWindow() : null;
            offset = 0;
            lastByte = -1;
        }

        @Override
        public long offset() {
            return offset;
        }
    }

    private final class DfaScanner implements Scanner {
        /** The state of block scans, reset for each: a block scan allocates nothing. */
        private final Stream block = new Stream();

        @Override
        public void scan(ByteBuffer data, int offset, int length, MatchSink sink) {
            Stream s = block;
            s.reset();
            scan(s, data, offset, length, sink);
            close(s, sink);
        }

        @Override
        public StreamState openStream() {
            return new Stream();
        }

        @Override
        public void scan(StreamState stream, ByteBuffer data, int offset, int length, MatchSink sink) {
            Stream s = (Stream) stream;
            if (length == 0) {
                return;
            }
            for (int g = 0; g < groups.length; g++) {
                run(groups[g], g, s, data, offset, length, sink);
            }
            if (s.window != null) {
                confirm.scan(s.window, data, offset, length, sink);
            }
            s.offset += length;
            s.lastByte = data.get(offset + length - 1) & 0xff;
        }

        private void run(MultiDfa d, int g, Stream s, ByteBuffer b, int offset, int length, MatchSink sink) {
            final int[] table = d.table;
            final int[] classOf = d.classIndex;
            int state = s.state[g];
            int previous = s.previous[g];
            long base = s.offset - offset + 1;
            int i = offset;
            int end = offset + length;
            // Eight bytes per bounds-checked read; the buffer is big-endian, so the first byte is the top one.
            while (end - i >= 8) {
                long w = b.getLong(i);
                for (int shift = 56; shift >= 0; shift -= 8) {
                    previous = state;
                    int e = table[state + classOf[(int) (w >>> shift) & 0xff]];
                    if (e < 0) {
                        state = e & Integer.MAX_VALUE;
                        report(d, g, s, state / d.classes, base + i + ((56 - shift) >>> 3), sink);
                    } else {
                        state = e;
                    }
                }
                i += 8;
            }
            for (; i < end; i++) {
                previous = state;
                int e = table[state + classOf[b.get(i) & 0xff]];
                if (e < 0) {
                    state = e & Integer.MAX_VALUE;
                    report(d, g, s, state / d.classes, base + i, sink);
                } else {
                    state = e;
                }
            }
            s.state[g] = state;
            s.previous[g] = previous;
        }

        private void report(MultiDfa d, int g, Stream s, int stateNumber, long end, MatchSink sink) {
            for (int k = d.acceptIndex[stateNumber]; k < d.acceptIndex[stateNumber + 1]; k++) {
                int index = d.acceptList[k];
                emit(d, g, s, index, end, sink);
            }
        }

        private void emit(MultiDfa d, int g, Stream s, int index, long end, MatchSink sink) {
            Pattern p = d.patterns[index].pattern;
            if ((p.minEnd() >= 0 && end < p.minEnd()) || (p.maxEnd() >= 0 && end > p.maxEnd())) {
                return;
            }
            if (d.patterns[index].singleMatch()) {
                long bit = 1L << index;
                if ((s.singleDone[g][index >>> 6] & bit) != 0) {
                    return;
                }
                s.singleDone[g][index >>> 6] |= bit;
            }
            sink.match(p.id(), -1, end);
        }

        @Override
        public void close(StreamState stream, MatchSink sink) {
            Stream s = (Stream) stream;
            // Matches anchored at the end of data: at the end, or (for $ and \Z) just before a final newline.
            for (int g = 0; g < groups.length; g++) {
                MultiDfa d = groups[g];
                int here = s.state[g] / d.classes;
                int before = s.previous[g] < 0 ? -1 : s.previous[g] / d.classes;
                if (!d.eodAccept[here] && (before < 0 || !d.eodAccept[before])) {
                    continue;
                }
                for (int index = 0; index < d.patterns.length; index++) {
                    DfaPattern p = d.patterns[index];
                    if (p.end == DfaPattern.EndAnchor.NONE) {
                        continue;
                    }
                    if (s.offset > 0 && p.end == DfaPattern.EndAnchor.END_OR_BEFORE_FINAL_NEWLINE && s.lastByte == '\n'
                            && before >= 0 && d.eodAccepts(before, index)) {
                        emit(d, g, s, index, s.offset - 1, sink);
                    }
                    if (d.eodAccepts(here, index)) {
                        emit(d, g, s, index, s.offset, sink);
                    }
                }
            }
        }

        @Override
        public void close() {
        }
    }

}
