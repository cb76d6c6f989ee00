package io.judo.vm.opt;

import io.judo.vm.Opcode;

/**
 * Jump threading: a jump whose target is an unconditional {@code ja} goes straight to that jump's target, and an
 * unconditional jump to a {@code ret} becomes that {@code ret} (it has no operands that depend on where it is).
 */
final class ThreadJumps implements Pass {
    @Override
    public String name() {
        return "thread-jumps";
    }

    @Override
    public boolean apply(Code c) {
        java.util.Set<Integer> ends = new java.util.HashSet<>();
        for (io.judo.vm.RuleRegion r : c.source.regions()) {
            ends.add(r.end()); // a region's end stops a region run: never thread past it
        }
        boolean changed = false;
        for (int pc = 0; pc < c.n; pc++) {
            if (c.deleted[pc] || c.target[pc] < 0) {
                continue;
            }
            int t = c.live(c.target[pc]);
            if (ends.contains(t)) {
                continue;
            }
            if (t < c.n && Opcode.isGoto(c.op[t]) && c.target[t] != t && c.live(c.target[t]) != t
                    && (Opcode.isGoto(c.op[pc]) || c.target[t] - pc - 1 <= Short.MAX_VALUE)) {
                c.target[pc] = c.target[t];
                changed = true;
            } else if (Opcode.isGoto(c.op[pc]) && t < c.n && c.op[t] == Opcode.RET) {
                c.op[pc] = Opcode.RET;
                c.dst[pc] = c.dst[t];
                c.src[pc] = c.src[t];
                c.off[pc] = c.off[t];
                c.imm[pc] = c.imm[t];
                c.target[pc] = -1;
                changed = true;
            }
        }
        return changed;
    }
}
