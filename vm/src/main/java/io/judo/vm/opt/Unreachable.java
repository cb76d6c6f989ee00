package io.judo.vm.opt;

import io.judo.vm.Opcode;
import io.judo.vm.RuleRegion;

/**
 * Deletes instructions no path reaches from the entry or from a region's first instruction (where a prefilter-driven
 * engine may start), following jumps, fall-through and the failure edge of loads and {@code jaddr}.
 */
final class Unreachable implements Pass {
    private final boolean wholeRuns;

    Unreachable() {
        this(false);
    }

    /**
     * @param wholeRuns the program is only run whole: a region's first instructions are no entry, and when no path
     *                  reaches them any more (the rules before skip past them) they go and the region starts later
     */
    Unreachable(boolean wholeRuns) {
        this.wholeRuns = wholeRuns;
    }

    @Override
    public String name() {
        return "unreachable";
    }

    @Override
    public boolean apply(Code c) {
        boolean[] reached = new boolean[c.n + 1];
        mark(c, reached, 0);
        for (RuleRegion r : c.source.regions()) {
            if (!wholeRuns) {
                mark(c, reached, r.start());
            }
        }
        // forward-only jumps: one pass in order propagates everything
        for (int pc = 0; pc < c.n; pc++) {
            if (!reached[pc] || c.deleted[pc]) {
                if (reached[pc] && c.deleted[pc]) {
                    mark(c, reached, pc + 1);
                }
                continue;
            }
            int op = c.op[pc];
            if (c.target[pc] >= 0) {
                mark(c, reached, c.target[pc]);
            }
            if (!Code.exits(op) && !Opcode.isGoto(op)) {
                mark(c, reached, pc + 1);
            }
            if (op == Opcode.LD || op == Opcode.LDX || (op & 0xf0) == 0xa0 || op == Opcode.JADDR) {
                int fail = c.source.failTarget(pc);
                if (fail >= 0) {
                    mark(c, reached, fail);
                }
            }
        }
        boolean changed = false;
        for (int pc = 0; pc < c.n; pc++) {
            if (!reached[pc] && !c.deleted[pc]) {
                c.deleted[pc] = true;
                changed = true;
            }
        }
        return changed;
    }

    private static void mark(Code c, boolean[] reached, int pc) {
        if (pc <= c.n) {
            reached[pc] = true;
        }
    }
}
