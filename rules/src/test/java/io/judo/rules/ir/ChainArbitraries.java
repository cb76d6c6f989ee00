package io.judo.rules.ir;

import io.judo.matcher.confirm.BoundedRegex;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;

/**
 * Random inspection chains and payloads for jqwik: chains of 2 to 6 items (contents over a small alphabet so that
 * they occur, with random offset/depth/distance/within, nocase, negation, startswith/endswith; isdataat; pcre with and
 * without R; and, when asked, byte_test/byte_jump/byte_extract with consistent variable use) and payloads of 0 to 64
 * bytes over the same alphabet, sometimes with digits for string reads. About a third of the pairs match. Only IR the
 * Suricata parser could produce: depth and within at least the content length, startswith without other position
 * modifiers, absolute (offset/depth) and relative (distance/within) modifiers never on one content (Suricata rejects
 * that), variables used only after their byte_extract.
 */
public final class ChainArbitraries {
    private ChainArbitraries() {
    }

    /** A chain and a payload to run it on. */
    public record Case(List<Inspect> chain, byte[] payload) {
        @Override
        public String toString() {
            return describe(chain) + " on " + HexFormat.ofDelimiter(" ").formatHex(payload) + " ("
                    + new String(payload, StandardCharsets.ISO_8859_1) + ")";
        }
    }

    /** Chains with payloads; {@code byteKeywords} adds byte_test, byte_jump and byte_extract (and variables). */
    public static Arbitrary<Case> cases(boolean byteKeywords) {
        return Arbitraries.longs().map(seed -> {
            Random r = new Random(seed);
            return new Case(chain(r, byteKeywords), payload(r));
        });
    }

    private static final String[] PCRE = {"ab", "a+b", "b.a", "[ab]{2}", "^a", "b$", "a(?:b|a)", "ba*b", "\\d",
        "[ab]\\d?"};

    public static List<Inspect> chain(Random r, boolean byteKeywords) {
        int size = 2 + r.nextInt(5);
        List<Inspect> out = new ArrayList<>();
        List<Integer> vars = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int kind = r.nextInt(byteKeywords ? 10 : 7);
            switch (kind) {
                case 0, 1, 2, 3 -> out.add(content(r, vars));
                case 4, 5 -> out.add(pcre(r));
                case 6 -> out.add(new DataAt(value(r, vars, 1 + r.nextInt(12)), r.nextBoolean(), r.nextInt(8) == 0));
                case 7 -> out.add(new ByteTest(read(r, vars), TEST_OPS[r.nextInt(TEST_OPS.length)],
                        r.nextInt(3) == 0, value(r, vars, 1 + r.nextInt(3))));
                case 8 -> {
                    int from = r.nextInt(8); // 0: from_beginning, 1: from_end (then back a few bytes)
                    out.add(new ByteJump(read(r, vars), 1 + r.nextInt(2), r.nextInt(5) == 0, from == 0, from == 1,
                            from == 1 ? -1 - r.nextInt(12) : r.nextInt(4) - 1));
                }
                default -> {
                    int index = vars.size();
                    out.add(new ByteExtract(read(r, List.of()), index, "v" + index, 1, 0));
                    vars.add(index);
                }
            }
        }
        return List.copyOf(out);
    }

    private static final String[] TEST_OPS = {"<", ">", "=", "<=", ">=", "&", "^"};

    /** A constant (usually {@code constant}) or, sometimes, one of {@code vars}. */
    private static Value value(Random r, List<Integer> vars, long constant) {
        if (!vars.isEmpty() && r.nextInt(3) == 0) {
            return Value.variable(vars.get(r.nextInt(vars.size())));
        }
        return Value.of(constant);
    }

    /** A small read: one digit as a decimal string, or 1-2 binary bytes masked to a small number. */
    private static ByteRead read(Random r, List<Integer> vars) {
        boolean relative = r.nextBoolean();
        Value offset = value(r, vars, relative ? r.nextInt(4) - 1 : r.nextInt(8));
        if (r.nextInt(4) == 0) {
            return new ByteRead(1, offset, relative, false, 10, 0x03);
        }
        int n = 1 + r.nextInt(2);
        return new ByteRead(n, offset, relative, r.nextBoolean(), 0, n == 1 ? 0x03 : 0x0300);
    }

    private static Inspect content(Random r, List<Integer> vars) {
        boolean negated = r.nextInt(8) == 0;
        StringBuilder sb = new StringBuilder();
        // short contents occur; negated ones are longer, so that they are sometimes absent
        for (int k = 0, n = negated ? 3 + r.nextInt(2) : 1 + r.nextInt(2); k < n; k++) {
            sb.append((char) (r.nextInt(10) == 0 ? 'A' + r.nextInt(2) : 'a' + r.nextInt(2)));
        }
        byte[] bytes = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        int n = bytes.length;
        boolean nocase = r.nextInt(3) == 0;
        int offset = Inspect.UNSET;
        int depth = Inspect.UNSET;
        int distance = Inspect.UNSET;
        int within = Inspect.UNSET;
        boolean startsWith = false;
        boolean endsWith = r.nextInt(12) == 0;
        int[] v = {-1, -1, -1, -1};
        switch (r.nextInt(8)) {
            case 0, 6, 7 -> {
                // no position modifier
            }
            case 1 -> {
                offset = r.nextInt(8);
                if (r.nextBoolean()) {
                    depth = n + r.nextInt(24);
                }
            }
            case 2 -> depth = n + r.nextInt(24);
            case 3, 4 -> {
                if (r.nextInt(3) > 0) {
                    distance = r.nextInt(8) - 3;
                }
                if (distance == Inspect.UNSET || r.nextBoolean()) {
                    within = n + r.nextInt(16);
                }
            }
            case 5 -> {
                startsWith = true;
                endsWith = false;
            }
            default -> throw new AssertionError();
        }
        if (!vars.isEmpty() && r.nextInt(3) == 0 && !startsWith) {
            // a variable in place of (or in addition to) a position modifier, of the same kind (absolute/relative)
            int var = vars.get(r.nextInt(vars.size()));
            boolean relative = distance != Inspect.UNSET || within != Inspect.UNSET;
            int which = relative || offset == Inspect.UNSET && depth == Inspect.UNSET && r.nextBoolean()
                    ? 2 + r.nextInt(2) : r.nextInt(2);
            v[which] = var;
            switch (which) {
                case 0 -> offset = 0;
                case 1 -> depth = 0;
                case 2 -> distance = 0;
                default -> within = 0;
            }
        }
        ContentVariables cv = v[0] < 0 && v[1] < 0 && v[2] < 0 && v[3] < 0 ? null
                : new ContentVariables(v[0], v[1], v[2], v[3]);
        return new Content(bytes, negated, nocase, offset, depth, distance, within, startsWith, endsWith, false, null,
                cv);
    }

    private static Inspect pcre(Random r) {
        String expression = PCRE[r.nextInt(PCRE.length)];
        boolean caseless = r.nextInt(3) == 0;
        boolean relative = r.nextBoolean();
        String flags = (caseless ? "i" : "") + (relative ? "R" : "");
        return new Pcre(expression, flags, BoundedRegex.compile(expression, caseless, false, false, false),
                r.nextInt(8) == 0, relative);
    }

    public static byte[] payload(Random r) {
        int len = r.nextInt(8) == 0 ? r.nextInt(8) : 8 + r.nextInt(57);
        boolean digits = r.nextBoolean();
        byte[] out = new byte[len];
        for (int i = 0; i < len; i++) {
            int k = r.nextInt(digits ? 12 : 6);
            out[i] = (byte) (k < 3 ? 'a' : k < 5 ? 'b' : k == 5 ? "AB".charAt(r.nextInt(2)) : '0' + r.nextInt(10));
        }
        return out;
    }

    /** A chain in rule syntax, near enough to read a failing case. */
    public static String describe(List<Inspect> chain) {
        return chain.stream().map(ChainArbitraries::describe).collect(Collectors.joining(" "));
    }

    private static String describe(Inspect item) {
        if (item instanceof Content c) {
            StringBuilder sb = new StringBuilder("content:" + (c.negated() ? "!" : "") + "\""
                    + new String(c.bytes(), StandardCharsets.ISO_8859_1) + "\";");
            ContentVariables v = c.variables() == null ? ContentVariables.NONE : c.variables();
            mod(sb, "offset", c.offset(), v.offset());
            mod(sb, "depth", c.depth(), v.depth());
            mod(sb, "distance", c.distance(), v.distance());
            mod(sb, "within", c.within(), v.within());
            if (c.nocase()) {
                sb.append(" nocase;");
            }
            if (c.startsWith()) {
                sb.append(" startswith;");
            }
            if (c.endsWith()) {
                sb.append(" endswith;");
            }
            return sb.toString();
        }
        if (item instanceof Pcre p) {
            return "pcre:" + (p.negated() ? "!" : "") + "\"/" + p.expression() + "/" + p.flags() + "\";";
        }
        if (item instanceof DataAt d) {
            return "isdataat:" + (d.negated() ? "!" : "") + value(d.at()) + (d.relative() ? ",relative" : "") + ";";
        }
        if (item instanceof ByteTest t) {
            return "byte_test:" + t.read().nbytes() + "," + (t.negated() ? "!" : "") + t.operator() + ","
                    + value(t.value()) + "," + read(t.read()) + ";";
        }
        if (item instanceof ByteJump j) {
            return "byte_jump:" + j.read().nbytes() + "," + read(j.read()) + (j.multiplier() != 1 ? ",multiplier "
                    + j.multiplier() : "") + (j.align() ? ",align" : "") + (j.fromBeginning() ? ",from_beginning" : "")
                    + (j.fromEnd() ? ",from_end" : "") + (j.postOffset() != 0 ? ",post_offset " + j.postOffset() : "")
                    + ";";
        }
        if (item instanceof ByteExtract e) {
            return "byte_extract:" + e.read().nbytes() + "," + value(e.read().offset()) + "," + e.name()
                    + read(e.read()).substring(value(e.read().offset()).length()) + ";";
        }
        return item.toString();
    }

    private static void mod(StringBuilder sb, String key, int constant, int variable) {
        if (variable >= 0) {
            sb.append(' ').append(key).append(":v").append(variable).append(';');
        } else if (constant != Inspect.UNSET) {
            sb.append(' ').append(key).append(':').append(constant).append(';');
        }
    }

    private static String value(Value v) {
        return v.isVariable() ? "v" + v.variable() : Long.toString(v.constant());
    }

    private static String read(ByteRead r) {
        return value(r.offset()) + (r.relative() ? ",relative" : "") + (r.littleEndian() ? ",little" : "")
                + (r.binary() ? "" : ",string," + (r.base() == 16 ? "hex" : r.base() == 8 ? "oct" : "dec"))
                + (r.bitmask() != 0 ? ",bitmask 0x" + Long.toHexString(r.bitmask()) : "");
    }
}
