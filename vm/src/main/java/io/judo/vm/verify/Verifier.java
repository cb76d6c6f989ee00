package io.judo.vm.verify;

import io.judo.vm.AluOp;
import io.judo.vm.Base;
import io.judo.vm.Format;
import io.judo.vm.Insn;
import io.judo.vm.Kind;
import io.judo.vm.MetaField;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.RuleRegion;
import io.judo.vm.Verdict;
import io.judo.vm.asm.Disassembler;
import io.judo.vm.interp.ArgType;
import io.judo.vm.interp.HelperPrototype;
import io.judo.vm.interp.Helpers;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks a program once, at load, so that running it can never fail: every instruction is a table row with valid
 * fields, every jump lands inside the program, every instruction is reachable, no path falls off the end, every
 * register and memory slot is written before it is read on every path, pool indices are in range, and helper
 * arguments have their prototype's types (pool arguments must be known constants). Out-of-bounds packet loads are not
 * errors: at run time they mean "this rule does not match".
 *
 * <p>Termination. Every jump goes forward except {@code jloop}, which must go backward (its target at or before
 * itself, and not before the program: every word is one instruction, so that target is an instruction start) and
 * stay in its own rule region (or, outside every region, outside them all). Each {@code jloop} taken
 * consumes one unit of the run's fuel, and with no fuel left it fails like a load instead of jumping; between two
 * backward jumps control moves strictly forward, so it executes at most {@code length} instructions. A run therefore
 * executes at most {@code (fuel + 1) * length} instructions, whatever the program.
 *
 * <p>Data flow is a worklist fixpoint over the control-flow graph (fall-through, jumps, the failure edges of loads,
 * address tests and {@code jloop}): an instruction's state is the meet of its predecessors' states, and an instruction
 * is visited again whenever the meet of its entry state loses something. The lattice is finite (the written masks of
 * registers and memory slots and the known constants of registers) and the meet only loses information, so the
 * fixpoint is reached; a read-before-write only possible around a back edge is found when the back edge's state
 * reaches the loop head. For a program without {@code jloop} the lowest pending instruction is always visited first,
 * which visits every instruction once, in order, after all its predecessors (the one pass of earlier versions).
 */
public final class Verifier {
    private Verifier() {
    }

    /** Register/memory state on entry to an instruction. */
    private static final class State {
        int regs;
        long mem;
        int known;
        final long[] values = new long[Opcode.REGISTERS];

        State copy() {
            State s = new State();
            s.regs = regs;
            s.mem = mem;
            s.known = known;
            System.arraycopy(values, 0, s.values, 0, values.length);
            return s;
        }

        /** Meet: what holds on both paths. Returns whether this state lost anything. */
        boolean meet(State o) {
            int regsBefore = regs;
            long memBefore = mem;
            int knownBefore = known;
            regs &= o.regs;
            mem &= o.mem;
            int k = known & o.known;
            for (int r = 0; r < Opcode.REGISTERS; r++) {
                if ((k & (1 << r)) != 0 && values[r] != o.values[r]) {
                    k &= ~(1 << r);
                }
            }
            known = k;
            return regs != regsBefore || mem != memBefore || known != knownBefore;
        }

        void write(int r) {
            regs |= 1 << r;
            known &= ~(1 << r);
        }

        void constant(int r, long v) {
            regs |= 1 << r;
            known |= 1 << r;
            values[r] = v;
        }
    }

    public static VerifiedProgram verify(Program p) throws VerifyException {
        int n = p.length();
        if (n == 0) {
            throw new VerifyException(-1, "empty program", null);
        }
        if (n > Program.MAX_INSNS) {
            throw new VerifyException(-1, "program has " + n + " instructions, more than " + Program.MAX_INSNS, null);
        }
        if (!Verdict.valid(p.defaultVerdict())) {
            throw new VerifyException(-1, "bad default verdict " + p.defaultVerdict(), null);
        }
        checkRegions(p);
        for (int pc = 0; pc < n; pc++) {
            checkFields(p, pc);
        }
        flow(p);
        return new VerifiedProgram(p);
    }

    private static VerifyException reject(Program p, int pc, String reason) {
        return new VerifyException(pc, reason, pc >= 0 && pc < p.length() ? Disassembler.insn(p, pc) : null);
    }

    private static void checkRegions(Program p) throws VerifyException {
        List<RuleRegion> regions = new ArrayList<>(p.regions());
        regions.sort(Comparator.comparingInt(RuleRegion::start));
        int previousEnd = 0;
        for (RuleRegion r : regions) {
            if (r.start() < previousEnd || r.start() >= r.end() || r.end() > p.length()) {
                throw new VerifyException(Math.max(0, Math.min(r.start(), p.length() - 1)), "rule region " + r.ruleId()
                        + " [" + r.start() + ", " + r.end() + ") is empty, overlaps another or runs past the end", null);
            }
            previousEnd = r.end();
        }
    }

    private static void checkFields(Program p, int pc) throws VerifyException {
        long insn = p.insn(pc);
        Opcode op = Opcode.of(Insn.op(insn));
        if (op == null) {
            throw reject(p, pc, String.format("unknown opcode 0x%02x", Insn.op(insn)));
        }
        int dst = Insn.dst(insn);
        int src = Insn.src(insn);
        int off = Insn.off(insn);
        int imm = Insn.imm(insn);
        Format f = op.format();
        // Fields an instruction does not use must be zero, so that every program has one encoding.
        boolean usesDst = f != Format.META_STORE_REG && f != Format.META_STORE_IMM && f != Format.MEM_STORE
                && f != Format.JUMP && f != Format.JUMP_ADDR && f != Format.CALL && f != Format.RET;
        boolean usesSrc = f == Format.REG_REG || f == Format.LOAD_INDEXED || f == Format.META_STORE_REG
                || f == Format.MEM_STORE || f == Format.JUMP_REG || f == Format.JUMP_ADDR;
        boolean usesOff = f == Format.LOAD || f == Format.LOAD_INDEXED || f == Format.META_STORE_IMM
                || f == Format.MEM_LOAD || f == Format.MEM_STORE || op.branches() || f == Format.RET;
        boolean usesImm = f == Format.REG_IMM || f == Format.LOAD || f == Format.LOAD_INDEXED || f == Format.META_LOAD
                || f == Format.META_STORE_REG || f == Format.META_STORE_IMM || f == Format.JUMP_IMM
                || f == Format.JUMP_SET || f == Format.JUMP_ADDR || f == Format.CALL || f == Format.RET
                || f == Format.JUMP_LONG;
        if ((!usesDst && dst != 0) || (!usesSrc && src != 0) || (!usesOff && off != 0) || (!usesImm && imm != 0)) {
            throw reject(p, pc, "unused instruction field is not zero");
        }
        if (Opcode.isLoop(op.code())) {
            long target = pc + 1 + (long) off;
            if (off >= 0) {
                throw reject(p, pc, "jloop goes forward (offset " + off + "): jloop must jump backward");
            }
            if (target < 0) {
                throw reject(p, pc, "jump target " + target + " is before the start of the program");
            }
            RuleRegion here = p.regionAt(pc);
            RuleRegion there = p.regionAt((int) target);
            if (here != there) {
                throw reject(p, pc, "jloop target " + target + " is " + (there == null ? "outside any rule region"
                        : "in rule region " + there.ruleId()) + " but the jloop is " + (here == null
                        ? "outside any rule region" : "in rule region " + here.ruleId())
                        + ": a loop must stay in its region");
            }
        } else if (op.branches()) {
            long jump = Opcode.jumpOffset(insn);
            if (jump < 0) {
                throw reject(p, pc, "backward jump (offset " + jump + "): only jloop may jump backward");
            }
            if (pc + 1 + jump >= p.length()) {
                throw reject(p, pc, "jump target " + (pc + 1 + jump) + " is past the end of the program");
            }
        }
        switch (f) {
            case LOAD:
            case LOAD_INDEXED:
                if (Base.of(imm) == null) {
                    throw reject(p, pc, "unknown load base " + imm);
                }
                break;
            case META_LOAD:
                if (MetaField.of(imm) == null) {
                    throw reject(p, pc, "unknown metadata field " + imm);
                }
                break;
            case META_STORE_REG:
            case META_STORE_IMM: {
                MetaField field = MetaField.of(f == Format.META_STORE_REG ? imm : off);
                if (field == null) {
                    throw reject(p, pc, "unknown metadata field " + (f == Format.META_STORE_REG ? imm : off));
                }
                if (!field.writable()) {
                    throw reject(p, pc, "metadata field " + field.text() + " is read-only");
                }
                break;
            }
            case MEM_LOAD:
            case MEM_STORE:
                if (off < 0 || off >= Opcode.MEMORY_SLOTS) {
                    throw reject(p, pc, "memory slot " + off + " out of range M[0]-M[" + (Opcode.MEMORY_SLOTS - 1)
                            + "]");
                }
                break;
            case JUMP_SET:
                if (imm < 0 || imm >= p.intSets().size()) {
                    throw reject(p, pc, "int set index " + imm + " out of range (" + p.intSets().size() + " sets)");
                }
                break;
            case JUMP_ADDR:
                if (src > 1) {
                    throw reject(p, pc, "address selector " + src + " is neither src (0) nor dst (1)");
                }
                if (imm < 0 || imm >= p.cidrSets().size()) {
                    throw reject(p, pc, "cidr set index " + imm + " out of range (" + p.cidrSets().size() + " sets)");
                }
                break;
            case CALL:
                if (Helpers.byId(imm) == null) {
                    throw reject(p, pc, "unknown helper " + imm);
                }
                break;
            case RET:
                if (!Verdict.valid(off)) {
                    throw reject(p, pc, "bad verdict " + off);
                }
                break;
            case REG_IMM:
                checkImmediateAlu(p, pc, op, imm);
                break;
            default:
                break;
        }
    }

    private static void checkImmediateAlu(Program p, int pc, Opcode op, int imm) throws VerifyException {
        int aluOp = op.code() & 0x0f;
        boolean wide = op.kind() == Kind.ALU64;
        if ((aluOp == AluOp.DIV.ordinal() || aluOp == AluOp.MOD.ordinal()) && imm == 0) {
            throw reject(p, pc, "division by constant zero");
        }
        if ((aluOp == AluOp.LSH.ordinal() || aluOp == AluOp.RSH.ordinal() || aluOp == AluOp.ARSH.ordinal())
                && (imm < 0 || imm >= (wide ? 64 : 32))) {
            throw reject(p, pc, "shift by " + imm + " is out of range 0-" + (wide ? 63 : 31));
        }
    }

    private static boolean fallsThrough(Opcode op) {
        return op.kind() != Kind.EXIT && !Opcode.isGoto(op.code()) && !Opcode.isLoop(op.code());
    }

    private static void flow(Program p) throws VerifyException {
        int n = p.length();
        boolean loops = p.hasLoops();
        State[] in = new State[n];
        boolean[] reached = new boolean[n];
        boolean[] pending = new boolean[n]; // not a BitSet: its clear() rescans the words in use, quadratic here
        in[0] = new State();
        reached[0] = true;
        pending[0] = true;
        int unreachedBelow = 0; // every pc below this was reached (checked eagerly for loop-free programs)
        int from = 0; // no pc below this is pending: the search for the lowest starts here, not at 0 (linear time)
        while (true) {
            int pc = from;
            while (pc < n && !pending[pc]) {
                pc++;
            }
            if (pc == n) {
                break;
            }
            pending[pc] = false;
            from = pc;
            if (!loops) {
                // Without back edges nothing can reach below the lowest pending pc any more: report in pc order.
                for (int gap = unreachedBelow; gap < pc; gap++) {
                    if (!reached[gap]) {
                        throw reject(p, gap, "unreachable instruction");
                    }
                }
                unreachedBelow = pc;
            }
            State s = in[pc];
            long insn = p.insn(pc);
            Opcode op = Opcode.of(Insn.op(insn));
            int dst = Insn.dst(insn);
            int src = Insn.src(insn);
            int imm = Insn.imm(insn);
            // A load inside a rule region may fail and continue at the region's end with the state before it; so may
            // a jloop that finds no fuel left.
            if (op.kind() == Kind.LOAD || op.kind() == Kind.JUMP_ADDR || Opcode.isLoop(op.code())) {
                if (op.format() == Format.LOAD_INDEXED) {
                    read(p, pc, s, src);
                }
                int fail = p.failTarget(pc);
                if (fail >= 0 && propagate(in, reached, pending, fail, s, false)) {
                    from = Math.min(from, fail);
                }
            }
            // Without loops an instruction is visited once, after all its predecessors, and its entry state is not
            // needed again: the exit state is built in place (each case reads before it writes). With loops the entry
            // state stays, to meet later paths into it.
            State out = loops ? s.copy() : s;
            switch (op.format()) {
                case REG_IMM:
                    if ((op.code() & 0x0f) == AluOp.MOV.ordinal()) {
                        out.constant(dst, op.kind() == Kind.ALU64 ? (long) imm : Integer.toUnsignedLong(imm));
                    } else {
                        read(p, pc, s, dst);
                        out.write(dst);
                    }
                    break;
                case REG_REG:
                    if ((op.code() & 0x0f) != AluOp.MOV.ordinal()) {
                        read(p, pc, s, dst);
                    }
                    read(p, pc, s, src);
                    out.write(dst);
                    break;
                case REG:
                    read(p, pc, s, dst);
                    out.write(dst);
                    break;
                case LOAD:
                case LOAD_INDEXED:
                case META_LOAD:
                    out.write(dst);
                    break;
                case META_STORE_REG:
                    read(p, pc, s, src);
                    break;
                case MEM_LOAD: {
                    int slot = Insn.off(insn);
                    if ((s.mem & (1L << slot)) == 0) {
                        throw reject(p, pc, "M[" + slot + "] read before written");
                    }
                    out.write(dst);
                    break;
                }
                case MEM_STORE:
                    read(p, pc, s, src);
                    out.mem |= 1L << Insn.off(insn);
                    break;
                case JUMP_IMM:
                case JUMP_SET:
                    read(p, pc, s, dst);
                    break;
                case JUMP_REG:
                    read(p, pc, s, dst);
                    read(p, pc, s, src);
                    break;
                case CALL:
                    checkCall(p, pc, s, Helpers.byId(imm));
                    out.regs &= ~0b111110;
                    out.known &= ~0b111110;
                    out.write(0);
                    break;
                case RET_REG:
                    read(p, pc, s, dst);
                    break;
                default:
                    break;
            }
            int target = pc + 1 + Opcode.jumpOffset(insn);
            boolean falls = fallsThrough(op);
            // the last successor takes the exit state itself where it has none yet; an earlier one gets a copy
            if (op.branches() && propagate(in, reached, pending, target, out, !falls)) {
                from = Math.min(from, target); // a jloop's target lies below
            }
            if (falls) {
                if (pc + 1 >= n) {
                    throw reject(p, pc, "execution falls off the end of the program (the last instruction must be "
                            + "ret, retr, ja or jloop)");
                }
                propagate(in, reached, pending, pc + 1, out, true);
            }
            if (!loops) {
                in[pc] = null; // visited once, after every predecessor: no longer needed
            }
        }
        // without loops every pc below the last one visited was checked on the way
        for (int gap = loops ? 0 : unreachedBelow; gap < n; gap++) {
            if (!reached[gap]) {
                throw reject(p, gap, "unreachable instruction");
            }
        }
    }

    /**
     * Meets {@code s} into {@code target}'s entry state; true when the target is (again) pending.
     *
     * @param give whether the caller is done with {@code s}, so that a target without a state can keep it uncopied
     */
    private static boolean propagate(State[] in, boolean[] reached, boolean[] pending, int target, State s,
            boolean give) {
        if (in[target] == null) {
            in[target] = give ? s : s.copy();
            reached[target] = true;
            pending[target] = true;
            return true;
        }
        if (in[target].meet(s)) {
            pending[target] = true;
            return true;
        }
        return false;
    }

    private static void read(Program p, int pc, State s, int r) throws VerifyException {
        if ((s.regs & (1 << r)) == 0) {
            throw reject(p, pc, "r" + r + " read before written");
        }
    }

    private static void checkCall(Program p, int pc, State s, HelperPrototype h) throws VerifyException {
        List<ArgType> args = h.args();
        for (int i = 0; i < args.size(); i++) {
            int r = i + 1;
            if ((s.regs & (1 << r)) == 0) {
                throw reject(p, pc, h.name() + " argument r" + r + " read before written");
            }
            ArgType t = args.get(i);
            if (t == ArgType.SCALAR) {
                continue;
            }
            if ((s.known & (1 << r)) == 0) {
                throw reject(p, pc, h.name() + " argument r" + r + " must be a constant " + t.name().toLowerCase()
                        + " index");
            }
            long v = s.values[r];
            int limit = t == ArgType.PATTERN_DB ? p.patternDbs().size() : t == ArgType.PATTERN ? p.patternCount()
                    : p.strings().size();
            if (v < 0 || v >= limit) {
                throw reject(p, pc, h.name() + " argument r" + r + " = " + v + " is not a valid "
                        + t.name().toLowerCase() + " index (" + limit + " defined)");
            }
        }
    }
}
