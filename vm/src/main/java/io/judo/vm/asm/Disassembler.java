package io.judo.vm.asm;

import io.judo.vm.Base;
import io.judo.vm.Insn;
import io.judo.vm.MetaField;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.RuleRegion;
import io.judo.vm.Verdict;
import io.judo.vm.interp.HelperPrototype;
import io.judo.vm.interp.Helpers;
import java.util.TreeSet;

/**
 * Prints a program as assembly text that {@link Assembler} reads back to the same program: pool directives, then the
 * code with {@code L<pc>} labels at jump targets and {@code .rule}/{@code .end} around rule regions.
 */
public final class Disassembler {
    private Disassembler() {
    }

    public static String disassemble(Program p) {
        StringBuilder sb = new StringBuilder();
        if (p.defaultVerdict() != Verdict.DROP) {
            sb.append(".default ").append(Verdict.name(p.defaultVerdict())).append('\n');
        }
        for (int i = 0; i < p.strings().size(); i++) {
            sb.append(".string ").append(p.strings().name(i)).append(' ').append(quote(p.strings().get(i))).append('\n');
        }
        for (int i = 0; i < p.intSets().size(); i++) {
            sb.append(".set ").append(p.intSets().name(i)).append(" int ").append(p.intSets().get(i).text()).append('\n');
        }
        for (int i = 0; i < p.cidrSets().size(); i++) {
            sb.append(".set ").append(p.cidrSets().name(i)).append(" cidr ").append(p.cidrSets().get(i).text())
                    .append('\n');
        }
        for (int i = 0; i < p.patternDbs().size(); i++) {
            sb.append(".patterns ").append(p.patternDbs().name(i)).append(' ').append(p.patternDbs().get(i).patterns())
                    .append('\n');
        }
        TreeSet<Integer> targets = new TreeSet<>();
        for (int pc = 0; pc < p.length(); pc++) {
            Opcode op = Opcode.of(Insn.op(p.insn(pc)));
            if (op != null && op.branches()) {
                targets.add(pc + 1 + io.judo.vm.Opcode.jumpOffset(p.insn(pc)));
            }
        }
        for (int pc = 0; pc <= p.length(); pc++) {
            for (RuleRegion r : p.regions()) {
                if (r.end() == pc && r.start() < r.end()) {
                    sb.append(".end\n");
                }
            }
            for (RuleRegion r : p.regions()) {
                if (r.start() == pc && r.start() < r.end()) {
                    sb.append(".rule ").append(r.ruleId()).append('\n');
                }
            }
            if (targets.contains(pc)) {
                sb.append('L').append(pc).append(":\n");
            }
            if (pc < p.length()) {
                sb.append("    ").append(insn(p, pc)).append('\n');
            }
        }
        return sb.toString();
    }

    /** One instruction as text (without label), as it appears in listings and verifier messages. */
    public static String insn(Program p, int pc) {
        long insn = p.insn(pc);
        Opcode op = Opcode.of(Insn.op(insn));
        if (op == null) {
            return String.format(".word 0x%016x", insn);
        }
        int dst = Insn.dst(insn);
        int src = Insn.src(insn);
        int off = Insn.off(insn);
        int imm = Insn.imm(insn);
        String m = op.mnemonic();
        String target = "L" + (pc + 1 + Opcode.jumpOffset(insn));
        switch (op.format()) {
            case REG_IMM: return m + " r" + dst + ", " + imm(imm);
            case REG_REG: return m + " r" + dst + ", r" + src;
            case REG: case RET_REG: return m + " r" + dst;
            case LOAD: return m + " r" + dst + ", " + base(imm) + "[" + off + "]";
            case LOAD_INDEXED:
                return m + " r" + dst + ", " + base(imm) + "[r" + src + (off == 0 ? "" : off > 0 ? " + " + off : " - " + -off) + "]";
            case META_LOAD: return m + " r" + dst + ", " + meta(imm);
            case META_STORE_REG: return m + " " + meta(imm) + ", r" + src;
            case META_STORE_IMM: return m + " " + meta(off) + ", " + imm(imm);
            case MEM_LOAD: return m + " r" + dst + ", M[" + off + "]";
            case MEM_STORE: return m + " M[" + off + "], r" + src;
            case JUMP: case JUMP_LONG: return m + " " + target;
            case JUMP_IMM: return m + " r" + dst + ", " + imm(imm) + ", " + target;
            case JUMP_REG: return m + " r" + dst + ", r" + src + ", " + target;
            case JUMP_SET: return m + " r" + dst + ", " + poolRef(p.intSets(), imm) + ", " + target;
            case JUMP_ADDR: return m + " " + (src == 0 ? "src" : "dst") + ", " + poolRef(p.cidrSets(), imm) + ", " + target;
            case CALL: {
                HelperPrototype h = Helpers.byId(imm);
                return m + " " + (h != null ? h.name() : Integer.toString(imm));
            }
            case RET: return m + " " + Verdict.name(off) + (imm != 0 ? ", " + imm : "");
            default: throw new IllegalStateException("format " + op.format() + " has no disassembler case");
        }
    }

    private static String imm(int v) {
        return v > -4096 && v < 4096 ? Integer.toString(v) : "0x" + Integer.toHexString(v);
    }

    private static String base(int code) {
        Base b = Base.of(code);
        return b != null ? b.text() : "base" + code;
    }

    private static String meta(int code) {
        MetaField f = MetaField.of(code);
        return f != null ? f.text() : "field" + code;
    }

    private static String poolRef(Program.Pool<?> pool, int i) {
        return i >= 0 && i < pool.size() ? "@" + pool.name(i) : Integer.toString(i);
    }

    static String quote(byte[] bytes) {
        StringBuilder sb = new StringBuilder("\"");
        for (byte x : bytes) {
            int c = x & 0xff;
            if (c == '"' || c == '\\') {
                sb.append('\\').append((char) c);
            } else if (c >= 0x20 && c < 0x7f) {
                sb.append((char) c);
            } else {
                sb.append(String.format("\\x%02x", c));
            }
        }
        return sb.append('"').toString();
    }
}
