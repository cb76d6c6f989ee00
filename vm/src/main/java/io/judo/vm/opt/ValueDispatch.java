package io.judo.vm.opt;

import io.judo.vm.Insn;
import io.judo.vm.JumpOp;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.interp.Interpreter;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * Specializes the rest of a program on the value of one register: where a register is loaded for the last time and
 * then compared for equality with many constants (a rule list testing the destination port rule after rule), the
 * loaded value picks, through a chain of {@code jeq}, a copy of the rest in which every test of that register is
 * decided — a rule for another port is gone, a port range is either gone or no longer tested — and one more copy for
 * the values no test names, in which the equality tests are decided false. This is the partitioning a hand-written
 * rule compiler does by port (and pf's skip steps do one rule at a time), derived from the program: the optimizer's
 * other passes then thread what the copies make known.
 *
 * <p>It applies only to programs without rule regions (run whole, no region-end fail targets to copy), when the
 * register is written nowhere after the load (calls clobber r0-r5), at least {@link #MIN_TESTS} tests name 2 to
 * {@link #MAX_VALUES} values, and the copies, pruned as they are built, stay within {@link #growthLimit}. Jumps from
 * before the load into the rest go to one more copy left as it was.
 */
final class ValueDispatch {
    static final int MIN_TESTS = 8;
    static final int MAX_VALUES = 64;
    private static final int JEQ64 = Opcode.JMP64_IMM + JumpOp.JEQ.ordinal();
    private static final int JNE64 = Opcode.JMP64_IMM + JumpOp.JNE.ordinal();

    private ValueDispatch() {
    }

    /**
     * The most instructions the copies may have before the other passes prune them: sixteen times the program, at
     * least 20,000, at most 2,000,000 (a 10,000-rule list: 1.3 M, pruned to ~115,000).
     */
    static int growthLimit(int n) {
        return Math.min(2_000_000, Math.max(20_000, 16 * n));
    }

    /** {@code p} specialized, or {@code p} itself when no register qualifies or the copies would be too large. */
    static Program apply(Program p) {
        if (!p.regions().isEmpty() || p.length() < MIN_TESTS) {
            return p;
        }
        int n = p.length();
        int bestAt = -1;
        int bestScore = 0;
        TreeSet<Long> bestValues = null;
        int[] lastWriteOf = new int[Opcode.REGISTERS];
        java.util.Arrays.fill(lastWriteOf, -1);
        for (int pc = 0; pc < n; pc++) {
            long w = p.insn(pc);
            int written = Opcode.registersWritten(Insn.op(w), Insn.dst(w));
            for (int r = 0; r < Opcode.REGISTERS; r++) {
                if ((written & 1 << r) != 0) {
                    lastWriteOf[r] = pc;
                }
            }
        }
        for (int r = 0; r < Opcode.REGISTERS; r++) {
            int at = lastWriteOf[r];
            if (at < 0 || Insn.op(p.insn(at)) == Opcode.CALL) {
                continue;
            }
            TreeSet<Long> values = new TreeSet<>();
            int tests = 0;
            for (int pc = at + 1; pc < n; pc++) {
                long w = p.insn(pc);
                if ((Insn.op(w) == JEQ64 || Insn.op(w) == JNE64) && Insn.dst(w) == r) {
                    tests++;
                    values.add((long) Insn.imm(w));
                }
            }
            // a copy drops the tests of the other values: with k values about tests * (k - 1) / k of them
            int score = tests - tests / Math.max(1, values.size());
            if (tests >= MIN_TESTS && values.size() >= 2 && values.size() <= MAX_VALUES && score > bestScore) {
                bestAt = at;
                bestScore = score;
                bestValues = values;
            }
        }
        if (bestAt < 0) {
            return p;
        }
        return new Builder(p, bestAt, Insn.dst(p.insn(bestAt)), bestValues).build();
    }

    /** Lays out: the prefix, a jump over the unchanged copy, that copy, the dispatch chain, the copies. */
    private static final class Builder {
        private final Program p;
        private final int at;
        private final int reg;
        private final List<Long> values;
        /** Instructions with absolute targets (index into this list), -1 when not a jump. */
        private final List<long[]> out = new ArrayList<>();

        Builder(Program p, int at, int reg, TreeSet<Long> values) {
            this.p = p;
            this.at = at;
            this.reg = reg;
            this.values = new ArrayList<>(values);
        }

        Program build() {
            int n = p.length();
            // 1. which instructions after the load the prefix jumps to: the unchanged copy's entries
            boolean[] fromPrefix = new boolean[n];
            boolean any = false;
            for (int pc = 0; pc <= at; pc++) {
                int t = Opcode.jumpTarget(p.insn(pc), pc);
                if (t > at && t < n) {
                    fromPrefix[t] = true;
                    any = true;
                }
            }
            // 2. the copies, each pruned to what its known value reaches
            Copy unchanged = any ? new Copy(null, false, fromPrefix) : null;
            Copy other = new Copy(null, true, entry());
            List<Copy> copies = new ArrayList<>();
            int size = at + 2 + (unchanged == null ? 0 : unchanged.size()) + 2 * values.size() + other.size();
            for (long v : values) {
                Copy c = new Copy(v, false, entry());
                copies.add(c);
                size += c.size();
                if (size > growthLimit(n)) {
                    return p;
                }
            }
            // 3. lay out; targets are resolved once every position is known
            int[] prefixMap = new int[at + 1];
            for (int pc = 0; pc <= at; pc++) {
                prefixMap[pc] = out.size();
                out.add(null); // filled below
            }
            int skip = out.size();
            out.add(null);
            if (unchanged != null) {
                unchanged.place();
            }
            int dispatch = out.size();
            for (int i = 0; i < values.size(); i++) {
                out.add(null); // jne reg, v, next
                out.add(null); // ja copy
            }
            other.place();
            for (Copy c : copies) {
                c.place();
            }
            for (int pc = 0; pc <= at; pc++) {
                long w = p.insn(pc);
                int t = Opcode.jumpTarget(w, pc);
                out.set(prefixMap[pc], new long[] {w, t < 0 ? -1 : t <= at ? prefixMap[t] : unchanged.map[t]});
            }
            out.set(skip, new long[] {Insn.encode(Opcode.JA, 0, 0, 0, 0), dispatch});
            for (int i = 0; i < values.size(); i++) {
                int here = dispatch + 2 * i;
                long v = values.get(i);
                out.set(here, new long[] {Insn.encode(JNE64, reg, 0, 0, (int) v), here + 2});
                out.set(here + 1, new long[] {Insn.encode(Opcode.JA, 0, 0, 0, 0), copies.get(i).map[at + 1]});
            }
            return encode();
        }

        private boolean[] entry() {
            boolean[] e = new boolean[p.length()];
            e[at + 1] = true;
            return e;
        }

        private Program encode() {
            long[] code = new long[out.size()];
            for (int i = 0; i < code.length; i++) {
                long w = out.get(i)[0];
                int target = (int) out.get(i)[1];
                if (target < 0) {
                    code[i] = w;
                    continue;
                }
                int o = target - (i + 1);
                int op = Insn.op(w);
                if (Opcode.isGoto(op)) {
                    code[i] = o > Short.MAX_VALUE ? Insn.encode(Opcode.JAL, 0, 0, 0, o) : Insn.encode(Opcode.JA, 0, 0, o, 0);
                } else if (o > Short.MAX_VALUE) {
                    return p; // a test would have to reach further than 16 bits: leave the program as it was
                } else {
                    code[i] = Insn.encode(op, Insn.dst(w), Insn.src(w), o, Insn.imm(w));
                }
            }
            return new Program(code, p.regions(), p.defaultVerdict(), p.strings(), p.intSets(), p.cidrSets(),
                    p.patternDbs());
        }

        /**
         * The instructions after the load that control reaches from {@code entries}, with the register's tests
         * decided by what is known: its value ({@code value}), or that it is none of the tested values
         * ({@code none}), or nothing.
         */
        private final class Copy {
            private final Long value;
            private final boolean none;
            /** Per original instruction: 0 unreachable, 1 kept, 2 decided taken (becomes ja), 3 decided not taken. */
            private final byte[] kind;
            /** Position in the output of each original instruction (a dropped one: the next kept one's). */
            final int[] map;

            Copy(Long value, boolean none, boolean[] entries) {
                this.value = value;
                this.none = none;
                int n = p.length();
                kind = new byte[n];
                map = new int[n + 1];
                boolean[] reach = entries.clone();
                for (int pc = at + 1; pc < n; pc++) {
                    if (!reach[pc]) {
                        continue;
                    }
                    long w = p.insn(pc);
                    int op = Insn.op(w);
                    int decided = decide(w);
                    int t = Opcode.jumpTarget(w, pc);
                    if (decided == 1) {
                        kind[pc] = 2;
                        reach[t] = true;
                    } else if (decided == 0) {
                        kind[pc] = 3;
                        reach[pc + 1] = true;
                    } else {
                        kind[pc] = 1;
                        if (t >= 0) {
                            reach[t] = true;
                        }
                        if (!Opcode.isGoto(op) && op != Opcode.RET && op != Opcode.RETR && pc + 1 < n) {
                            reach[pc + 1] = true;
                        }
                    }
                }
            }

            /** 1 when the test is known to jump, 0 known not to, -1 unknown or not a test of the register. */
            private int decide(long w) {
                int op = Insn.op(w);
                if (Insn.dst(w) != reg) {
                    return -1;
                }
                int group = op & 0xf0;
                int jump = op & 0xf;
                if (value != null) {
                    if (group == Opcode.JMP64_IMM) {
                        return Interpreter.jump64(jump, value, Insn.imm(w)) ? 1 : 0;
                    }
                    if (group == Opcode.JMP32_IMM) {
                        return Interpreter.jump32(jump, (int) (long) value, Insn.imm(w)) ? 1 : 0;
                    }
                    if (op == Opcode.JIN) {
                        return p.intSets().values().get(Insn.imm(w)).contains(value) ? 1 : 0;
                    }
                    return -1;
                }
                if (none && (op == JEQ64 || op == JNE64) && values.contains((long) Insn.imm(w))) {
                    return op == JNE64 ? 1 : 0;
                }
                return -1;
            }

            int size() {
                int s = 0;
                for (byte k : kind) {
                    s += k == 1 || k == 2 ? 1 : 0;
                }
                return s;
            }

            /** Appends the kept instructions to the output and fixes {@link #map}; targets are mapped after. */
            void place() {
                int n = p.length();
                int first = out.size();
                List<Integer> kept = new ArrayList<>();
                for (int pc = at + 1; pc < n; pc++) {
                    if (kind[pc] == 1 || kind[pc] == 2) {
                        kept.add(pc);
                    }
                }
                map[n] = first + kept.size();
                int next = kept.size();
                for (int pc = n - 1; pc > at; pc--) {
                    if (kind[pc] == 1 || kind[pc] == 2) {
                        next--;
                    }
                    map[pc] = first + next;
                }
                for (int pc : kept) {
                    long w = p.insn(pc);
                    int t = Opcode.jumpTarget(w, pc);
                    if (kind[pc] == 2) {
                        out.add(new long[] {Insn.encode(Opcode.JA, 0, 0, 0, 0), -2 - t});
                    } else {
                        out.add(new long[] {w, t < 0 ? -1 : -2 - t});
                    }
                }
                for (int i = first; i < first + kept.size(); i++) { // original targets to output positions
                    long[] e = out.get(i);
                    if (e[1] <= -2) {
                        e[1] = map[(int) (-2 - e[1])];
                    }
                }
            }
        }
    }
}
