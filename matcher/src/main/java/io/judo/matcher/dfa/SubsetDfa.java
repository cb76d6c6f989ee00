package io.judo.matcher.dfa;

import dk.brics.automaton.Automaton;
import dk.brics.automaton.State;
import dk.brics.automaton.Transition;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * A pattern's DFA made by subset construction from a brics NFA, with a state budget. brics's own determinization
 * has no limit, and patterns such as {@code .*X[^\n]{200}} need exponentially many states: with the budget such a
 * pattern is refused (and goes to the confirm stage) instead of hanging the compiler.
 *
 * <p>The states are not all the work: each one is a set of NFA states, and after a large counted repeat such as
 * {@code .{666}} the sets hold hundreds of NFA states each, so a DFA well inside the state budget could take minutes
 * (the regex fuzz target's timeout, docs/TESTING.md). The construction therefore steps once per byte interval the
 * NFA's transitions tell apart (not once per byte value), and counts the NFA transitions it reads and the set
 * entries it builds against {@link #WORK_BUDGET}; beyond that the pattern is refused like one over the state budget.
 */
final class SubsetDfa {
    /** Per-pattern state limit. */
    static final int BUDGET = 10_000;
    /**
     * Per-pattern limit on the subset construction's work: NFA transitions read plus NFA states put into successor
     * sets (roughly 50 ns each). Of the 7,028 ET Open and Snort community pcres that compile to a DFA the largest
     * takes 54 million (3,072 states); twice that is the limit.
     */
    static final long WORK_BUDGET = 110_000_000;
    /**
     * Work allowed per state of the database's state budget: a small budget (the fuzz target's 500) gets
     * proportionally little work, the default budget the whole {@link #WORK_BUDGET}.
     */
    static final long WORK_PER_BUDGET_STATE = 20_000;

    private final int[] next;
    private final boolean[] accept;
    private final int states;
    private final char[] intervals;

    private SubsetDfa(int[] next, boolean[] accept, int states) {
        this.next = next;
        this.accept = accept;
        this.states = states;
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        for (int c = 1; c < 256; c++) {
            for (int s = 0; s < states; s++) {
                if (next[s * 256 + c] != next[s * 256 + c - 1]) {
                    starts.add(c);
                    break;
                }
            }
        }
        intervals = new char[starts.size()];
        for (int i = 0; i < intervals.length; i++) {
            intervals[i] = (char) (int) starts.get(i);
        }
    }

    /** The DFA of {@code nfa} over bytes 0-255, or null when it needs more than {@code budget} states. */
    static SubsetDfa of(Automaton nfa, int budget) {
        return of(nfa, budget, WORK_BUDGET);
    }

    /**
     * The DFA of {@code nfa} over bytes 0-255, or null when it needs more than {@code budget} states or more than
     * {@code workBudget} steps of work.
     */
    static SubsetDfa of(Automaton nfa, int budget, long workBudget) {
        Map<State, Integer> number = new IdentityHashMap<>();
        List<State> byNumber = new ArrayList<>();
        for (State s : nfa.getStates()) {
            number.put(s, byNumber.size());
            byNumber.add(s);
        }
        int n = byNumber.size();
        // Per NFA state: transitions as (min, max, dest) triples.
        int[][] moves = new int[n][];
        for (int i = 0; i < n; i++) {
            List<Integer> m = new ArrayList<>();
            for (Transition t : byNumber.get(i).getTransitions()) {
                if (t.getMin() > 255) {
                    continue;
                }
                m.add((int) t.getMin());
                m.add(Math.min(255, (int) t.getMax()));
                m.add(number.get(t.getDest()));
            }
            moves[i] = m.stream().mapToInt(Integer::intValue).toArray();
        }
        // Bytes between two consecutive transition bounds go to the same set from every state: one step per interval.
        boolean[] cut = new boolean[257];
        cut[0] = true;
        for (int[] m : moves) {
            for (int k = 0; k < m.length; k += 3) {
                cut[m[k]] = true;
                cut[m[k + 1] + 1] = true;
            }
        }
        int[] lows = new int[257];
        int intervals = 0;
        for (int c = 0; c < 256; c++) {
            if (cut[c]) {
                lows[intervals++] = c;
            }
        }
        lows[intervals] = 256;
        long work = 0;
        Map<IntArrayKey, Integer> index = new HashMap<>();
        List<int[]> sets = new ArrayList<>();
        int[] start = {number.get(nfa.getInitialState())};
        index.put(new IntArrayKey(start), 0);
        sets.add(start);
        int[] table = new int[256 * 16];
        boolean[] mark = new boolean[n];
        int[] scratch = new int[n];
        for (int s = 0; s < sets.size(); s++) {
            int[] set = sets.get(s);
            for (int iv = 0; iv < intervals; iv++) {
                int c = lows[iv];
                int size = 0;
                for (int q : set) {
                    int[] m = moves[q];
                    work += m.length / 3 + 1;
                    for (int k = 0; k < m.length; k += 3) {
                        if (m[k] <= c && c <= m[k + 1] && !mark[m[k + 2]]) {
                            mark[m[k + 2]] = true;
                            scratch[size++] = m[k + 2];
                        }
                    }
                }
                work += size;
                if (work > workBudget) {
                    return null;
                }
                int target;
                if (size == 0) {
                    target = -1;
                } else {
                    int[] nextSet = Arrays.copyOf(scratch, size);
                    for (int q : nextSet) {
                        mark[q] = false;
                    }
                    Arrays.sort(nextSet);
                    IntArrayKey key = new IntArrayKey(nextSet);
                    Integer t = index.get(key);
                    if (t == null) {
                        if (sets.size() >= budget) {
                            return null;
                        }
                        t = sets.size();
                        index.put(key, t);
                        sets.add(nextSet);
                    }
                    target = t;
                }
                int at = s * 256 + lows[iv + 1];
                if (at > table.length) {
                    table = Arrays.copyOf(table, Math.max(at, table.length * 2));
                }
                Arrays.fill(table, s * 256 + c, at, target);
            }
        }
        boolean[] accept = new boolean[sets.size()];
        for (int s = 0; s < sets.size(); s++) {
            for (int q : sets.get(s)) {
                accept[s] |= byNumber.get(q).isAccept();
            }
        }
        return new SubsetDfa(Arrays.copyOf(table, sets.size() * 256), accept, sets.size());
    }

    int getInitialState() {
        return 0;
    }

    /** The next state, or -1 when no match can continue. */
    int step(int state, char c) {
        return next[state * 256 + c];
    }

    boolean isAccept(int state) {
        return accept[state];
    }

    /** Starts of the byte intervals this DFA treats alike (for byte classes). */
    char[] getCharIntervals() {
        return intervals;
    }

    int size() {
        return states;
    }

}
