package io.judo.vm.asm;

import io.judo.vm.Insn;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.RuleRegion;
import java.util.List;

/**
 * Re-emits a built program into a new {@link ProgramBuilder}, jumps re-targeted through labels, so that code can be
 * put in place of chosen instructions. The rule compilers use it to add each rule's inspection code (which loops, so
 * the optimizer's forward-only passes cannot see it) after the loop-free header program was optimized: the optimizer
 * keeps its placeholders, the linker replaces them.
 */
public final class Relinker {
    private Relinker() {
    }

    /** Decides what goes where one instruction was. */
    @FunctionalInterface
    public interface Splice {
        /**
         * Emits the replacement for instruction {@code insn} at {@code pc} into {@code b} and returns true, or
         * returns false to keep the instruction. {@code regionEnd} is bound to the first instruction after the rule
         * region holding {@code pc} (null outside a region): where a failed rule continues.
         */
        boolean replace(int pc, long insn, ProgramBuilder b, Label regionEnd);
    }

    /** What goes where a rule region's placeholder call was. */
    @FunctionalInterface
    public interface Body {
        /**
         * Emits the body of region number {@code index} ({@code region}) into {@code b}; {@code regionEnd} is bound to
         * the first instruction after the region, where a failed rule continues.
         */
        void emit(int index, RuleRegion region, ProgramBuilder b, Label regionEnd);
    }

    /**
     * Relinks {@code p}, putting {@code body}'s code where each region's call of helper {@code placeholder} was (and
     * dropping the {@code r1} argument set right before it: the body sets its own). Every placeholder must lie in a
     * rule region, at most one per region: an optimizer that merged two rules' placeholders would otherwise give two
     * rules one body.
     */
    public static ProgramBuilder linkPlaceholders(Program p, int placeholder, Body body) {
        List<RuleRegion> regions = p.regions();
        int[] regionAt = new int[p.length()];
        java.util.Arrays.fill(regionAt, -1);
        for (int k = 0; k < regions.size(); k++) {
            for (int pc = regions.get(k).start(); pc < regions.get(k).end(); pc++) {
                regionAt[pc] = k;
            }
        }
        boolean[] linked = new boolean[regions.size()];
        return relink(p, (pc, insn, b, regionEnd) -> {
            if (setsArgumentOf(p, pc, placeholder)) {
                return true;
            }
            if (Insn.op(insn) != Opcode.CALL || Insn.imm(insn) != placeholder) {
                return false;
            }
            int k = regionAt[pc];
            if (k < 0 || linked[k]) {
                throw new IllegalStateException("placeholder call at " + pc + (k < 0 ? " outside any rule region"
                        : " is the second in rule " + regions.get(k).ruleId()));
            }
            linked[k] = true;
            body.emit(k, regions.get(k), b, regionEnd);
            return true;
        });
    }

    /** Whether instruction {@code pc} only sets {@code r1} for a call of helper {@code helper} right after it. */
    private static boolean setsArgumentOf(Program p, int pc, int helper) {
        long insn = p.insn(pc);
        if (pc + 1 >= p.length() || Insn.op(insn) != Opcode.ALU64_IMM + io.judo.vm.AluOp.MOV.ordinal()
                || Insn.dst(insn) != 1) {
            return false;
        }
        long next = p.insn(pc + 1);
        return Insn.op(next) == Opcode.CALL && Insn.imm(next) == helper;
    }

    /**
     * A builder holding {@code p}'s pools, default verdict, regions and code with {@code splice}'s replacements; the
     * caller may add pool entries and must {@link ProgramBuilder#build() build} it.
     */
    public static ProgramBuilder relink(Program p, Splice splice) {
        ProgramBuilder b = new ProgramBuilder();
        b.defaultVerdict(p.defaultVerdict());
        for (int i = 0; i < p.strings().size(); i++) {
            b.addString(p.strings().name(i), p.strings().get(i));
        }
        for (int i = 0; i < p.intSets().size(); i++) {
            b.addIntSet(p.intSets().name(i), p.intSets().get(i));
        }
        for (int i = 0; i < p.cidrSets().size(); i++) {
            b.addCidrSet(p.cidrSets().name(i), p.cidrSets().get(i));
        }
        for (int i = 0; i < p.patternDbs().size(); i++) {
            b.addPatternDb(p.patternDbs().name(i), p.patternDbs().get(i).patterns());
        }
        int n = p.length();
        Label[] at = new Label[n + 1];
        for (int pc = 0; pc <= n; pc++) {
            at[pc] = b.newLabel("@" + pc);
        }
        RuleRegion[] startsAt = new RuleRegion[n + 1];
        boolean[] endsAt = new boolean[n + 1];
        Label[] endOf = new Label[n];
        for (RuleRegion r : p.regions()) {
            startsAt[r.start()] = r;
            endsAt[r.end()] = true;
            for (int pc = r.start(); pc < r.end(); pc++) {
                endOf[pc] = at[r.end()];
            }
        }
        for (int pc = 0; pc < n; pc++) {
            if (endsAt[pc]) {
                b.endRule();
            }
            b.bind(at[pc]);
            if (startsAt[pc] != null) {
                b.beginRule(startsAt[pc].ruleId());
            }
            long insn = p.insn(pc);
            if (splice.replace(pc, insn, b, endOf[pc])) {
                continue;
            }
            int op = Insn.op(insn);
            int target = Opcode.jumpTarget(insn, pc);
            if (target < 0) {
                b.emit(op, Insn.dst(insn), Insn.src(insn), Insn.off(insn), Insn.imm(insn));
            } else if (Opcode.isGoto(op)) {
                b.ja(at[target]);
            } else {
                b.emitJump(op, Insn.dst(insn), Insn.src(insn), Insn.imm(insn), at[target]);
            }
        }
        if (endsAt[n]) {
            b.endRule();
        }
        b.bind(at[n]);
        return b;
    }
}
