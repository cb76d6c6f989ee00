package io.judo.vm.opt;

import io.judo.vm.Opcode;

/**
 * Dead-code removal: an instruction whose only effect is a register no path reads before writing it again goes —
 * ALU and unary operations, metadata and scratch-slot loads (none of which can fail). Packet loads stay even when
 * their value is dead: a load out of bounds ends the run, which is an effect. Specialized copies (value-dispatch) are
 * where these appear most: a rule's verdict store that the next matching rule overwrites.
 */
final class DeadStores implements Pass {
    private final boolean wholeRuns;

    /** @param wholeRuns as for {@link ThreadKnownTests}: otherwise a region's first instruction stays, so it keeps one */
    DeadStores(boolean wholeRuns) {
        this.wholeRuns = wholeRuns;
    }

    @Override
    public String name() {
        return "dead-stores";
    }

    @Override
    public boolean apply(Code c) {
        int n = c.n;
        int[] live = Liveness.liveIn(c);
        java.util.Set<Integer> starts = new java.util.HashSet<>();
        if (!wholeRuns) {
            c.source.regions().forEach(r -> starts.add(r.start()));
        }
        boolean changed = false;
        for (int pc = 0; pc < n; pc++) {
            int op = c.op[pc];
            if (starts.contains(pc)) {
                continue; // a region run starts here: the region must keep an instruction
            }
            boolean removable = op >= Opcode.ALU64_IMM && op < Opcode.JA || op == Opcode.LDM || op == Opcode.LDMEM;
            if (removable && !c.deleted[pc] && (Opcode.registersWritten(op, c.dst[pc]) & live[pc + 1]) == 0) {
                c.deleted[pc] = true;
                changed = true;
            }
        }
        return changed;
    }
}
