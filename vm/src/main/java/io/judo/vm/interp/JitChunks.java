package io.judo.vm.interp;

import io.judo.vm.Insn;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.RuleRegion;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the JIT cuts a program into JVM methods. A first pass fills chunks greedily by an estimate of each
 * instruction's bytecode; a second checks each chunk's whole cost — entry-switch cases for instructions entered from
 * elsewhere, one continuation stub per distinct target outside it (each storing the registers the chunk writes), the
 * loads of its registers — and halves any chunk over the budget until every one fits. The estimate is generous
 * (JitChunkTest compares it with the sizes ASM writes), so no method reaches HotSpot's 8,000-byte compile limit.
 */
final class JitChunks {
    private JitChunks() {
    }

    /** The chunk index of every instruction: at most {@code most} instructions and about {@code budget} bytes each. */
    static int[] split(Program p, int most, int budget) {
        int n = p.length();
        int[] firstSource = firstSources(p);
        java.util.BitSet regionEnds = new java.util.BitSet();
        for (RuleRegion r : p.regions()) {
            regionEnds.set(r.end());
        }
        List<Integer> starts = new ArrayList<>();
        starts.add(0);
        int count = 0;
        int bytes = 0;
        int fill = budget * 7 / 8; // the rest is for entries and stubs, which the second pass counts
        for (int pc = 0; pc < n; pc++) {
            int cost = bytes(p, pc, regionEnds);
            if (count > 0 && (count == most || bytes + cost > fill)) {
                starts.add(pc);
                count = 0;
                bytes = 0;
            }
            count++;
            bytes += cost;
        }
        for (int i = 0; i < starts.size(); i++) {
            int lo = starts.get(i);
            int hi = i + 1 < starts.size() ? starts.get(i + 1) : n;
            if (hi - lo > 1 && cost(p, lo, hi, firstSource, regionEnds) > budget) {
                starts.add(i + 1, (lo + hi) >>> 1);
                i--; // check the first half again, then the second
            }
        }
        int[] chunkOf = new int[Math.max(1, n)];
        for (int i = 0; i < starts.size(); i++) {
            int hi = i + 1 < starts.size() ? starts.get(i + 1) : n;
            for (int pc = starts.get(i); pc < hi; pc++) {
                chunkOf[pc] = i;
            }
        }
        return chunkOf;
    }

    /** For each instruction, the lowest pc that jumps or fails to it (jumps go forward), or MAX_VALUE. */
    private static int[] firstSources(Program p) {
        int n = p.length();
        int[] first = new int[n + 1];
        java.util.Arrays.fill(first, Integer.MAX_VALUE);
        for (int pc = n - 1; pc >= 0; pc--) {
            int jump = Opcode.jumpTarget(p.insn(pc), pc);
            int fail = p.failTarget(pc);
            if (jump >= 0 && jump <= n) {
                first[jump] = pc;
            }
            if (fail >= 0) {
                first[fail] = pc;
            }
        }
        return first;
    }

    /** The whole estimated bytecode of a chunk [lo, hi). */
    private static int cost(Program p, int lo, int hi, int[] firstSource, java.util.BitSet regionEnds) {
        int bytes = 32 * 8; // registers and slots loaded at entry
        int written = 0;
        java.util.Set<Integer> outside = new java.util.HashSet<>();
        for (int pc = lo; pc < hi; pc++) {
            long insn = p.insn(pc);
            bytes += bytes(p, pc, regionEnds);
            written |= Opcode.registersWritten(Insn.op(insn), Insn.dst(insn))
                    | (Insn.op(insn) == Opcode.STMEM ? 1 << 16 + Insn.off(insn) : 0);
            if (firstSource[pc] < lo) {
                bytes += 8; // an entry-switch case
            }
            int jump = Opcode.jumpTarget(insn, pc);
            if (jump >= hi) {
                outside.add(jump);
            }
            if (p.failTarget(pc) >= hi) {
                outside.add(p.failTarget(pc));
            }
        }
        int spill = 6 * Integer.bitCount(written); // a stub stores what the chunk wrote
        return bytes + outside.size() * (8 + spill);
    }

    /** A generous estimate of the bytecode one instruction becomes, with its region-stop check. */
    private static int bytes(Program p, int pc, java.util.BitSet regionEnds) {
        int op = Insn.op(p.insn(pc));
        if (op == Opcode.JIN) {
            int ranges = p.intSets().values().get(Insn.imm(p.insn(pc))).ranges();
            return (ranges > JitCompiler.INLINE_RANGES ? 48 : 16 + 24 * ranges) + (regionEnds.get(pc) ? 12 : 0);
        }
        if (op == Opcode.JADDR) {
            int ranges = p.cidrSets().values().get(Insn.imm(p.insn(pc))).v4Ranges();
            return (ranges > JitCompiler.INLINE_RANGES ? 32 : 64 + 24 * ranges) + (regionEnds.get(pc) ? 12 : 0);
        }
        int base = switch (op & 0xf0) {
            case Opcode.LD -> 96; // base, three bounds checks, the buffer read
            case Opcode.LDM -> 20; // 10-14 written
            case Opcode.JIN -> 32; // jaddr: the set, the call, the failure branch (22-26 written)
            case Opcode.CALL -> 48;
            default -> 14; // ALU and jumps: operands, the operation, a branch (9-12 written)
        };
        return regionEnds.get(pc) ? base + 12 : base;
    }
}
