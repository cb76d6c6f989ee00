package io.judo.rules.suricata;

import io.judo.rules.ir.Flowbit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Flow bit names numbered once per rule set, and each rule's bit operations by bit number: the rule compiler lowers
 * them to {@code flowbit} helper calls on a flow's {@code long[]} state ({@link #newState}).
 */
public final class Flowbits {
    private final Map<String, Integer> index = new HashMap<>();
    /** Per rule: [set, unset, toggle, isset-all, isset-any, isnotset-all] bit lists. */
    private final int[][][] ops;

    Flowbits(List<SuricataRule> rules) {
        ops = new int[rules.size()][][];
        for (int i = 0; i < rules.size(); i++) {
            List<Flowbit> fb = rules.get(i).flowbits();
            if (fb.isEmpty()) {
                continue;
            }
            int[][] o = new int[6][0];
            for (Flowbit f : fb) {
                int kind = switch (f.command()) {
                    case "set" -> 0;
                    case "unset" -> 1;
                    case "toggle" -> 2;
                    case "isset" -> f.any() ? 4 : 3;
                    default -> 5;
                };
                for (String n : f.names()) {
                    int bit = index.computeIfAbsent(n, k -> index.size());
                    int[] old = o[kind];
                    int[] grown = java.util.Arrays.copyOf(old, old.length + 1);
                    grown[old.length] = bit;
                    o[kind] = grown;
                }
            }
            ops[i] = o;
        }
    }

    /** {@link #testsOf} kinds. */
    public static final int ISSET_ALL = 3;
    public static final int ISSET_ANY = 4;
    public static final int ISNOTSET = 5;

    /** Rule {@code rule}'s bits tested as {@code kind} ({@link #ISSET_ALL}, {@link #ISSET_ANY}, {@link #ISNOTSET}). */
    public int[] testsOf(int rule, int kind) {
        return ops[rule] == null ? new int[0] : ops[rule][kind].clone();
    }

    /** Rule {@code rule}'s changes as (flowbit helper operation, bit) pairs, in set, unset, toggle order. */
    public List<int[]> changesOf(int rule) {
        List<int[]> out = new java.util.ArrayList<>();
        int[][] o = ops[rule];
        if (o != null) {
            int[] opOf = {io.judo.vm.interp.Helpers.FLOWBIT_SET, io.judo.vm.interp.Helpers.FLOWBIT_UNSET,
                io.judo.vm.interp.Helpers.FLOWBIT_TOGGLE};
            for (int kind = 0; kind < 3; kind++) {
                for (int bit : o[kind]) {
                    out.add(new int[] {opOf[kind], bit});
                }
            }
        }
        return out;
    }

    /** Number of distinct flow bits. */
    public int size() {
        return index.size();
    }

    /** A fresh state for one flow. */
    public long[] newState() {
        return new long[Math.max(1, (index.size() + 63) / 64)];
    }

    /** Whether the rule changes bits when it matches. */
    public boolean changes(int rule) {
        int[][] o = ops[rule];
        return o != null && (o[0].length > 0 || o[1].length > 0 || o[2].length > 0);
    }
}
