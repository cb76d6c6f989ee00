package io.judo.vm.asm;

import io.judo.vm.AluOp;
import io.judo.vm.Base;
import io.judo.vm.Insn;
import io.judo.vm.JumpOp;
import io.judo.vm.MetaField;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.RuleRegion;
import io.judo.vm.Verdict;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import io.judo.vm.pool.PatternDb;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Emits instructions with symbolic forward jumps, declares pools and rule regions, and resolves everything into a
 * {@link Program}. Jumps may only go forward: {@link #build()} rejects a jump to a label bound at or before it. The
 * one backward jump is {@link #loop(Label)} ({@code jloop}), to a label already bound. The program is not verified
 * here; run the {@link io.judo.vm.verify.Verifier}.
 */
public final class ProgramBuilder {
    private long[] code = new long[64];
    private int size;
    private final List<Fixup> fixups = new ArrayList<>();
    private final List<RuleRegion> regions = new ArrayList<>();
    private long openRule = Long.MIN_VALUE;
    private int openStart = -1;
    private int defaultVerdict = Verdict.DROP;
    private final List<String> stringNames = new ArrayList<>();
    private final List<byte[]> strings = new ArrayList<>();
    private final List<String> intSetNames = new ArrayList<>();
    private final List<IntRangeSet> intSets = new ArrayList<>();
    private final List<String> cidrSetNames = new ArrayList<>();
    private final List<CidrSet> cidrSets = new ArrayList<>();
    private final List<String> dbNames = new ArrayList<>();
    private final List<PatternDb> dbs = new ArrayList<>();
    private final Map<Integer, Integer> sourceLines = new HashMap<>();
    private final Map<Integer, String> notes = new HashMap<>();
    private String pendingNote;
    private int currentLine;
    private int labels;

    private record Fixup(int pc, Label label, int line) {
    }

    /** Source line attached to the instructions emitted next (for messages); 0 for none. */
    public ProgramBuilder line(int line) {
        this.currentLine = line;
        return this;
    }

    /**
     * Attaches a note to the next instruction emitted: what source construct it begins (a rule keyword, say), for
     * listings and error messages. Kept across jump relaxation.
     */
    public ProgramBuilder note(String text) {
        this.pendingNote = text;
        return this;
    }

    /** The notes by instruction index (of the program {@link #build()} returns, once it was built). */
    public Map<Integer, String> notes() {
        return Map.copyOf(notes);
    }

    /** Source line of instruction {@code pc}, or 0. */
    public int lineOf(int pc) {
        return sourceLines.getOrDefault(pc, 0);
    }

    /** The next instruction's index. */
    public int pc() {
        return size;
    }

    public Label newLabel() {
        return new Label("L" + (labels++));
    }

    public Label newLabel(String name) {
        return new Label(name);
    }

    /** Whether any instruction emitted so far jumps to {@code label} (a front end's test for code it made dead). */
    public boolean referenced(Label label) {
        return label.referenced;
    }

    /** Binds the label to the next instruction. */
    public ProgramBuilder bind(Label label) {
        if (label.bound()) {
            throw new AsmException("label '" + label.name + "' defined twice");
        }
        label.pc = size;
        return this;
    }

    public ProgramBuilder defaultVerdict(int verdict) {
        this.defaultVerdict = verdict;
        return this;
    }

    /** Starts a rule region at the next instruction. */
    public ProgramBuilder beginRule(long ruleId) {
        if (openStart >= 0) {
            throw new AsmException("rule " + openRule + " is still open (missing .end)");
        }
        openRule = ruleId;
        openStart = size;
        return this;
    }

    /** Ends the open rule region; a failed load inside it continues at the next instruction. */
    public ProgramBuilder endRule() {
        if (openStart < 0) {
            throw new AsmException(".end without .rule");
        }
        regions.add(new RuleRegion(openRule, openStart, size));
        openStart = -1;
        return this;
    }

    // ---- pools ----

    public int addString(String name, byte[] value) {
        return add(stringNames, strings, name, value.clone());
    }

    public int addIntSet(String name, IntRangeSet set) {
        return add(intSetNames, intSets, name, set);
    }

    public int addCidrSet(String name, CidrSet set) {
        return add(cidrSetNames, cidrSets, name, set);
    }

    public int addPatternDb(String name, int patterns) {
        int first = 0;
        for (PatternDb db : dbs) {
            first += db.patterns();
        }
        return add(dbNames, dbs, name, new PatternDb(name, patterns, first));
    }

    /** Every pool's names as "kind:name": adding is not a scan of the list (rule sets add tens of thousands). */
    private final java.util.Set<String> poolKeys = new java.util.HashSet<>();

    private <T> int add(List<String> names, List<T> values, String name, T value) {
        String kind = names == stringNames ? "s:" : names == intSetNames ? "i:" : names == cidrSetNames ? "c:" : "d:";
        if (!poolKeys.add(kind + name)) {
            throw new AsmException("pool entry '" + name + "' defined twice");
        }
        names.add(name);
        values.add(value);
        return values.size() - 1;
    }

    /** Index of a named pool entry of any kind, or -1 (pool names are unique per kind). */
    public int poolIndex(String name) {
        for (List<String> names : List.of(stringNames, intSetNames, cidrSetNames, dbNames)) {
            int i = names.indexOf(name);
            if (i >= 0) {
                return i;
            }
        }
        return -1;
    }

    public int intSetIndex(String name) {
        return intSetNames.indexOf(name);
    }

    public int cidrSetIndex(String name) {
        return cidrSetNames.indexOf(name);
    }

    // ---- instructions ----

    /** Emits one raw instruction. */
    public ProgramBuilder emit(int op, int dst, int src, int off, int imm) {
        if (size == code.length) {
            code = java.util.Arrays.copyOf(code, size * 2);
        }
        if (currentLine > 0) {
            sourceLines.put(size, currentLine);
        }
        if (pendingNote != null) {
            notes.put(size, pendingNote);
            pendingNote = null;
        }
        code[size++] = Insn.encode(op, dst, src, off, imm);
        return this;
    }

    /** Emits a branch to {@code target}; the offset is filled in by {@link #build()}. */
    public ProgramBuilder emitJump(int op, int dst, int src, int imm, Label target) {
        fixups.add(new Fixup(size, target, currentLine));
        target.referenced = true;
        return emit(op, dst, src, 0, imm);
    }

    public ProgramBuilder alu(AluOp op, int dst, long imm) {
        return emit(Opcode.ALU64_IMM + op.ordinal(), dst, 0, 0, checkImm(imm));
    }

    public ProgramBuilder aluReg(AluOp op, int dst, int src) {
        return emit(Opcode.ALU64_REG + op.ordinal(), dst, src, 0, 0);
    }

    public ProgramBuilder alu32(AluOp op, int dst, long imm) {
        return emit(Opcode.ALU32_IMM + op.ordinal(), dst, 0, 0, checkImm(imm));
    }

    public ProgramBuilder alu32Reg(AluOp op, int dst, int src) {
        return emit(Opcode.ALU32_REG + op.ordinal(), dst, src, 0, 0);
    }

    /** Load of {@code size} bytes (1, 2, 4 or 8) at {@code base + off}. */
    public ProgramBuilder load(int size, int dst, Base base, int off) {
        return emit(Opcode.LD + sizeCode(size), dst, 0, checkOff(off), base.ordinal());
    }

    /** Load of {@code size} bytes at {@code base + index register + off}. */
    public ProgramBuilder loadIndexed(int size, int dst, Base base, int index, int off) {
        return emit(Opcode.LDX + sizeCode(size), dst, index, checkOff(off), base.ordinal());
    }

    public ProgramBuilder loadMeta(int dst, MetaField field) {
        return emit(Opcode.LDM, dst, 0, 0, field.ordinal());
    }

    public ProgramBuilder storeMeta(MetaField field, int src) {
        return emit(Opcode.STM, 0, src, 0, field.ordinal());
    }

    public ProgramBuilder storeMetaImm(MetaField field, long value) {
        return emit(Opcode.STM_IMM, 0, 0, field.ordinal(), checkImm(value));
    }

    public ProgramBuilder loadMem(int dst, int slot) {
        return emit(Opcode.LDMEM, dst, 0, slot, 0);
    }

    public ProgramBuilder storeMem(int slot, int src) {
        return emit(Opcode.STMEM, 0, src, slot, 0);
    }

    public ProgramBuilder ja(Label target) {
        return emitJump(Opcode.JA, 0, 0, 0, target);
    }

    /**
     * Emits {@code jloop target}: a backward jump that spends one unit of the run's fuel (docs/ISA.md, "Bounded
     * loops"). The label must be bound already, at or before this instruction. Its offset is 16 bits; {@link #build()}
     * fails when the loop, after any relaxation of other jumps, is longer.
     */
    public ProgramBuilder loop(Label target) {
        if (!target.bound()) {
            throw new AsmException(null, currentLine, 1, null, "jloop to '" + target.name
                    + "': the label must be defined before the jloop (loops jump backward)");
        }
        return emitJump(Opcode.JLOOP, 0, 0, 0, target);
    }

    public ProgramBuilder jump(JumpOp op, int dst, long imm, Label target) {
        return emitJump(Opcode.JMP64_IMM + op.ordinal(), dst, 0, checkImm(imm), target);
    }

    public ProgramBuilder jumpReg(JumpOp op, int dst, int src, Label target) {
        return emitJump(Opcode.JMP64_REG + op.ordinal(), dst, src, 0, target);
    }

    public ProgramBuilder jump32(JumpOp op, int dst, long imm, Label target) {
        return emitJump(Opcode.JMP32_IMM + op.ordinal(), dst, 0, checkImm(imm), target);
    }

    public ProgramBuilder jump32Reg(JumpOp op, int dst, int src, Label target) {
        return emitJump(Opcode.JMP32_REG + op.ordinal(), dst, src, 0, target);
    }

    public ProgramBuilder jumpIn(int dst, int intSet, Label target) {
        return emitJump(Opcode.JIN, dst, 0, intSet, target);
    }

    /** @param which 0 for the source address, 1 for the destination */
    public ProgramBuilder jumpAddr(int which, int cidrSet, Label target) {
        return emitJump(Opcode.JADDR, 0, which, cidrSet, target);
    }

    public ProgramBuilder call(int helperId) {
        return emit(Opcode.CALL, 0, 0, 0, helperId);
    }

    public ProgramBuilder ret(int verdict, long ruleId) {
        return emit(Opcode.RET, 0, 0, verdict, checkImm(ruleId));
    }

    public ProgramBuilder retReg(int reg) {
        return emit(Opcode.RETR, reg, 0, 0, 0);
    }

    static int sizeCode(int size) {
        switch (size) {
            case 1: return 0;
            case 2: return 1;
            case 4: return 2;
            case 8: return 3;
            default: throw new AsmException("load size must be 1, 2, 4 or 8, not " + size);
        }
    }

    private static int checkImm(long v) {
        if (v < Integer.MIN_VALUE || v > 0xffffffffL) {
            throw new AsmException("immediate " + v + " does not fit in 32 bits");
        }
        return (int) v;
    }

    private static int checkOff(int v) {
        if (v < Short.MIN_VALUE || v > Short.MAX_VALUE) {
            throw new AsmException("offset " + v + " does not fit in 16 bits");
        }
        return v;
    }

    /**
     * Resolves jumps and returns the program. A jump whose target lies beyond a 16-bit offset is relaxed: {@code ja}
     * becomes {@code jal} (32-bit offset), and a conditional jump goes through a trampoline placed right after it
     * ({@code jcc +1; ja +1; jal target}), as eBPF compilers pair conditional jumps with {@code gotol}.
     */
    public Program build() {
        if (openStart >= 0) {
            throw new AsmException("rule " + openRule + " is not closed (missing .end)");
        }
        for (Fixup f : fixups) {
            if (!f.label.bound()) {
                throw new AsmException(null, f.line, 1, null, "label '" + f.label.name + "' is never defined");
            }
            boolean loop = Opcode.isLoop(Insn.op(code[f.pc]));
            if (!loop && f.label.pc - f.pc - 1 < 0) {
                throw new AsmException(null, f.line, 1, null, "jump to '" + f.label.name
                        + "' goes backwards; only jloop may jump backward");
            }
            if (loop && f.label.pc - f.pc - 1 >= 0) {
                throw new AsmException(null, f.line, 1, null, "jloop to '" + f.label.name
                        + "' goes forward; jloop must jump back to a label defined before it");
            }
        }
        relax();
        for (Fixup f : fixups) { // relaxation may have lengthened a loop
            if (Opcode.isLoop(Insn.op(code[f.pc])) && f.label.pc - f.pc - 1 < Short.MIN_VALUE) {
                throw new AsmException(null, f.line, 1, null, "jloop to '" + f.label.name + "' spans "
                        + (f.pc - f.label.pc + 1) + " instructions; its offset does not fit 16 bits (at most "
                        + (-Short.MIN_VALUE) + " instructions back)");
            }
        }
        long[] out = java.util.Arrays.copyOf(code, size);
        for (Fixup f : fixups) {
            int off = f.label.pc - f.pc - 1;
            long insn = out[f.pc];
            int op = Insn.op(insn);
            if (op == Opcode.JA && off > Short.MAX_VALUE) {
                op = Opcode.JAL;
            }
            out[f.pc] = op == Opcode.JAL ? Insn.encode(op, 0, 0, 0, off)
                    : Insn.encode(op, Insn.dst(insn), Insn.src(insn), off, Insn.imm(insn));
        }
        return new Program(out, regions, defaultVerdict, new Program.Pool<>(stringNames, strings),
                new Program.Pool<>(intSetNames, intSets), new Program.Pool<>(cidrSetNames, cidrSets),
                new Program.Pool<>(dbNames, dbs));
    }

    /**
     * Inserts a trampoline after every conditional jump whose target is out of 16-bit reach, moving everything after
     * it (labels, regions, other jumps) down by two; repeats, since moving code can push another jump out of reach.
     */
    private void relax() {
        while (true) {
            List<Fixup> far = new ArrayList<>();
            for (Fixup f : fixups) {
                int op = Insn.op(code[f.pc]);
                if (!Opcode.isGoto(op) && f.label.pc - f.pc - 1 > Short.MAX_VALUE) {
                    far.add(f);
                }
            }
            if (far.isEmpty()) {
                return;
            }
            far.sort(java.util.Comparator.comparingInt(Fixup::pc));
            int[] shift = new int[size + 1]; // instructions inserted before each old pc
            for (Fixup f : far) {
                shift[f.pc + 1] += 2;
            }
            for (int pc = 1; pc <= size; pc++) {
                shift[pc] += shift[pc - 1];
            }
            long[] grown = new long[Math.max(code.length, size + 2 * far.size())];
            java.util.Set<Integer> farPcs = new java.util.HashSet<>();
            far.forEach(f -> farPcs.add(f.pc));
            Map<Integer, Integer> lines = new HashMap<>();
            Map<Integer, String> movedNotes = new HashMap<>();
            for (int pc = 0; pc < size; pc++) {
                grown[pc + shift[pc]] = code[pc];
                Integer line = sourceLines.get(pc);
                if (line != null) {
                    lines.put(pc + shift[pc], line);
                }
                String note = notes.remove(pc);
                if (note != null) {
                    movedNotes.put(pc + shift[pc], note);
                }
            }
            java.util.IdentityHashMap<Label, Boolean> moved = new java.util.IdentityHashMap<>();
            List<Fixup> updated = new ArrayList<>();
            for (Fixup f : fixups) {
                moveLabel(f.label, shift, moved);
                int pc = f.pc + shift[f.pc];
                if (farPcs.contains(f.pc)) {
                    // jcc +1 (to the jal); ja +1 (over it); jal target
                    Label jal = new Label("far" + (labels++));
                    jal.pc = pc + 2;
                    Label after = new Label("far" + (labels++));
                    after.pc = pc + 3;
                    updated.add(new Fixup(pc, jal, f.line));
                    grown[pc + 1] = Insn.encode(Opcode.JA, 0, 0, 0, 0);
                    updated.add(new Fixup(pc + 1, after, f.line));
                    grown[pc + 2] = Insn.encode(Opcode.JAL, 0, 0, 0, 0);
                    updated.add(new Fixup(pc + 2, f.label, f.line));
                } else {
                    updated.add(new Fixup(pc, f.label, f.line));
                }
            }
            List<RuleRegion> regionsMoved = new ArrayList<>();
            for (RuleRegion r : regions) {
                regionsMoved.add(new RuleRegion(r.ruleId(), r.start() + shift[r.start()], r.end() + shift[r.end()]));
            }
            regions.clear();
            regions.addAll(regionsMoved);
            fixups.clear();
            fixups.addAll(updated);
            sourceLines.clear();
            sourceLines.putAll(lines);
            notes.clear();
            notes.putAll(movedNotes);
            size += 2 * far.size();
            code = grown;
        }
    }

    private static void moveLabel(Label label, int[] shift, java.util.IdentityHashMap<Label, Boolean> moved) {
        if (moved.put(label, Boolean.TRUE) == null) {
            label.pc += shift[Math.min(label.pc, shift.length - 1)];
        }
    }
}
