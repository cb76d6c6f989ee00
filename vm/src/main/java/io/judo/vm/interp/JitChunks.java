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
 *
 * <p>A small loop (a {@code jloop} and its target at most {@link #SMALL_LOOP} instructions apart) is kept in one chunk
 * when the first pass would cut through it: the cut moves back to the loop's head, so its back edge is a JVM
 * backward {@code goto} rather than a return to the dispatcher. Only a preference: a loop that is cut (a large one,
 * tiny test chunks, the halving pass) runs through the continuation stubs like any jump between chunks.
 */
final class JitChunks {
    private JitChunks() {
    }

    /** Loops of at most this many instructions are kept in one chunk when the first pass can. */
    static final int SMALL_LOOP = 64;

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
        List<int[]> loops = smallLoops(p, most);
        int chunkStart = 0;
        for (int pc = 0; pc < n; pc++) {
            int cost = bytes(p, pc, regionEnds);
            if (count > 0 && (count == most || bytes + cost > fill)) {
                int cut = loopHead(loops, pc); // pc, unless that splits a small loop this chunk can keep whole
                if (cut <= chunkStart || cut > pc) {
                    cut = pc;
                }
                starts.add(cut);
                chunkStart = cut;
                count = 0;
                bytes = 0;
                if (cut < pc) { // fill the new chunk again from the loop's head
                    pc = cut - 1;
                    continue;
                }
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

    /** Loops {@code {head, jloop pc}} of at most {@link #SMALL_LOOP} (and {@code most}) instructions. */
    private static List<int[]> smallLoops(Program p, int most) {
        List<int[]> loops = new ArrayList<>();
        for (int pc = 0; pc < p.length(); pc++) {
            if (Opcode.isLoop(Insn.op(p.insn(pc)))) {
                int head = Opcode.jumpTarget(p.insn(pc), pc);
                int size = pc - head + 1;
                if (head >= 0 && size <= SMALL_LOOP && size <= most) {
                    loops.add(new int[] {head, pc});
                }
            }
        }
        return loops;
    }

    /** The lowest head of a small loop that a cut before {@code pc} would split, or MAX_VALUE when none would. */
    private static int loopHead(List<int[]> loops, int pc) {
        int head = Integer.MAX_VALUE;
        for (int[] loop : loops) {
            if (loop[0] < pc && pc <= loop[1]) {
                head = Math.min(head, loop[0]);
            }
        }
        return head;
    }

    /**
     * For each instruction, the lowest pc that jumps or fails to it, or MAX_VALUE. A {@code jloop}'s target gets a
     * negative source ({@code -1 - pc}), so that it always counts as entered from elsewhere: generous when the loop
     * is in one chunk, right when its back edge comes from a later one.
     */
    private static int[] firstSources(Program p) {
        int n = p.length();
        int[] first = new int[n + 1];
        java.util.Arrays.fill(first, Integer.MAX_VALUE);
        for (int pc = n - 1; pc >= 0; pc--) {
            int jump = Opcode.jumpTarget(p.insn(pc), pc);
            int fail = p.failTarget(pc);
            if (jump >= 0 && jump <= n) {
                first[jump] = Math.min(first[jump], jump <= pc ? -1 - pc : pc);
            }
            if (fail >= 0) {
                first[fail] = Math.min(first[fail], pc);
            }
        }
        return first;
    }

    /** The whole estimated bytecode of a chunk [lo, hi). */
    private static int cost(Program p, int lo, int hi, int[] firstSource, java.util.BitSet regionEnds) {
        int bytes = Opcode.REGISTERS * 8; // registers loaded at entry
        int written = 0;
        long slots = 0;
        long slotsWritten = 0;
        java.util.Set<Integer> outside = new java.util.HashSet<>();
        for (int pc = lo; pc < hi; pc++) {
            long insn = p.insn(pc);
            bytes += bytes(p, pc, regionEnds);
            written |= Opcode.registersWritten(Insn.op(insn), Insn.dst(insn));
            if (Insn.op(insn) == Opcode.STMEM || Insn.op(insn) == Opcode.LDMEM) {
                slots |= 1L << Insn.off(insn);
                slotsWritten |= Insn.op(insn) == Opcode.STMEM ? 1L << Insn.off(insn) : 0;
            }
            if (firstSource[pc] < lo) {
                bytes += 8; // an entry-switch case
            }
            int jump = Opcode.jumpTarget(insn, pc);
            if (jump >= hi || jump >= 0 && jump < lo) { // a jloop may go back to an earlier chunk
                outside.add(jump);
            }
            if (p.failTarget(pc) >= hi) {
                outside.add(p.failTarget(pc));
            }
        }
        bytes += 8 * Long.bitCount(slots); // scratch slots loaded at entry
        int spill = 6 * (Integer.bitCount(written) + Long.bitCount(slotsWritten)); // a stub stores what was written
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

    /**
     * The generated class of every chunk: consecutive chunks share a class while their estimated constant-pool
     * entries stay under {@code budget} (all zeros: the program fits one class). The JVM allows 65,535 entries; what
     * fills them are the constants a chunk pushes (immediates, pcs of region stops and continuations, rule numbers,
     * inlined set bounds), generously counted here per instruction, plus each method's own name and references.
     */
    static int[] classes(Program p, int[] chunkOf, int budget) {
        int chunks = chunkOf[chunkOf.length - 1] + 1;
        int[] entries = new int[chunks];
        for (int pc = 0; pc < p.length(); pc++) {
            entries[chunkOf[pc]] += entries(p, pc);
        }
        int[] classOf = new int[chunks];
        int total = SHARED_ENTRIES;
        for (int k = 0; k < chunks; k++) {
            total += entries[k] + 12;
        }
        if (total <= budget) {
            return classOf;
        }
        int h = 0;
        int used = SHARED_ENTRIES;
        int inClass = 0;
        for (int k = 0; k < chunks; k++) {
            int cost = entries[k] + 12;
            if (inClass > 0 && (used + cost > budget || inClass == JitCompiler.GROUP)) {
                h++;
                used = SHARED_ENTRIES;
                inClass = 0;
            }
            used += cost;
            inClass++;
            classOf[k] = h;
        }
        return classOf;
    }

    /** Entries every generated class has whatever its chunks: field and method references, class names. */
    static final int SHARED_ENTRIES = 1_000;

    /** A generous count of the constant-pool entries one instruction adds (a long constant takes two). */
    private static int entries(Program p, int pc) {
        long insn = p.insn(pc);
        int op = Insn.op(insn);
        if (op == Opcode.JIN) {
            int ranges = p.intSets().values().get(Insn.imm(insn)).ranges();
            return 8 + (ranges > JitCompiler.INLINE_RANGES ? 0 : 4 * ranges);
        }
        if (op == Opcode.JADDR) {
            int ranges = p.cidrSets().values().get(Insn.imm(insn)).v4Ranges();
            return 8 + (ranges > JitCompiler.INLINE_RANGES ? 0 : 4 * ranges);
        }
        return 8; // an immediate (2), a region stop's pc (1), a continuation (1), an exit's rule (2), and spare
    }
}
