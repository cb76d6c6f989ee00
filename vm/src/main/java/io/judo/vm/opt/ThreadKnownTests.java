package io.judo.vm.opt;

import io.judo.vm.JumpOp;
import io.judo.vm.Opcode;
import io.judo.vm.RuleRegion;
import io.judo.vm.interp.Interpreter;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * Jump threading on known values — pf's skip steps done generally, and the heart of libpcap's optimizer: a jump
 * whose target re-loads header fields and re-tests them, where every test's outcome is already known on the path
 * the jump comes from, goes straight to the first test that is not decided. {@code tcp dst port 22 or 25} re-checks
 * "IPv4? TCP? not a fragment?" before the second port; after this pass the second port test follows the first.
 *
 * <p>How: a forward pass over the program (a DAG: jumps only go forward) gives each instruction what is known on
 * every path to it — each register's value as a symbolic expression (a header load, an operation on such values, a
 * constant), the loads known to have succeeded, and facts from the tests passed (a value equals or differs from a
 * constant, has a mask's bits clear or not). Then from each jump's target the code is simulated with the jump's
 * facts: pure instructions whose loads already succeeded on the path are followed, decided tests are followed, and
 * the jump is re-targeted to where simulation stops — provided every register still read there holds the same value
 * either way (liveness). Nothing crosses a rule region's boundary: a rule engine runs regions one at a time, and a
 * region run stops only at its own end.
 */
final class ThreadKnownTests implements Pass {
    /** Bigger programs (the rule engines' region programs) are left to the cheaper passes. */
    static final int MAX_PROGRAM = 100_000;
    /** Instructions simulated per jump. */
    private static final int MAX_STEPS = 256;
    private static final int JEQ = JumpOp.JEQ.ordinal();
    private static final int JNE = JumpOp.JNE.ordinal();
    private static final int JSET = JumpOp.JSET.ordinal();

    /** A value computed by the program. */
    private sealed interface Sym permits Load, Meta, Op, Const, Fresh, InSet, AddressIn {
    }

    /** Whether a value is in integer set {@code set} ({@code jin}): known 1 or 0 once a test of it is passed. */
    private record InSet(Sym value, int set) implements Sym {
    }

    /**
     * Whether the packet's source (0) or destination (1) address is in address set {@code set} ({@code jaddr}); a
     * helper call forgets it with every other fact.
     */
    private record AddressIn(int which, int set) implements Sym {
    }

    /** A packet metadata field no instruction can store (protocol, ports, lengths...): fixed for the run. */
    private record Meta(int field) implements Sym {
    }

    /** A header load: size, base, index register's value (or null), offset. */
    private record Load(int size, int base, Sym index, int off) implements Sym {
    }

    /** An ALU or unary operation: opcode, operands (b null for an immediate or unary form), immediate. */
    private record Op(int op, Sym a, Sym b, int imm) implements Sym {
    }

    private record Const(long value) implements Sym {
    }

    /**
     * A value this pass does not model, defined at {@code pc} (each instruction runs at most once per run); negative
     * numbers name the values registers held across a helper call.
     */
    private record Fresh(int pc) implements Sym {
    }

    /** What is known at one point. Registers: null for unknown. */
    private static final class State {
        final Sym[] reg = new Sym[16];
        final Map<Sym, Long> eq = new HashMap<>();
        final Map<Sym, Set<Long>> ne = new HashMap<>();
        final Map<Sym, Set<Long>> zero = new HashMap<>();
        final Map<Sym, Set<Long>> nonZero = new HashMap<>();
        final Set<Sym> loaded = new HashSet<>();

        State copy() {
            State s = new State();
            System.arraycopy(reg, 0, s.reg, 0, 16);
            s.eq.putAll(eq);
            copySets(ne, s.ne);
            copySets(zero, s.zero);
            copySets(nonZero, s.nonZero);
            s.loaded.addAll(loaded);
            return s;
        }

        private static void copySets(Map<Sym, Set<Long>> from, Map<Sym, Set<Long>> to) {
            from.forEach((k, v) -> to.put(k, new HashSet<>(v)));
        }

        /** What holds on both paths. */
        void meet(State o) {
            for (int r = 0; r < 16; r++) {
                if (reg[r] != null && !reg[r].equals(o.reg[r])) {
                    reg[r] = null;
                }
            }
            eq.entrySet().removeIf(e -> !e.getValue().equals(o.eq.get(e.getKey())));
            meetSets(ne, o.ne);
            meetSets(zero, o.zero);
            meetSets(nonZero, o.nonZero);
            loaded.retainAll(o.loaded);
        }

        private static void meetSets(Map<Sym, Set<Long>> a, Map<Sym, Set<Long>> b) {
            a.entrySet().removeIf(e -> {
                Set<Long> other = b.get(e.getKey());
                if (other == null) {
                    return true;
                }
                e.getValue().retainAll(other);
                return e.getValue().isEmpty();
            });
        }

        static void add(Map<Sym, Set<Long>> facts, Sym s, long v) {
            facts.computeIfAbsent(s, k -> new HashSet<>()).add(v);
        }
    }

    @Override
    public String name() {
        return "thread-known-tests";
    }

    private final boolean wholeRuns;

    /**
     * @param wholeRuns the program is only ever run whole (the judo policy engine), never a region at a time (the
     *                  Suricata engine): jumps may then be threaded across rule regions, as pf's skip steps skip rules
     */
    ThreadKnownTests(boolean wholeRuns) {
        this.wholeRuns = wholeRuns;
    }

    @Override
    public boolean apply(Code c) {
        int n = c.n;
        if (n > MAX_PROGRAM || n == 0) {
            return false;
        }
        // region runs: simulation never crosses a region boundary; whole runs: one segment
        int[] segment = wholeRuns ? new int[n + 1] : MergeTails.segments(c);
        int[] regionEnd = Liveness.regionEnds(c);
        int[] liveIn = Liveness.liveIn(c, regionEnd);
        State[] in = new State[n + 1];
        State[] atJump = new State[n];
        in[0] = new State();
        Set<Integer> regionStarts = new HashSet<>();
        for (RuleRegion r : c.source.regions()) {
            regionStarts.add(r.start());
        }
        for (int pc = 0; pc < n; pc++) {
            if (!wholeRuns && regionStarts.contains(pc)) {
                in[pc] = new State(); // a region run enters here knowing nothing
            }
            State s = in[pc];
            if (s == null) {
                continue; // not reached
            }
            int op = c.op[pc];
            if (Code.branches(op)) {
                if (Liveness.mayFail(op) && regionEnd[pc] >= 0) {
                    merge(in, regionEnd[pc], s.copy()); // a failed address lookup goes on at the region's end
                }
                atJump[pc] = s;
                if (Opcode.isGoto(op)) {
                    merge(in, c.target[pc], s.copy());
                } else {
                    State taken = s.copy();
                    fact(c, pc, taken, true);
                    merge(in, c.target[pc], taken);
                    State fall = s.copy();
                    fact(c, pc, fall, false);
                    merge(in, pc + 1, fall);
                }
            } else if (!Code.exits(op)) {
                if (Liveness.mayFail(op) && regionEnd[pc] >= 0) {
                    merge(in, regionEnd[pc], s.copy()); // a failed load goes on at its region's end
                }
                State next = s.copy();
                step(c, pc, next);
                merge(in, pc + 1, next);
            }
        }
        // candidates first: each is checked against what its landing knows, for the registers some decision relies
        // on there — read further on, over the old edges or any candidate's (which may skip a store)
        int[] landingOf = new int[n];
        State[] after = new State[n];
        java.util.Arrays.fill(landingOf, -1);
        for (int pc = 0; pc < n; pc++) {
            State s = atJump[pc];
            if (s == null) {
                continue;
            }
            State edge = s.copy();
            if (!Opcode.isGoto(c.op[pc])) {
                fact(c, pc, edge, true);
            }
            int t = c.target[pc];
            if (segment[t] != segment[pc]) {
                continue; // a jump out of its region (to the region's end) stays as it is
            }
            int landing = simulate(c, t, edge, segment);
            if (landing == t || landing >= n) {
                continue;
            }
            if (!Opcode.isGoto(c.op[pc]) && landing - pc - 1 > Short.MAX_VALUE) {
                continue;
            }
            if (sameLive(liveIn[landing], edge, s)) {
                landingOf[pc] = landing;
                after[pc] = edge;
            }
        }
        int[] relied = Liveness.liveIn(c, regionEnd, landingOf);
        boolean changed = false;
        for (int pc = 0; pc < n; pc++) {
            int landing = landingOf[pc];
            if (landing >= 0 && implies(atJump[pc], after[pc], in[landing], relied[landing])) {
                c.target[pc] = landing;
                changed = true;
            }
        }
        return changed;
    }

    /**
     * Whether a new edge into {@code landing} keeps everything the analysis knew there: every jump of this pass is
     * re-targeted from the same analysis, so a decision further on may rest on a fact at {@code landing} that holds on
     * every old path. The registers on the new edge are those at the jump ({@code before}: the skipped code does not
     * run), checked where a decision relies on them ({@code relied}: read further on along the old edges or any new
     * one, since another jump of this pass may skip the store that made a register dead); the facts are those the
     * simulation derived ({@code after}). Without this, skipping a store that is dead at the landing and, further on,
     * skipping a second store because the first one's value was known there, made a dispatched rule list return the
     * wrong verdict.
     */
    private static boolean implies(State before, State after, State at, int relied) {
        if (at == null) {
            return true; // the landing was unreachable: it has no facts to keep
        }
        for (int r = 0; r < 16; r++) {
            if ((relied & 1 << r) != 0 && at.reg[r] != null && !at.reg[r].equals(before.reg[r])) {
                return false;
            }
        }
        for (Map.Entry<Sym, Long> e : at.eq.entrySet()) {
            if (!e.getValue().equals(after.eq.get(e.getKey()))) {
                return false;
            }
        }
        for (Map.Entry<Sym, Set<Long>> e : at.ne.entrySet()) {
            Long known = after.eq.get(e.getKey());
            Set<Long> ne = after.ne.getOrDefault(e.getKey(), Set.of());
            for (long v : e.getValue()) {
                if (!ne.contains(v) && (known == null || known == v)) {
                    return false;
                }
            }
        }
        return subsets(at.zero, after.zero) && subsets(at.nonZero, after.nonZero)
                && after.loaded.containsAll(at.loaded);
    }

    private static boolean subsets(Map<Sym, Set<Long>> at, Map<Sym, Set<Long>> after) {
        for (Map.Entry<Sym, Set<Long>> e : at.entrySet()) {
            if (!after.getOrDefault(e.getKey(), Set.of()).containsAll(e.getValue())) {
                return false;
            }
        }
        return true;
    }

    /** Registers read at {@code landing} hold the same values whether the skipped code ran ({@code after}) or not. */
    private static boolean sameLive(int live, State after, State before) {
        for (int r = 0; r < 16; r++) {
            if ((live & 1 << r) != 0 && !java.util.Objects.equals(after.reg[r], before.reg[r])) {
                return false;
            }
        }
        return true;
    }

    private static void merge(State[] in, int at, State s) {
        if (in[at] == null) {
            in[at] = s;
        } else {
            in[at].meet(s);
        }
    }

    /**
     * Follows the code from {@code pc} with what {@code s} knows (changing it), as far as it is pure and decided and
     * stays in the segment it starts in; returns where it stops.
     */
    private static int simulate(Code c, int pc, State s, int[] segment) {
        int seg = segment[pc];
        for (int steps = 0; steps < MAX_STEPS && pc < c.n; steps++) {
            int op = c.op[pc];
            int next;
            if (Code.branches(op)) {
                if (Opcode.isGoto(op)) {
                    next = c.target[pc];
                } else {
                    int d = decide(c, pc, s);
                    if (d < 0) {
                        return pc;
                    }
                    next = d == 1 ? c.target[pc] : pc + 1;
                    if (segment[next] == seg) {
                        fact(c, pc, s, d == 1);
                    }
                }
            } else {
                if (!pure(c, pc, s)) {
                    return pc;
                }
                next = pc + 1;
                if (segment[next] == seg) {
                    step(c, pc, s);
                }
            }
            if (segment[next] != seg) {
                // never into another rule region (a region run stops only at its own end), but the end itself is
                // where the decided path goes: land there
                return next < c.n && segment[next] == seg + 1 && isBoundary(segment, next) ? next : pc;
            }
            pc = next;
        }
        return pc;
    }

    /** An instruction the simulation may step over: ALU, unary, or a load that already succeeded on this path. */
    private static boolean pure(Code c, int pc, State s) {
        int op = c.op[pc];
        if (op >= Opcode.ALU64_IMM && op < Opcode.JA) {
            return true;
        }
        if ((op & 0xf8) == Opcode.LD) {
            Sym load = load(c, pc, s);
            return load != null && s.loaded.contains(load);
        }
        return op == Opcode.LDM && fixedMeta(c.imm[pc]);
    }

    private static Sym load(Code c, int pc, State s) {
        int op = c.op[pc];
        boolean indexed = op >= Opcode.LDX;
        Sym index = indexed ? s.reg[c.src[pc]] : null;
        if (indexed && index == null) {
            return null;
        }
        return new Load(1 << (op & 3), c.imm[pc], index, c.off[pc]);
    }

    /** The effect of a non-jump instruction on what is known. */
    private static void step(Code c, int pc, State s) {
        int op = c.op[pc];
        int d = c.dst[pc];
        int group = op & 0xf0;
        if (group == Opcode.ALU64_IMM || group == Opcode.ALU32_IMM) {
            boolean wide = group == Opcode.ALU64_IMM;
            if ((op & 0xf) == io.judo.vm.AluOp.MOV.ordinal()) {
                s.reg[d] = new Const(wide ? c.imm[pc] : c.imm[pc] & 0xffffffffL);
            } else {
                s.reg[d] = operation(op, s.reg[d], null, c.imm[pc], pc);
            }
        } else if (group == Opcode.ALU64_REG || group == Opcode.ALU32_REG) {
            if ((op & 0xf) == io.judo.vm.AluOp.MOV.ordinal() && group == Opcode.ALU64_REG) {
                s.reg[d] = s.reg[c.src[pc]];
            } else {
                Sym b = s.reg[c.src[pc]];
                s.reg[d] = b == null ? new Fresh(pc) : operation(op, s.reg[d], b, 0, pc);
            }
        } else if (op >= 0x50 && op < Opcode.JA) {
            s.reg[d] = operation(op, s.reg[d], null, 0, pc);
        } else if ((op & 0xf8) == Opcode.LD) {
            Sym l = load(c, pc, s);
            if (l == null) {
                s.reg[d] = new Fresh(pc);
            } else {
                s.reg[d] = l;
                s.loaded.add(l); // execution only goes on past a load that succeeded
            }
        } else if (op == Opcode.LDM && fixedMeta(c.imm[pc])) {
            s.reg[d] = new Meta(c.imm[pc]);
        } else if (op == Opcode.LDM || op == Opcode.LDMEM) {
            s.reg[d] = new Fresh(pc);
        } else if (op == Opcode.CALL) {
            // a helper may rewrite the packet (replace): no load is known any more, and values loaded before are
            // not the same as loading again; r0 is the result, r1-r5 are not promised to survive
            s.eq.clear();
            s.ne.clear();
            s.zero.clear();
            s.nonZero.clear();
            s.loaded.clear();
            for (int r = 0; r < 16; r++) {
                if (r <= 5 || s.reg[r] != null) {
                    s.reg[r] = new Fresh(-(pc * 16 + r) - 1);
                }
            }
        }
    }

    /** A metadata field programs cannot store and that fits 32 bits (all but the stream offset). */
    private static boolean fixedMeta(int code) {
        io.judo.vm.MetaField f = io.judo.vm.MetaField.of(code);
        return f != null && !f.writable() && f.fixedForRun();
    }

    /** An operation's value: computed when its operands are constants, symbolic otherwise. */
    private static Sym operation(int op, Sym a, Sym b, int imm, int pc) {
        if (a == null) {
            return new Fresh(pc);
        }
        return new Op(op, a, b, imm);
    }

    /** Whether a value is below 2^32 (a load of 1 to 4 bytes, a 32-bit operation, a small constant). */
    private static boolean narrow(Sym s) {
        if (s instanceof Load l) {
            return l.size() <= 4;
        }
        if (s instanceof Meta) {
            return true;
        }
        if (s instanceof Op o) {
            int group = o.op() & 0xf0;
            return group == Opcode.ALU32_IMM || group == Opcode.ALU32_REG;
        }
        return s instanceof Const k && k.value() >= 0 && k.value() <= 0xffffffffL;
    }

    /** The constant of a test against an immediate, as compared with a narrow value. */
    private static long constant(Code c, int pc) {
        int group = c.op[pc] & 0xf0;
        return group == Opcode.JMP32_IMM ? c.imm[pc] & 0xffffffffL : c.imm[pc];
    }

    private static boolean immTest(int op) {
        int group = op & 0xf0;
        return group == Opcode.JMP64_IMM || group == Opcode.JMP32_IMM;
    }

    /** The outcome of the test at {@code pc} given {@code s}: 1 taken, 0 not, -1 unknown. */
    private static int decide(Code c, int pc, State s) {
        int op = c.op[pc];
        if (op == Opcode.JADDR) {
            Long in = s.eq.get(new AddressIn(c.src[pc], c.imm[pc]));
            return in == null ? -1 : (int) (long) in;
        }
        Sym v = s.reg[c.dst[pc]];
        if (v == null) {
            return -1;
        }
        if (op == Opcode.JIN) {
            Long known = known(v, s);
            if (known == null) {
                Long in = s.eq.get(new InSet(v, c.imm[pc]));
                return in == null ? -1 : (int) (long) in;
            }
            return c.source.intSets().values().size() > c.imm[pc]
                    && c.source.intSets().values().get(c.imm[pc]).contains(known) ? 1 : 0;
        }
        if (!immTest(op)) {
            return -1;
        }
        Long known = known(v, s);
        if (known != null) {
            boolean taken = (op & 0xf0) == Opcode.JMP64_IMM ? Interpreter.jump64(op & 0xf, known, c.imm[pc])
                    : Interpreter.jump32(op & 0xf, (int) (long) known, c.imm[pc]);
            return taken ? 1 : 0;
        }
        if (!narrow(v)) {
            return -1;
        }
        long k = constant(c, pc);
        int cond = op & 0xf;
        if (cond == JEQ || cond == JNE) {
            Set<Long> ne = s.ne.get(v);
            if (ne != null && ne.contains(k)) {
                return cond == JEQ ? 0 : 1;
            }
        } else if (cond == JSET) {
            Set<Long> zero = s.zero.get(v);
            if (zero != null && zero.contains(k)) {
                return 0;
            }
            Set<Long> nonZero = s.nonZero.get(v);
            if (nonZero != null && nonZero.contains(k)) {
                return 1;
            }
        }
        return -1;
    }

    private static Long known(Sym v, State s) {
        if (v instanceof Const k) {
            return k.value();
        }
        return s.eq.get(v);
    }

    /** Records what the test at {@code pc} taking ({@code taken}) or not tells about its register's value. */
    private static void fact(Code c, int pc, State s, boolean taken) {
        int op = c.op[pc];
        if (op == Opcode.JADDR) { // the address was there (a missing one takes the failure edge, without facts)
            s.eq.put(new AddressIn(c.src[pc], c.imm[pc]), taken ? 1L : 0L);
            return;
        }
        Sym v = s.reg[c.dst[pc]];
        if (op == Opcode.JIN) {
            if (v != null) {
                s.eq.put(new InSet(v, c.imm[pc]), taken ? 1L : 0L);
            }
            return;
        }
        if (v == null || !immTest(op) || !narrow(v)) {
            return;
        }
        long k = constant(c, pc);
        int cond = op & 0xf;
        if (cond == JEQ || cond == JNE) {
            boolean equal = (cond == JEQ) == taken;
            if (equal) {
                s.eq.put(v, k);
            } else {
                State.add(s.ne, v, k);
            }
        } else if (cond == JSET) {
            State.add(taken ? s.nonZero : s.zero, v, k);
        }
    }

    /** Whether a segment begins exactly at {@code pc} (the first instruction after a region boundary). */
    private static boolean isBoundary(int[] segment, int pc) {
        return pc == 0 || segment[pc - 1] != segment[pc];
    }





}
