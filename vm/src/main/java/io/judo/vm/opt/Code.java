package io.judo.vm.opt;

import io.judo.vm.Insn;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.RuleRegion;
import java.util.ArrayList;
import java.util.List;

/**
 * A program opened for editing: instructions with absolute jump targets, a deleted mark per instruction, and the
 * regions; {@link #build} renumbers and re-encodes (every jump stays forward, regions follow their instructions).
 */
final class Code {
    final Program source;
    final int n;
    final int[] op;
    final int[] dst;
    final int[] src;
    final int[] off;
    final int[] imm;
    /** Absolute target of a branch, -1 otherwise. */
    final int[] target;
    final boolean[] deleted;

    Code(Program p) {
        if (p.hasLoops()) { // Optimizer.run returns such programs unchanged before any pass opens them
            throw new IllegalArgumentException("programs with loops (jloop) are not optimized");
        }
        source = p;
        n = p.length();
        op = new int[n];
        dst = new int[n];
        src = new int[n];
        off = new int[n];
        imm = new int[n];
        target = new int[n];
        deleted = new boolean[n];
        for (int pc = 0; pc < n; pc++) {
            long w = p.insn(pc);
            op[pc] = Insn.op(w);
            dst[pc] = Insn.dst(w);
            src[pc] = Insn.src(w);
            off[pc] = Insn.off(w);
            imm[pc] = Insn.imm(w);
            target[pc] = branches(op[pc]) ? pc + 1 + Opcode.jumpOffset(w) : -1;
        }
    }

    static boolean branches(int op) {
        Opcode o = Opcode.of(op);
        return o != null && o.branches();
    }

    /** A conditional jump (it may fall through). */
    static boolean conditional(int op) {
        return branches(op) && !Opcode.isGoto(op);
    }

    /** Whether the instruction writes its destination register (a call writes r0, not its dst field). */
    static boolean writesRegister(int op) {
        return op != Opcode.CALL && Opcode.registersWritten(op, 0) != 0;
    }

    /** Integer sets added by passes, after the program's own. */
    private final List<io.judo.vm.pool.IntRangeSet> addedSets = new ArrayList<>();

    /** Adds an integer set to the program's pool (or finds an equal one a pass added before); returns its index. */
    int addIntSet(io.judo.vm.pool.IntRangeSet set) {
        List<io.judo.vm.pool.IntRangeSet> own = source.intSets().values();
        for (int i = 0; i < own.size(); i++) {
            if (source.intSets().names().get(i).startsWith(ADDED) && own.get(i).equals(set)) {
                return i;
            }
        }
        for (int i = 0; i < addedSets.size(); i++) {
            if (addedSets.get(i).equals(set)) {
                return own.size() + i;
            }
        }
        addedSets.add(set);
        return own.size() + addedSets.size() - 1;
    }

    /** Name prefix of the integer sets passes add. */
    static final String ADDED = "eq";

    /**
     * Drops integer sets a pass added that no instruction uses any more (a later pass removed their test), and
     * renumbers the {@code jin} instructions after them.
     */
    static Program pruneAddedSets(Program p) {
        List<String> names = p.intSets().names();
        boolean[] used = new boolean[names.size()];
        for (int pc = 0; pc < p.length(); pc++) {
            if (Insn.op(p.insn(pc)) == Opcode.JIN) {
                used[Insn.imm(p.insn(pc))] = true;
            }
        }
        int[] renumber = new int[names.size()];
        List<String> keptNames = new ArrayList<>();
        List<io.judo.vm.pool.IntRangeSet> kept = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            renumber[i] = kept.size();
            if (used[i] || !names.get(i).startsWith(ADDED)) {
                keptNames.add(names.get(i));
                kept.add(p.intSets().values().get(i));
            }
        }
        if (kept.size() == names.size()) {
            return p;
        }
        long[] code = new long[p.length()];
        for (int pc = 0; pc < code.length; pc++) {
            long w = p.insn(pc);
            code[pc] = Insn.op(w) == Opcode.JIN
                    ? Insn.encode(Opcode.JIN, Insn.dst(w), Insn.src(w), Insn.off(w), renumber[Insn.imm(w)]) : w;
        }
        return new Program(code, p.regions(), p.defaultVerdict(), p.strings(), new Program.Pool<>(keptNames, kept),
                p.cidrSets(), p.patternDbs());
    }

    static boolean exits(int op) {
        return op == Opcode.RET || op == Opcode.RETR;
    }

    /** Next live instruction at or after {@code pc}, or {@code n}. */
    int live(int pc) {
        while (pc < n && deleted[pc]) {
            pc++;
        }
        return pc;
    }

    Program build() {
        int[] map = new int[n + 1];
        int next = 0;
        for (int pc = 0; pc < n; pc++) {
            map[pc] = next;
            if (!deleted[pc]) {
                next++;
            }
        }
        map[n] = next;
        // a deleted instruction maps to the next live one
        for (int pc = n - 1; pc >= 0; pc--) {
            if (deleted[pc]) {
                map[pc] = map[pc + 1];
            }
        }
        long[] code = new long[next];
        for (int pc = 0; pc < n; pc++) {
            if (deleted[pc]) {
                continue;
            }
            int o = off[pc];
            int operation = op[pc];
            int immediate = imm[pc];
            if (target[pc] >= 0) {
                o = map[target[pc]] - (map[pc] + 1);
                if (Opcode.isGoto(operation)) {
                    // the shortest form that reaches: ja with a 16-bit offset, else jal with a 32-bit one
                    operation = o > Short.MAX_VALUE ? Opcode.JAL : Opcode.JA;
                    immediate = operation == Opcode.JAL ? o : 0;
                    o = operation == Opcode.JAL ? 0 : o;
                } else if (o > Short.MAX_VALUE) {
                    throw new IllegalStateException("optimizer moved a conditional jump out of 16-bit range");
                }
            }
            code[map[pc]] = Insn.encode(operation, dst[pc], src[pc], o, immediate);
        }
        List<RuleRegion> regions = new ArrayList<>();
        for (RuleRegion r : source.regions()) {
            if (map[r.start()] < map[r.end()]) { // a region no path reaches any more (whole runs only) goes
                regions.add(new RuleRegion(r.ruleId(), map[r.start()], map[r.end()]));
            }
        }
        Program.Pool<io.judo.vm.pool.IntRangeSet> sets = source.intSets();
        if (!addedSets.isEmpty()) {
            List<String> names = new ArrayList<>(sets.names());
            List<io.judo.vm.pool.IntRangeSet> values = new ArrayList<>(sets.values());
            for (io.judo.vm.pool.IntRangeSet s : addedSets) {
                String name = ADDED + values.size();
                while (names.contains(name)) {
                    name = name + "_";
                }
                names.add(name);
                values.add(s);
            }
            sets = new Program.Pool<>(names, values);
        }
        return new Program(code, regions, source.defaultVerdict(), source.strings(), sets, source.cidrSets(),
                source.patternDbs());
    }
}
