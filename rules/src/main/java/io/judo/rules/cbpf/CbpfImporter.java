package io.judo.rules.cbpf;

import io.judo.rules.SyntaxError;
import io.judo.vm.AluOp;
import io.judo.vm.Base;
import io.judo.vm.JumpOp;
import io.judo.vm.MetaField;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.Verdict;
import io.judo.vm.asm.Label;
import io.judo.vm.asm.ProgramBuilder;
import java.util.ArrayList;
import java.util.List;

/**
 * Translates classic BPF, in the decimal form {@code tcpdump -ddd} prints (a count line, then one
 * {@code code jt jf k} line per instruction), into a Judo program: A is r1, X is r2, the scratch memory M[] is the
 * VM's memory, arithmetic and comparisons are 32-bit unsigned. A non-zero return value selects the packet
 * ({@code pass}), zero rejects it ({@code drop}); an out-of-bounds load or a division by zero rejects it, as
 * libpcap's {@code bpf_filter} does. Classic jumps are forward-only, so the translation stays forward-only.
 */
public final class CbpfImporter {
    private static final int A = 1;
    private static final int X = 2;
    private static final int T = 3;

    /** One classic instruction. */
    public record Insn(int code, int jt, int jf, long k) {
    }

    private CbpfImporter() {
    }

    /** Parses {@code tcpdump -ddd} output. */
    public static List<Insn> parse(String text) {
        String[] lines = text.strip().split("\\R");
        if (lines.length == 0 || lines[0].isBlank()) {
            throw new SyntaxError(text, 1, "empty classic BPF program");
        }
        int count;
        try {
            count = Integer.parseInt(lines[0].trim());
        } catch (NumberFormatException e) {
            throw new SyntaxError(lines[0], 1, "line 1: expected the instruction count that tcpdump -ddd prints first");
        }
        if (count != lines.length - 1) {
            throw new SyntaxError(lines[0], 1, "line 1 says " + count + " instructions but " + (lines.length - 1)
                    + " follow");
        }
        if (count == 0 || count > 4096) {
            throw new SyntaxError(lines[0], 1, "a classic BPF program has 1 to 4096 instructions, not " + count);
        }
        List<Insn> out = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].trim().split("\\s+");
            if (f.length != 4) {
                throw new SyntaxError(lines[i], 1, "line " + (i + 1) + ": expected 'code jt jf k'");
            }
            try {
                int code = Integer.parseInt(f[0]);
                int jt = Integer.parseInt(f[1]);
                int jf = Integer.parseInt(f[2]);
                long k = Long.parseLong(f[3]);
                if (code < 0 || code > 0xffff || jt < 0 || jt > 255 || jf < 0 || jf > 255 || k < 0 || k > 0xffffffffL) {
                    throw new NumberFormatException();
                }
                out.add(new Insn(code, jt, jf, k));
            } catch (NumberFormatException e) {
                throw new SyntaxError(lines[i], 1, "line " + (i + 1) + ": fields out of range");
            }
        }
        return out;
    }

    /** Parses and translates. */
    public static Program importText(String text) {
        return translate(parse(text));
    }

    public static Program translate(List<Insn> insns) {
        ProgramBuilder b = new ProgramBuilder();
        int n = insns.size();
        Label[] at = new Label[n];
        for (int i = 0; i < n; i++) {
            at[i] = b.newLabel("c" + i);
        }
        Label reject = b.newLabel("reject");
        // Classic BPF starts with A = X = 0; memory slots a program reads are zeroed so the verifier can follow them.
        b.alu32(AluOp.MOV, A, 0).alu32(AluOp.MOV, X, 0);
        boolean[] slotsRead = new boolean[16];
        for (Insn in : insns) {
            int cls = in.code() & 7;
            int mode = in.code() & 0xe0;
            if ((cls == 0 || cls == 1) && mode == 0x60) {
                checkSlot(in, insns.indexOf(in));
                slotsRead[(int) in.k()] = true;
            }
        }
        for (int s = 0; s < 16; s++) {
            if (slotsRead[s]) {
                b.storeMem(s, A);
            }
        }
        b.beginRule(0);
        // Classic BPF may hold instructions no path reaches (the kernel accepts them); the VM verifier refuses
        // unreachable code, so those are still checked, into a builder that is thrown away, but not emitted.
        boolean[] live = reachable(insns);
        ProgramBuilder scratch = new ProgramBuilder();
        for (int i = 0; i < n; i++) {
            b.bind(at[i]);
            translate(live[i] ? b : scratch, insns.get(i), i, at, reject);
        }
        if (!endsProgram(insns.get(n - 1))) {
            throw bad(insns.get(n - 1), n - 1, "the last instruction must be a return");
        }
        b.endRule();
        if (rejectUsed(insns, live)) {
            b.bind(reject).ret(Verdict.DROP, 0);
        }
        return b.build();
    }

    /** Which instructions some path from the first reaches (classic BPF jumps only forward). */
    private static boolean[] reachable(List<Insn> insns) {
        int n = insns.size();
        boolean[] live = new boolean[n];
        live[0] = true;
        for (int i = 0; i < n; i++) {
            if (!live[i]) {
                continue;
            }
            Insn in = insns.get(i);
            int cls = in.code() & 7;
            if (cls == 0x06) {
                continue;
            }
            if (cls == 0x05 && (in.code() & 0xf0) == 0x00) {
                mark(live, i + 1 + in.k());
            } else if (cls == 0x05) {
                mark(live, i + 1L + in.jt());
                mark(live, i + 1L + in.jf());
            } else {
                mark(live, i + 1L);
            }
        }
        return live;
    }

    private static void mark(boolean[] live, long target) {
        if (target < live.length) { // a jump past the end is reported when the jump is translated
            live[(int) target] = true;
        }
    }

    /** Emits the VM code of instruction {@code i} into {@code b}, or throws when it is not valid classic BPF. */
    private static void translate(ProgramBuilder b, Insn in, int i, Label[] at, Label reject) {
        int code = in.code();
        long k = in.k();
        switch (code & 7) {
            case 0x00: // LD
                load(b, in, i, A);
                break;
            case 0x01: // LDX
                switch (code & 0xe0) {
                    case 0x00: b.alu32(AluOp.MOV, X, k); break;
                    case 0x60: b.loadMem(X, checkSlot(in, i)); break;
                    case 0x80: b.loadMeta(X, MetaField.PKT_LEN); break;
                    case 0xa0: // ldxb 4*([k]&0xf)
                        if ((code & 0x18) != 0x10) {
                            throw bad(in, i, "MSH loads take bytes only");
                        }
                        absolute(b, 1, X, k);
                        b.alu32(AluOp.AND, X, 0xf).alu32(AluOp.LSH, X, 2);
                        break;
                    default: throw bad(in, i, "unknown LDX mode");
                }
                break;
            case 0x02: b.storeMem(checkSlot(in, i), A); break;
            case 0x03: b.storeMem(checkSlot(in, i), X); break;
            case 0x04: alu(b, in, i, reject); break;
            case 0x05: jump(b, in, i, at); break;
            case 0x06: // RET
                if ((code & 0x18) == 0x10) { // ret a
                    b.jump32(JumpOp.JEQ, A, 0, reject).ret(Verdict.PASS, 1);
                } else if ((code & 0x18) == 0x00) {
                    b.ret(k != 0 ? Verdict.PASS : Verdict.DROP, k != 0 ? 1 : 0);
                } else {
                    throw bad(in, i, "ret x is not classic BPF");
                }
                break;
            case 0x07: // MISC
                if ((code & 0xf8) == 0x00) {
                    b.aluReg(AluOp.MOV, X, A); // tax
                } else if ((code & 0xf8) == 0x80) {
                    b.aluReg(AluOp.MOV, A, X); // txa
                } else {
                    throw bad(in, i, "unknown misc instruction");
                }
                break;
            default:
                throw bad(in, i, "unknown class");
        }
    }

    /**
     * True when something can reach the reject exit: a packet load (which can be out of bounds), a division or
     * modulo by X, or {@code ret a}, in reachable code. Otherwise the exit would be unreachable, which the verifier
     * refuses.
     */
    private static boolean rejectUsed(List<Insn> insns, boolean[] live) {
        for (int i = 0; i < insns.size(); i++) {
            Insn in = insns.get(i);
            if (!live[i]) {
                continue;
            }
            int cls = in.code() & 7;
            int mode = in.code() & 0xe0;
            boolean packetLoad = (cls == 0 && (mode == 0x20 || mode == 0x40)) || (cls == 1 && mode == 0xa0);
            boolean divByX = cls == 4 && (in.code() & 0x08) != 0 && ((in.code() & 0xf0) == 0x30
                    || (in.code() & 0xf0) == 0x90);
            boolean retA = cls == 6 && (in.code() & 0x18) == 0x10;
            if (packetLoad || divByX || retA) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsProgram(Insn in) {
        return (in.code() & 7) == 0x06;
    }

    private static SyntaxError bad(Insn in, int i, String why) {
        String line = in.code() + " " + in.jt() + " " + in.jf() + " " + in.k();
        return new SyntaxError(line, 1, "instruction " + i + " (" + line + "): " + why);
    }

    private static int checkSlot(Insn in, int i) {
        if (in.k() > 15) {
            throw bad(in, i, "memory slot " + in.k() + " out of range M[0]-M[15]");
        }
        return (int) in.k();
    }

    private static int size(Insn in, int i) {
        switch (in.code() & 0x18) {
            case 0x00: return 4;
            case 0x08: return 2;
            case 0x10: return 1;
            default: throw bad(in, i, "bad load size");
        }
    }

    /** Load of {@code size} bytes at frame offset {@code k} (unsigned 32 bits) into register {@code dst}. */
    private static void absolute(ProgramBuilder b, int size, int dst, long k) {
        if (k <= Short.MAX_VALUE) {
            b.load(size, dst, Base.PKT, (int) k);
        } else {
            b.alu32(AluOp.MOV, T, k).loadIndexed(size, dst, Base.PKT, T, 0);
        }
    }

    private static void load(ProgramBuilder b, Insn in, int i, int dst) {
        long k = in.k();
        switch (in.code() & 0xe0) {
            case 0x00: b.alu32(AluOp.MOV, dst, k); break;
            case 0x20: absolute(b, size(in, i), dst, k); break;
            case 0x40: // ld [x + k]: the sum wraps at 32 bits, as in bpf_filter
                b.aluReg(AluOp.MOV, T, X).alu32(AluOp.ADD, T, k).loadIndexed(size(in, i), dst, Base.PKT, T, 0);
                break;
            case 0x60: b.loadMem(dst, checkSlot(in, i)); break;
            case 0x80: b.loadMeta(dst, MetaField.PKT_LEN); break;
            default: throw bad(in, i, "unknown LD mode");
        }
    }

    private static void alu(ProgramBuilder b, Insn in, int i, Label reject) {
        int op = in.code() & 0xf0;
        boolean useX = (in.code() & 0x08) != 0;
        AluOp alu;
        switch (op) {
            case 0x00: alu = AluOp.ADD; break;
            case 0x10: alu = AluOp.SUB; break;
            case 0x20: alu = AluOp.MUL; break;
            case 0x30: alu = AluOp.DIV; break;
            case 0x40: alu = AluOp.OR; break;
            case 0x50: alu = AluOp.AND; break;
            case 0x60: alu = AluOp.LSH; break;
            case 0x70: alu = AluOp.RSH; break;
            case 0x80:
                b.emit(Opcode.NEG32, A, 0, 0, 0);
                return;
            case 0x90: alu = AluOp.MOD; break;
            case 0xa0: alu = AluOp.XOR; break;
            default: throw bad(in, i, "unknown ALU operation");
        }
        if (useX) {
            if (alu == AluOp.DIV || alu == AluOp.MOD) {
                b.jump32(JumpOp.JEQ, X, 0, reject);
            }
            b.alu32Reg(alu, A, X);
            return;
        }
        long k = in.k();
        if ((alu == AluOp.DIV || alu == AluOp.MOD) && k == 0) {
            throw bad(in, i, "division by constant zero");
        }
        if ((alu == AluOp.LSH || alu == AluOp.RSH) && k >= 32) {
            b.alu32(AluOp.MOV, A, 0); // every bit shifted out
            return;
        }
        b.alu32(alu, A, k);
    }

    private static void jump(ProgramBuilder b, Insn in, int i, Label[] at) {
        int op = in.code() & 0xf0;
        int n = at.length;
        if (op == 0x00) { // ja k
            long target = i + 1 + in.k();
            if (target >= n) {
                throw bad(in, i, "jump past the end");
            }
            b.ja(at[(int) target]);
            return;
        }
        int t = i + 1 + in.jt();
        int f = i + 1 + in.jf();
        if (t >= n || f >= n) {
            throw bad(in, i, "jump past the end");
        }
        JumpOp jop;
        switch (op) {
            case 0x10: jop = JumpOp.JEQ; break;
            case 0x20: jop = JumpOp.JGT; break;
            case 0x30: jop = JumpOp.JGE; break;
            case 0x40: jop = JumpOp.JSET; break;
            default: throw bad(in, i, "unknown jump");
        }
        if ((in.code() & 0x08) != 0) {
            b.jump32Reg(jop, A, X, at[t]);
        } else {
            b.jump32(jop, A, in.k(), at[t]);
        }
        b.ja(at[f]);
    }
}
