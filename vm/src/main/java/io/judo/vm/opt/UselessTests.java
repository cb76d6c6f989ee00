package io.judo.vm.opt;

import io.judo.vm.Opcode;

/**
 * A test whose every outcome reaches the same place having done nothing anyone sees goes: the test becomes a jump to
 * that place. "Nothing anyone sees": only ALU operations, metadata and scratch-slot loads, integer-set tests and
 * jumps on the way, writing only registers nobody reads from there on. A rule reduced to tests that all lead to the
 * next rule — which value-dispatch makes of every rule for another port, whose port test comes last — disappears
 * with its tests; what it computed for them goes with dead-stores and unreachable-code removal.
 *
 * <p>One backward sweep (jumps go forward): {@code join[pc]} is where every path from {@code pc} first meets an
 * instruction with an effect (or {@code pc} itself), and {@code written[pc]} the registers written before it.
 * Never across a rule region's boundary in programs run a region at a time.
 */
final class UselessTests implements Pass {
    private final boolean wholeRuns;

    UselessTests(boolean wholeRuns) {
        this.wholeRuns = wholeRuns;
    }

    @Override
    public String name() {
        return "useless-tests";
    }

    @Override
    public boolean apply(Code c) {
        int n = c.n;
        int[] live = Liveness.liveIn(c);
        int[] segment = wholeRuns ? new int[n + 1] : MergeTails.segments(c);
        int[] join = new int[n + 1];
        int[] written = new int[n + 1];
        join[n] = n;
        for (int pc = n - 1; pc >= 0; pc--) {
            int op = c.op[pc];
            int j = pc;
            int w = 0;
            if (c.deleted[pc]) {
                j = join[pc + 1];
                w = written[pc + 1];
            } else if (op >= Opcode.ALU64_IMM && op < Opcode.JA || op == Opcode.LDM || op == Opcode.LDMEM) {
                j = join[pc + 1];
                w = Opcode.registersWritten(op, c.dst[pc]) | written[pc + 1];
            } else if (Opcode.isGoto(op)) {
                j = join[c.target[pc]];
                w = written[c.target[pc]];
            } else if (Code.conditional(op) && op != Opcode.JADDR && join[c.target[pc]] == join[pc + 1]) {
                j = join[pc + 1];
                w = written[c.target[pc]] | written[pc + 1];
            }
            if (j == pc || j >= n || (w & live[j]) != 0 || segment[j] != segment[pc]) {
                join[pc] = pc; // an effect, a real choice, or a register someone reads: the way stops here
                written[pc] = 0;
            } else {
                join[pc] = j;
                written[pc] = w;
            }
        }
        boolean changed = false;
        for (int pc = 0; pc < n; pc++) {
            if (!c.deleted[pc] && Code.conditional(c.op[pc]) && join[pc] != pc) {
                c.op[pc] = Opcode.JA;
                c.dst[pc] = 0;
                c.src[pc] = 0;
                c.imm[pc] = 0;
                c.target[pc] = join[pc];
                changed = true;
            }
        }
        return changed;
    }
}
