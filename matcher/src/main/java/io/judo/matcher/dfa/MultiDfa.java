package io.judo.matcher.dfa;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * A deterministic automaton for several patterns at once, over byte classes. Built by a product construction of the
 * patterns' minimized DFAs; each product state lists the patterns whose DFA accepts there. A product state is stored
 * sparsely, as the patterns that are not in their start state, so a set of literals grows like an Aho-Corasick trie
 * rather than exponentially.
 *
 * <p>Table layout for the scan loop: {@code next = table[state + classOf[byte]]}, where states are pre-multiplied by
 * the class count and an entry is negative when the target state accepts (the index is {@code entry & MAX_VALUE}).
 */
final class MultiDfa {
    final DfaPattern[] patterns;
    final byte[] classOf = new byte[256];
    /** The same classes as ints, for the scan loop (no sign masking per byte). */
    final int[] classIndex = new int[256];
    final int classes;
    final int[] table;
    final int start;
    final int states;
    /** Pattern indexes (into {@link #patterns}) accepting at each state: CSR over states. */
    final int[] acceptIndex;
    final int[] acceptList;
    /** Per state: true when an end-anchored pattern accepts there (checked only at end of data). */
    final boolean[] eodAccept;

    /** Thrown when the product would exceed the state budget. */
    static final class TooBig extends Exception {
        private static final long serialVersionUID = 1L;

        TooBig() {
            super(null, null, false, false);
        }
    }

    private MultiDfa(DfaPattern[] patterns, int classes, int[] table, int start, int states, int[] acceptIndex,
                     int[] acceptList, boolean[] eodAccept) {
        this.patterns = patterns;
        this.classes = classes;
        this.table = table;
        this.start = start;
        this.states = states;
        this.acceptIndex = acceptIndex;
        this.acceptList = acceptList;
        this.eodAccept = eodAccept;
    }

    static MultiDfa build(List<DfaPattern> list, int stateBudget) throws TooBig {
        DfaPattern[] pats = list.toArray(new DfaPattern[0]);
        // Byte classes: bytes no pattern's transitions tell apart share a class.
        TreeSet<Integer> bounds = new TreeSet<>(List.of(0, 256));
        for (DfaPattern p : pats) {
            for (char c : p.run.getCharIntervals()) {
                if (c < 256) {
                    bounds.add((int) c);
                }
            }
        }
        Integer[] cuts = bounds.toArray(new Integer[0]);
        int classes = cuts.length - 1;
        // classOf holds class numbers as unsigned bytes: up to 256 classes, one per byte value at most.
        byte[] classOf = new byte[256];
        int[] representative = new int[classes];
        for (int k = 0; k < classes; k++) {
            representative[k] = cuts[k];
            for (int v = cuts[k]; v < cuts[k + 1]; v++) {
                classOf[v] = (byte) k;
            }
        }
        int n = pats.length;
        int[] initial = new int[n];
        for (int i = 0; i < n; i++) {
            initial[i] = pats[i].run.getInitialState();
        }
        // From the start state, each class moves some patterns off their start state: precompute those moves.
        int[][] initMoves = new int[classes][];
        for (int k = 0; k < classes; k++) {
            List<Integer> moves = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                int t = step(pats[i], initial[i], representative[k]);
                if (t != initial[i]) {
                    moves.add(i);
                    moves.add(t);
                }
            }
            initMoves[k] = moves.stream().mapToInt(Integer::intValue).toArray();
        }
        Map<IntArrayKey, Integer> index = new HashMap<>();
        List<int[]> tuples = new ArrayList<>();
        int[] empty = new int[0];
        index.put(new IntArrayKey(empty), 0);
        tuples.add(empty);
        int[] table = new int[classes * 64];
        for (int s = 0; s < tuples.size(); s++) {
            int[] tuple = tuples.get(s);
            for (int k = 0; k < classes; k++) {
                int[] next = next(pats, tuple, initMoves[k], initial, representative[k]);
                IntArrayKey key = new IntArrayKey(next);
                Integer target = index.get(key);
                if (target == null) {
                    if (tuples.size() >= stateBudget) {
                        throw new TooBig();
                    }
                    target = tuples.size();
                    index.put(key, target);
                    tuples.add(next);
                }
                int at = s * classes + k;
                if (at >= table.length) {
                    table = Arrays.copyOf(table, table.length * 2);
                }
                table[at] = target;
            }
        }
        int states = tuples.size();
        int[] acceptIndex = new int[states + 1];
        List<Integer> accepts = new ArrayList<>();
        boolean[] eod = new boolean[states];
        boolean[] accepting = new boolean[states];
        for (int s = 0; s < states; s++) {
            acceptIndex[s] = accepts.size();
            int[] tuple = tuples.get(s);
            for (int j = 0; j < tuple.length; j += 2) {
                DfaPattern p = pats[tuple[j]];
                if (tuple[j + 1] >= 0 && p.run.isAccept(tuple[j + 1])) {
                    if (p.end == DfaPattern.EndAnchor.NONE) {
                        accepts.add(tuple[j]);
                        accepting[s] = true;
                    } else {
                        eod[s] = true;
                    }
                }
            }
        }
        acceptIndex[states] = accepts.size();
        int[] finalTable = new int[states * classes];
        for (int s = 0; s < states; s++) {
            for (int k = 0; k < classes; k++) {
                int t = table[s * classes + k];
                int entry = t * classes;
                finalTable[s * classes + k] = accepting[t] ? entry | Integer.MIN_VALUE : entry;
            }
        }
        MultiDfa dfa = new MultiDfa(pats, classes, finalTable, 0, states, acceptIndex,
                accepts.stream().mapToInt(Integer::intValue).toArray(), eod);
        System.arraycopy(classOf, 0, dfa.classOf, 0, 256);
        for (int v = 0; v < 256; v++) {
            dfa.classIndex[v] = classOf[v] & 0xff;
        }
        dfa.tuples = tuples;
        return dfa;
    }

    /** Product states as (pattern, state) pairs; kept for end-of-data checks. */
    private List<int[]> tuples;

    /** True when end-anchored pattern {@code p} is in an accepting state in product state {@code s}. */
    boolean eodAccepts(int s, int p) {
        int[] tuple = tuples.get(s);
        for (int j = 0; j < tuple.length; j += 2) {
            if (tuple[j] == p) {
                return tuple[j + 1] >= 0 && patterns[p].run.isAccept(tuple[j + 1]);
            }
        }
        return patterns[p].run.isAccept(patterns[p].run.getInitialState());
    }

    private static int step(DfaPattern p, int state, int c) {
        return p.run.step(state, (char) c);
    }

    /** The successor tuple: patterns present step from their state, absent ones (in their start state) may start. */
    private static int[] next(DfaPattern[] pats, int[] tuple, int[] initMoves, int[] initial, int c) {
        int[] out = new int[tuple.length + initMoves.length];
        int o = 0;
        int a = 0;
        int b = 0;
        while (a < tuple.length || b < initMoves.length) {
            int pa = a < tuple.length ? tuple[a] : Integer.MAX_VALUE;
            int pb = b < initMoves.length ? initMoves[b] : Integer.MAX_VALUE;
            int pattern;
            int target;
            if (pa <= pb) {
                pattern = pa;
                int state = tuple[a + 1];
                target = state < 0 ? -1 : step(pats[pattern], state, c);
                a += 2;
                if (pa == pb) {
                    b += 2; // present: its own state decides, not the start-state move
                }
            } else {
                pattern = pb;
                target = initMoves[b + 1];
                b += 2;
            }
            if (target == initial[pattern]) {
                continue; // back in its start state: implicit
            }
            // A dead anchored pattern stays recorded as -1 so it cannot restart.
            out[o++] = pattern;
            out[o++] = target;
        }
        return Arrays.copyOf(out, o);
    }


    /** Bytes of table memory. */
    long memory() {
        return (long) table.length * 4 + acceptList.length * 4L + acceptIndex.length * 4L;
    }
}
