package io.judo.vm.asm;

import io.judo.vm.Base;
import io.judo.vm.Format;
import io.judo.vm.MetaField;
import io.judo.vm.Opcode;
import io.judo.vm.Program;
import io.judo.vm.Verdict;
import io.judo.vm.interp.HelperPrototype;
import io.judo.vm.interp.Helpers;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Assembles Judo assembly text (docs/ISA.md) into a {@link Program}: one instruction per line, labels
 * ({@code name:}), comments ({@code ;} or {@code #}), and the directives {@code .default}, {@code .rule}/{@code .end},
 * {@code .string}, {@code .set NAME int|cidr { ... }} and {@code .patterns}. Errors carry line and column.
 */
public final class Assembler {
    private static final Pattern LABEL = Pattern.compile("([A-Za-z_][A-Za-z0-9_.]*)\\s*:");
    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern MEMORY = Pattern.compile("[Mm]\\[\\s*(\\d+)\\s*]");
    private static final Pattern BASE = Pattern.compile("([a-z0-9]+)\\s*\\[(.*)]");
    private static final Pattern INDEX = Pattern.compile("\\s*r(\\d+)\\s*(?:([+-])\\s*(\\S+)\\s*)?");

    private final String source;
    private final ProgramBuilder b = new ProgramBuilder();
    private final Map<String, Label> labels = new HashMap<>();
    private final Set<String> poolNames = new HashSet<>();
    private final Map<String, Integer> labelLines = new HashMap<>();
    private int lineNo;
    private String line;

    private Assembler(String source) {
        this.source = source;
    }

    /** Assembles {@code text}; {@code source} names it in error messages (a file name, or null). */
    public static Program assemble(String text, String source) {
        return new Assembler(source).run(text);
    }

    /** Assembles and also returns the source line of each instruction (for verifier messages). */
    public static Assembled assembleWithLines(String text, String source) {
        Assembler a = new Assembler(source);
        Program p = a.run(text);
        int[] lines = new int[p.length()];
        for (int pc = 0; pc < lines.length; pc++) {
            lines[pc] = a.b.lineOf(pc);
        }
        return new Assembled(p, lines, text.split("\n", -1));
    }

    /** A program with the source line of every instruction. */
    public record Assembled(Program program, int[] lines, String[] text) {
    }

    private Program run(String text) {
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            line = lines[i].replace("\r", "");
            b.line(lineNo);
            parseLine(stripComment(line));
        }
        try {
            return b.build();
        } catch (AsmException e) {
            if (e.line() > 0) {
                String t = e.line() <= lines.length ? lines[e.line() - 1] : "";
                throw new AsmException(source, e.line(), firstNonBlank(t), t, e.getMessage().replaceFirst("^\\d+:\\d+: ", ""));
            }
            throw new AsmException(source, 0, 0, null, e.getMessage());
        }
    }

    private static int firstNonBlank(String s) {
        int i = 0;
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i + 1;
    }

    private static String stripComment(String s) {
        boolean quoted = false;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' && (i == 0 || s.charAt(i - 1) != '\\')) {
                quoted = !quoted;
            } else if (!quoted && (c == ';' || c == '#')) {
                return s.substring(0, i);
            }
        }
        return s;
    }

    private AsmException error(int column, String message) {
        return new AsmException(source, lineNo, column, line, message);
    }

    private int col(String token) {
        int i = line.indexOf(token.trim());
        return i < 0 ? firstNonBlank(line) : i + 1;
    }

    private void parseLine(String s) {
        String rest = s.trim();
        if (rest.isEmpty()) {
            return;
        }
        Matcher m = LABEL.matcher(rest);
        if (m.lookingAt() && !rest.startsWith(".")) {
            String name = m.group(1);
            Label l = label(name);
            if (l.bound()) {
                throw error(col(name), "label '" + name + "' defined twice (first on line " + labelLines.get(name) + ")");
            }
            b.bind(l);
            labelLines.put(name, lineNo);
            rest = rest.substring(m.end()).trim();
            if (rest.isEmpty()) {
                return;
            }
        }
        if (rest.startsWith(".")) {
            directive(rest);
        } else {
            instruction(rest);
        }
    }

    private Label label(String name) {
        return labels.computeIfAbsent(name, b::newLabel);
    }

    // ---- directives ----

    private void directive(String s) {
        String[] head = s.split("\\s+", 2);
        String arg = head.length > 1 ? head[1].trim() : "";
        try {
            switch (head[0]) {
                case ".default": {
                    int v = Verdict.of(arg);
                    if (v < 0) {
                        throw error(col(arg.isEmpty() ? head[0] : arg), "expected pass, drop or reject");
                    }
                    b.defaultVerdict(v);
                    return;
                }
                case ".rule":
                    b.beginRule(number(arg, Long.MIN_VALUE, Long.MAX_VALUE));
                    return;
                case ".end":
                    b.endRule();
                    return;
                case ".string": {
                    String[] p = arg.split("\\s+", 2);
                    String name = poolName(p[0]);
                    if (p.length < 2) {
                        throw error(col(p[0]) + p[0].length(), "expected a quoted string");
                    }
                    b.addString(name, unquote(p[1].trim()));
                    return;
                }
                case ".patterns": {
                    String[] p = arg.split("\\s+");
                    if (p.length != 2) {
                        throw error(col(head[0]), "expected: .patterns NAME COUNT");
                    }
                    b.addPatternDb(poolName(p[0]), (int) number(p[1], 0, 1 << 24));
                    return;
                }
                case ".set":
                    set(arg);
                    return;
                default:
                    throw error(col(head[0]), "unknown directive " + head[0]);
            }
        } catch (AsmException e) {
            if (e.line() > 0) {
                throw e;
            }
            throw error(col(head[0]), e.getMessage());
        }
    }

    private String poolName(String name) {
        if (!IDENT.matcher(name).matches()) {
            throw error(col(name), "bad name '" + name + "'");
        }
        if (!poolNames.add(name)) {
            throw error(col(name), "pool entry '" + name + "' defined twice");
        }
        return name;
    }

    private void set(String arg) {
        Matcher m = Pattern.compile("(\\S+)\\s+(int|cidr)\\s*\\{(.*)}\\s*").matcher(arg);
        if (!m.matches()) {
            throw error(col(".set"), "expected: .set NAME int|cidr { item, ... }");
        }
        String name = poolName(m.group(1));
        List<String> items = new ArrayList<>();
        for (String item : m.group(3).split(",")) {
            if (!item.isBlank()) {
                items.add(item.trim());
            }
        }
        if (m.group(2).equals("int")) {
            List<long[]> ranges = new ArrayList<>();
            for (String item : items) {
                int dash = item.indexOf('-', 1);
                long lo = number(dash < 0 ? item : item.substring(0, dash), Long.MIN_VALUE, Long.MAX_VALUE);
                long hi = dash < 0 ? lo : number(item.substring(dash + 1), Long.MIN_VALUE, Long.MAX_VALUE);
                if (lo > hi) {
                    throw error(col(item), "range " + item + " is backwards");
                }
                ranges.add(new long[] {lo, hi});
            }
            b.addIntSet(name, IntRangeSet.of(ranges));
        } else {
            List<CidrSet.Entry> entries = new ArrayList<>();
            for (String item : items) {
                try {
                    entries.add(CidrSet.parse(item));
                } catch (IllegalArgumentException e) {
                    throw error(col(item), e.getMessage());
                }
            }
            b.addCidrSet(name, CidrSet.of(entries));
        }
    }

    private byte[] unquote(String s) {
        if (s.length() < 2 || s.charAt(0) != '"' || s.charAt(s.length() - 1) != '"') {
            throw error(col(s), "expected a quoted string");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 1; i < s.length() - 1; i++) {
            char c = s.charAt(i);
            if (c != '\\') {
                if (c > 0xff) {
                    throw error(col(s) + i, "only Latin-1 characters; use \\xHH escapes");
                }
                out.write(c);
                continue;
            }
            if (++i >= s.length() - 1) {
                throw error(col(s) + i, "escape at the end of the string");
            }
            char e = s.charAt(i);
            switch (e) {
                case 'n': out.write('\n'); break;
                case 'r': out.write('\r'); break;
                case 't': out.write('\t'); break;
                case '0': out.write(0); break;
                case '\\': out.write('\\'); break;
                case '"': out.write('"'); break;
                case 'x':
                    if (i + 2 >= s.length()) {
                        throw error(col(s) + i, "\\x needs two hex digits");
                    }
                    try {
                        out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                    } catch (NumberFormatException ex) {
                        throw error(col(s) + i, "\\x needs two hex digits");
                    }
                    i += 2;
                    break;
                default:
                    throw error(col(s) + i, "unknown escape \\" + e);
            }
        }
        return out.toByteArray();
    }

    // ---- instructions ----

    private void instruction(String s) {
        String[] head = s.split("\\s+", 2);
        String mnemonic = head[0];
        List<String> ops = operands(head.length > 1 ? head[1] : "");
        List<Opcode> rows = new ArrayList<>();
        for (Opcode o : Opcode.all()) {
            if (o.mnemonic().equals(mnemonic)) {
                rows.add(o);
            }
        }
        if (rows.isEmpty()) {
            throw error(col(mnemonic), "unknown instruction '" + mnemonic + "'");
        }
        Opcode op = pick(rows, ops);
        int code = op.code();
        switch (op.format()) {
            case REG_IMM:
                arity(ops, 2, op);
                b.emit(code, reg(ops.get(0)), 0, 0, imm32(ops.get(1)));
                break;
            case REG_REG:
                arity(ops, 2, op);
                b.emit(code, reg(ops.get(0)), reg(ops.get(1)), 0, 0);
                break;
            case REG:
            case RET_REG:
                arity(ops, 1, op);
                b.emit(code, reg(ops.get(0)), 0, 0, 0);
                break;
            case LOAD: {
                arity(ops, 2, op);
                Matcher m = baseOperand(ops.get(1));
                b.emit(code, reg(ops.get(0)), 0, off16(m.group(2)), base(m.group(1), ops.get(1)));
                break;
            }
            case LOAD_INDEXED: {
                arity(ops, 2, op);
                Matcher m = baseOperand(ops.get(1));
                Matcher x = INDEX.matcher(m.group(2));
                if (!x.matches()) {
                    throw error(col(ops.get(1)), "expected BASE[rN + offset]");
                }
                int off = x.group(2) == null ? 0 : off16((x.group(2).equals("-") ? "-" : "") + x.group(3));
                b.emit(code, reg(ops.get(0)), reg("r" + x.group(1)), off, base(m.group(1), ops.get(1)));
                break;
            }
            case META_LOAD:
                arity(ops, 2, op);
                b.emit(code, reg(ops.get(0)), 0, 0, meta(ops.get(1)).ordinal());
                break;
            case META_STORE_REG:
                arity(ops, 2, op);
                b.emit(code, 0, reg(ops.get(1)), 0, meta(ops.get(0)).ordinal());
                break;
            case META_STORE_IMM:
                arity(ops, 2, op);
                b.emit(code, 0, 0, meta(ops.get(0)).ordinal(), imm32(ops.get(1)));
                break;
            case MEM_LOAD:
                arity(ops, 2, op);
                b.emit(code, reg(ops.get(0)), 0, slot(ops.get(1)), 0);
                break;
            case MEM_STORE:
                arity(ops, 2, op);
                b.emit(code, 0, reg(ops.get(1)), slot(ops.get(0)), 0);
                break;
            case JUMP:
            case JUMP_LONG: {
                arity(ops, 1, op);
                Label to = target(ops.get(0));
                if (Opcode.isLoop(code) && !to.bound()) {
                    throw error(col(ops.get(0)), "jloop to '" + ops.get(0) + "': the label must be defined above "
                            + "the jloop (loops jump backward)");
                }
                b.emitJump(code, 0, 0, 0, to);
                break;
            }
            case JUMP_IMM:
                arity(ops, 3, op);
                b.emitJump(code, reg(ops.get(0)), 0, imm32(ops.get(1)), target(ops.get(2)));
                break;
            case JUMP_REG:
                arity(ops, 3, op);
                b.emitJump(code, reg(ops.get(0)), reg(ops.get(1)), 0, target(ops.get(2)));
                break;
            case JUMP_SET:
                arity(ops, 3, op);
                b.emitJump(code, reg(ops.get(0)), 0, pool(ops.get(1), "int"), target(ops.get(2)));
                break;
            case JUMP_ADDR: {
                arity(ops, 3, op);
                String which = ops.get(0);
                if (!which.equals("src") && !which.equals("dst")) {
                    throw error(col(which), "expected src or dst");
                }
                b.emitJump(code, 0, which.equals("src") ? 0 : 1, pool(ops.get(1), "cidr"), target(ops.get(2)));
                break;
            }
            case CALL: {
                arity(ops, 1, op);
                String h = ops.get(0);
                HelperPrototype p = Helpers.byName(h);
                int id = p != null ? p.id() : (int) number(h, 0, 255);
                b.emit(code, 0, 0, 0, id);
                break;
            }
            case RET: {
                if (ops.isEmpty() || ops.size() > 2) {
                    throw error(col(mnemonic), "expected: ret pass|drop|reject[, rule]");
                }
                int v = Verdict.of(ops.get(0));
                if (v < 0) {
                    throw error(col(ops.get(0)), "expected pass, drop or reject");
                }
                b.emit(code, 0, 0, v, ops.size() == 2 ? imm32(ops.get(1)) : 0);
                break;
            }
            default:
                throw new IllegalStateException("format " + op.format() + " has no assembler case");
        }
    }

    private Opcode pick(List<Opcode> rows, List<String> ops) {
        if (rows.size() == 1) {
            return rows.get(0);
        }
        for (Opcode o : rows) {
            Format f = o.format();
            boolean regSecond = ops.size() > 1 && isReg(ops.get(1));
            switch (f) {
                case REG_REG: case JUMP_REG: case META_STORE_REG:
                    if (regSecond) {
                        return o;
                    }
                    break;
                case REG_IMM: case JUMP_IMM: case META_STORE_IMM:
                    if (!regSecond) {
                        return o;
                    }
                    break;
                case LOAD_INDEXED:
                    if (ops.size() > 1 && ops.get(1).matches(".*\\[\\s*r\\d+.*")) {
                        return o;
                    }
                    break;
                case LOAD:
                    if (ops.size() > 1 && !ops.get(1).matches(".*\\[\\s*r\\d+.*")) {
                        return o;
                    }
                    break;
                default:
                    return o;
            }
        }
        return rows.get(0);
    }

    private static boolean isReg(String s) {
        return s.matches("r\\d+");
    }

    private List<String> operands(String s) {
        List<String> out = new ArrayList<>();
        if (s.isBlank()) {
            return out;
        }
        int depth = 0;
        int startAt = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '[') {
                depth++;
            } else if (c == ']') {
                depth--;
            } else if (c == ',' && depth == 0) {
                out.add(s.substring(startAt, i).trim());
                startAt = i + 1;
            }
        }
        out.add(s.substring(startAt).trim());
        for (String o : out) {
            if (o.isEmpty()) {
                throw error(col(s), "empty operand");
            }
        }
        return out;
    }

    private void arity(List<String> ops, int n, Opcode op) {
        if (ops.size() != n) {
            throw error(col(op.mnemonic()), op.mnemonic() + " takes " + n + " operand" + (n == 1 ? "" : "s") + ", got "
                    + ops.size());
        }
    }

    private int reg(String s) {
        if (!isReg(s)) {
            throw error(col(s), "expected a register r0-r15, got '" + s + "'");
        }
        int r = Integer.parseInt(s.substring(1));
        if (r >= Opcode.REGISTERS) {
            throw error(col(s), "no register " + s + " (r0-r15)");
        }
        return r;
    }

    private int imm32(String s) {
        if (s.startsWith("@")) {
            return pool(s, null);
        }
        return (int) number(s, Integer.MIN_VALUE, 0xffffffffL);
    }

    private int off16(String s) {
        String t = s.trim();
        return (int) number(t.isEmpty() ? "0" : t, Short.MIN_VALUE, Short.MAX_VALUE);
    }

    private long number(String s, long min, long max) {
        String t = s.trim();
        try {
            boolean neg = t.startsWith("-");
            String digits = neg ? t.substring(1) : t;
            long v = digits.startsWith("0x") || digits.startsWith("0X") ? Long.parseUnsignedLong(digits.substring(2), 16)
                    : Long.parseLong(digits);
            v = neg ? -v : v;
            if (v < min || v > max) {
                throw error(col(t), "value " + t + " out of range " + min + ".." + max);
            }
            return v;
        } catch (NumberFormatException e) {
            throw error(col(t), "expected a number, got '" + t + "'");
        }
    }

    private Matcher baseOperand(String s) {
        Matcher m = BASE.matcher(s);
        if (!m.matches()) {
            throw error(col(s), "expected BASE[offset] with BASE one of pkt, l3, l4, payload");
        }
        return m;
    }

    private int base(String name, String operand) {
        for (Base base : Base.values()) {
            if (base.text().equals(name)) {
                return base.ordinal();
            }
        }
        throw error(col(operand), "unknown base '" + name + "' (pkt, l3, l4, payload)");
    }

    private MetaField meta(String s) {
        MetaField f = MetaField.named(s);
        if (f == null) {
            throw error(col(s), "unknown metadata field '" + s + "'");
        }
        return f;
    }

    private int slot(String s) {
        Matcher m = MEMORY.matcher(s);
        if (!m.matches()) {
            throw error(col(s), "expected M[0-" + (Opcode.MEMORY_SLOTS - 1) + "]");
        }
        int k = Integer.parseInt(m.group(1));
        if (k >= Opcode.MEMORY_SLOTS) {
            throw error(col(s), "no memory slot " + k + " (M[0]-M[" + (Opcode.MEMORY_SLOTS - 1) + "])");
        }
        return k;
    }

    private Label target(String s) {
        if (!IDENT.matcher(s).matches()) {
            throw error(col(s), "expected a label, got '" + s + "'");
        }
        return label(s);
    }

    private int pool(String s, String kind) {
        if (!s.startsWith("@")) {
            return (int) number(s, 0, Integer.MAX_VALUE);
        }
        String name = s.substring(1);
        int i = "int".equals(kind) ? b.intSetIndex(name) : "cidr".equals(kind) ? b.cidrSetIndex(name) : b.poolIndex(name);
        if (i < 0) {
            throw error(col(s), "no " + (kind != null ? kind + " set" : "pool entry") + " named '" + name
                    + "' (declare it before use)");
        }
        return i;
    }
}
