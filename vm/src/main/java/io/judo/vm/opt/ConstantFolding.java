package io.judo.vm.opt;

import io.judo.vm.Opcode;
import io.judo.vm.RuleRegion;
import io.judo.vm.interp.Interpreter;
import java.util.HashSet;
import java.util.Set;

/**
 * Constant folding and propagation inside basic blocks: a register set by {@code mov rD, imm} is known until written
 * otherwise; an immediate ALU operation on a known register becomes a {@code mov} of the result (when the result
 * fits the instruction's sign-extended 32-bit immediate), and a conditional jump comparing a known register with an
 * immediate is decided: a {@code ja} when taken, deleted when not. Knowledge is dropped at every block start (jump
 * targets, region edges, failure targets).
 */
final class ConstantFolding implements Pass {
    private static final int MOV = 0;

    @Override
    public String name() {
        return "constant-folding";
    }

    @Override
    public boolean apply(Code c) {
        Set<Integer> starts = new HashSet<>();
        for (int pc = 0; pc < c.n; pc++) {
            if (c.target[pc] >= 0) {
                starts.add(c.target[pc]);
            }
            int fail = c.source.failTarget(pc);
            if (fail >= 0) {
                starts.add(fail);
            }
        }
        for (RuleRegion r : c.source.regions()) {
            starts.add(r.start());
            starts.add(r.end());
        }
        boolean[] known = new boolean[16];
        long[] value = new long[16];
        boolean changed = false;
        for (int pc = 0; pc < c.n; pc++) {
            if (starts.contains(pc)) {
                java.util.Arrays.fill(known, false);
            }
            int op = c.op[pc];
            int d = c.dst[pc];
            int group = op & 0xf0;
            if (group == Opcode.ALU64_IMM) {
                long result = Interpreter.alu64(op & 0xf, value[d], c.imm[pc]);
                if ((op & 0xf) == MOV) {
                    known[d] = true;
                    value[d] = c.imm[pc];
                } else if (known[d]) {
                    value[d] = result;
                    changed |= toMov(c, pc, result);
                }
            } else if (group == Opcode.ALU32_IMM) {
                if (known[d] || (op & 0xf) == MOV) {
                    long result = Interpreter.alu32(op & 0xf, (int) value[d], c.imm[pc]);
                    known[d] = true;
                    value[d] = result;
                    changed |= toMov(c, pc, result);
                }
            } else if ((group == Opcode.JMP64_IMM || group == Opcode.JMP32_IMM) && known[d]) {
                boolean taken = group == Opcode.JMP64_IMM ? Interpreter.jump64(op & 0xf, value[d], c.imm[pc])
                        : Interpreter.jump32(op & 0xf, (int) value[d], c.imm[pc]);
                if (taken) {
                    c.op[pc] = Opcode.JA;
                    c.dst[pc] = 0;
                    c.src[pc] = 0;
                    c.imm[pc] = 0;
                } else {
                    c.deleted[pc] = true;
                }
                changed = true;
            } else if (writes(op)) {
                known[op == Opcode.CALL ? 0 : d] = false;
            } else if (Opcode.isGoto(op)) {
                // the next instruction is only reached by jumping: a block start
                java.util.Arrays.fill(known, false);
            }
        }
        return changed;
    }

    /** Rewrites {@code pc} as {@code mov rD, result} when the result fits the immediate and it is not one already. */
    private static boolean toMov(Code c, int pc, long result) {
        if (result != (int) result || (c.op[pc] == Opcode.ALU64_IMM + MOV && c.imm[pc] == (int) result)) {
            return false;
        }
        c.op[pc] = Opcode.ALU64_IMM + MOV;
        c.imm[pc] = (int) result;
        return true;
    }

    /** Instructions that write a register with a value this pass does not track. */
    private static boolean writes(int op) {
        int group = op & 0xf0;
        return group == Opcode.ALU64_REG || group == Opcode.ALU32_REG || group == 0x50 && !Opcode.isGoto(op)
                || group == 0xa0 || op == Opcode.LDM || op == Opcode.LDMEM || op == Opcode.CALL;
    }
}
