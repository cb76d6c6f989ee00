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
 * of a walk, as nftables turns port lists into sets. A run is at least {@link #MIN_RUN} tests, each falling through
 * (directly or through unconditional jumps) to the next. When the first test is followed by a jump, that jump is
 * re-targeted past the run and the run's code stays for any other path into it; otherwise the run must be
 * consecutive with no other way in, and its later tests are deleted. The 32-bit form ({@code jeq32}) qualifies only when the register is known to be zero above
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
            if (c.deleted[pc] || op != JEQ64 && op != JEQ32) {
                continue;
            }
            int to = c.live(c.target[pc]);
            // the run: each member's fall-through (through unconditional jumps) is the next member
            List<Integer> run = new ArrayList<>(List.of(pc));
            boolean consecutive = true;
            int next = pc;
            while (true) {
                int k = c.live(next + 1);
                int hops = 0;
                while (hops < 8 && k < c.n && Opcode.isGoto(c.op[k])) {
                    k = c.live(c.target[k]);
                    hops++;
                }
                if (k < c.n && c.op[k] == op && c.dst[k] == c.dst[pc] && c.live(c.target[k]) == to
                        && !run.contains(k)) {
                    consecutive &= hops == 0 && !entered[k];
                    run.add(k);
                    next = k;
                } else {
                    break;
                }
            }
            int after = c.live(next + 1); // where the last member falls through to (maybe a jump)
            int following = c.live(pc + 1);
            boolean retarget = following < c.n && Opcode.isGoto(c.op[following]);
            if (run.size() < MIN_RUN || !retarget && !consecutive
                    || (op == JEQ32 && !upperZero(c, pc, c.dst[pc], entered))) {
                continue;
            }
            List<long[]> values = new ArrayList<>();
            for (int k : run) {
                long v = op == JEQ64 ? c.imm[k] : c.imm[k] & 0xffffffffL; // jeq sign-extends imm; jeq32 is 32 bits
                values.add(new long[] {v, v});
            }
            c.op[pc] = Opcode.JIN;
            c.imm[pc] = c.addIntSet(IntRangeSet.of(values));
            if (retarget) {
                // the jump after the first test now skips the rest of the run; the run's code stays for any other
                // path into it, and goes with unreachable-code removal when there is none
                c.target[following] = after;
            } else {
                for (int i = 1; i < run.size(); i++) {
                    c.deleted[run.get(i)] = true;
                }
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
