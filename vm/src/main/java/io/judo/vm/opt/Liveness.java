package io.judo.vm.opt;

import io.judo.vm.Opcode;
import io.judo.vm.RuleRegion;

/** Register liveness over a program's forward edges, shared by the passes that skip or delete what is not read. */
final class Liveness {
    private Liveness() {
    }

    /** Registers read before being written from each instruction on, over the program's own edges. */
    static int[] liveIn(Code c) {
        return liveIn(c, regionEnds(c));
    }

    /** As {@link #liveIn(Code)} with the region ends already computed ({@link #regionEnds}). */
    static int[] liveIn(Code c, int[] regionEnd) {
        int[] none = new int[c.n];
        java.util.Arrays.fill(none, -1);
        return liveIn(c, regionEnd, none);
    }

    /**
     * Registers read before being written from each instruction on (jumps go forward: one backward sweep), over the
     * program's edges and, where {@code alsoTo[pc] >= 0}, an edge from {@code pc} to there as well.
     */
    static int[] liveIn(Code c, int[] regionEnd, int[] alsoTo) {
        int n = c.n;
        int[] in = new int[n + 1];
        for (int pc = n - 1; pc >= 0; pc--) {
            int op = c.op[pc];
            int out = 0;
            if (Code.branches(op)) {
                out |= in[Math.min(c.target[pc], n)];
            }
            if (!Code.exits(op) && !Opcode.isGoto(op)) {
                out |= in[pc + 1];
            }
            if (mayFail(op) && regionEnd[pc] >= 0) {
                out |= in[regionEnd[pc]];
            }
            if (alsoTo[pc] >= 0) {
                out |= in[alsoTo[pc]];
            }
            in[pc] = Opcode.registersRead(op, c.dst[pc], c.src[pc]) | out & ~Opcode.registersWritten(op, c.dst[pc]);
        }
        return in;
    }

    /** Per instruction, the end of the rule region holding it, or -1. */
    static int[] regionEnds(Code c) {
        int[] end = new int[c.n + 1];
        java.util.Arrays.fill(end, -1);
        for (RuleRegion r : c.source.regions()) {
            for (int pc = r.start(); pc < Math.min(r.end(), c.n); pc++) {
                end[pc] = Math.min(r.end(), c.n);
            }
        }
        return end;
    }

    /** A packet load or address-set test, which fails (out of bounds) by going on at its region's end. */
    static boolean mayFail(int op) {
        return (op & 0xf8) == Opcode.LD || op == Opcode.JADDR;
    }
}
