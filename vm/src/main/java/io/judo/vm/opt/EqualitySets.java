package io.judo.vm.opt;

import io.judo.vm.JumpOp;
import io.judo.vm.Opcode;
import io.judo.vm.RuleRegion;
import io.judo.vm.pool.IntRangeSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Many equality tests of one register against constants, all jumping to the same place, become one set lookup:
 * {@code jeq r1, 22, L; jeq r1, 25, L; jeq r1, 80, L} is {@code jin r1, {22, 25, 80}, L} — a binary search instead
 * of a walk, as nftables turns port lists into sets. Only a run of at least {@link #MIN_RUN} consecutive tests
 * qualifies, none of them but the first the target of another jump or at a region edge (a path entering mid-run would
 * skip earlier tests). The 32-bit form ({@code jeq32}) qualifies only when the register is known to be zero above
 * bit 31 — set in the same block by a load of at most 4 bytes or a 32-bit ALU operation — since the set compares all
 * 64 bits.
 */
final class EqualitySets implements Pass {
    static final int MIN_RUN = 3;
    private static final int JEQ64 = Opcode.JMP64_IMM + JumpOp.JEQ.ordinal();
    private static final int JEQ32 = Opcode.JMP32_IMM + JumpOp.JEQ.ordinal();

    @Override
    public String name() {
        return "equality-sets";
    }

    @Override
    public boolean apply(Code c) {
        boolean[] entered = new boolean[c.n + 1];
        for (int pc = 0; pc < c.n; pc++) {
            if (!c.deleted[pc] && c.target[pc] >= 0) {
                entered[c.live(c.target[pc])] = true;
            }
        }
        for (RuleRegion r : c.source.regions()) {
            entered[c.live(r.start())] = true;
            entered[c.live(Math.min(r.end(), c.n))] = true;
        }
        boolean changed = false;
        for (int pc = c.live(0); pc < c.n; pc = c.live(pc + 1)) {
            int op = c.op[pc];
            if (op != JEQ64 && op != JEQ32) {
                continue;
            }
            int to = c.live(c.target[pc]);
            List<Integer> run = new ArrayList<>(List.of(pc));
            for (int k = c.live(pc + 1); k < c.n && !entered[k] && c.op[k] == op && c.dst[k] == c.dst[pc]
                    && c.live(c.target[k]) == to; k = c.live(k + 1)) {
                run.add(k);
            }
            if (run.size() < MIN_RUN || (op == JEQ32 && !upperZero(c, pc, c.dst[pc], entered))) {
                continue;
            }
            List<long[]> values = new ArrayList<>();
            for (int k : run) {
                long v = op == JEQ64 ? c.imm[k] : c.imm[k] & 0xffffffffL; // jeq sign-extends imm; jeq32 is 32 bits
                values.add(new long[] {v, v});
            }
            c.op[pc] = Opcode.JIN;
            c.imm[pc] = c.addIntSet(IntRangeSet.of(values));
            for (int i = 1; i < run.size(); i++) {
                c.deleted[run.get(i)] = true;
            }
            changed = true;
        }
        return changed;
    }

    /** Whether register {@code reg} is zero above bit 31 at {@code pc}: its last write in the block says so. */
    private static boolean upperZero(Code c, int pc, int reg, boolean[] entered) {
        for (int k = pc - 1; k >= 0; k--) {
            if (c.deleted[k]) {
                continue;
            }
            int op = c.op[k];
            boolean writes = Code.writesRegister(op) && c.dst[k] == reg || op == Opcode.CALL && reg == 0;
            if (writes) {
                int group = op & 0xf0;
                boolean load = (op & 0xf8) == Opcode.LD && (op & 3) != 3; // ldb/ldh/ldw, plain or indexed
                return load || group == Opcode.ALU32_IMM || group == Opcode.ALU32_REG;
            }
            if (entered[k]) {
                return false; // the block starts here: the value depends on the path taken to it
            }
        }
        return false;
    }
}
