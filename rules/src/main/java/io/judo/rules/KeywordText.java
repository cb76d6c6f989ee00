package io.judo.rules;

import io.judo.rules.ir.Bsize;
import io.judo.rules.ir.ByteExtract;
import io.judo.rules.ir.ByteJump;
import io.judo.rules.ir.ByteMath;
import io.judo.rules.ir.ByteRead;
import io.judo.rules.ir.ByteTest;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.DataAt;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Pcre;
import io.judo.rules.ir.Value;
import java.util.Map;

/**
 * A chain item as the keyword text a listing shows before its code ({@code content:"GET "; depth:4},
 * {@code byte_test:2,&,32768,2}): what makes each instruction of a rule body traceable to its keyword.
 */
final class KeywordText {
    private final Map<Integer, String> varNames;

    private KeywordText(Map<Integer, String> varNames) {
        this.varNames = varNames;
    }

    /** The item in Suricata's spelling; {@code names} gives the byte variables' names by index. */
    static String of(Inspect item, Map<Integer, String> names) {
        return new KeywordText(names).describe(item);
    }

    private String describe(Inspect item) {
        StringBuilder sb = new StringBuilder();
        if (item instanceof Content c) {
            sb.append(c.negated() ? "content:!\"" : "content:\"").append(printable(c.bytes())).append('"');
            if (c.nocase()) {
                sb.append("; nocase");
            }
            io.judo.rules.ir.ContentVariables v = c.variables() == null ? io.judo.rules.ir.ContentVariables.NONE
                    : c.variables();
            modifier(sb, "offset", c.offset(), v.offset());
            modifier(sb, "depth", c.depth(), v.depth());
            modifier(sb, "distance", c.distance(), v.distance());
            modifier(sb, "within", c.within(), v.within());
            if (c.startsWith()) {
                sb.append("; startswith");
            }
            if (c.endsWith()) {
                sb.append("; endswith");
            }
        } else if (item instanceof Pcre p) {
            sb.append("pcre:").append(p.negated() ? "!" : "").append('"').append('/').append(p.expression())
                    .append('/').append(p.flags()).append('"');
        } else if (item instanceof DataAt d) {
            sb.append("isdataat:").append(d.negated() ? "!" : "").append(value(d.at()))
                    .append(d.relative() ? ",relative" : "");
        } else if (item instanceof ByteTest t) {
            sb.append("byte_test:").append(t.read().nbytes()).append(',').append(t.negated() ? "!" : "")
                    .append(t.operator()).append(',').append(value(t.value())).append(',').append(read(t.read()));
        } else if (item instanceof ByteJump j) {
            sb.append("byte_jump:").append(j.read().nbytes()).append(',').append(read(j.read()));
        } else if (item instanceof ByteExtract e) {
            sb.append("byte_extract:").append(e.read().nbytes()).append(',').append(read(e.read())).append(',')
                    .append(e.name());
        } else if (item instanceof ByteMath m) {
            sb.append("byte_math:bytes ").append(m.read().nbytes()).append(", oper ").append(m.operator())
                    .append(", rvalue ").append(value(m.rvalue())).append(", result ").append(m.name());
        } else if (item instanceof io.judo.rules.ir.Base64Decode d) {
            sb.append("base64_decode:bytes ").append(d.bytes()).append(", offset ").append(d.offset())
                    .append(d.relative() ? ", relative" : "");
        } else if (item instanceof Bsize z) {
            sb.append("bsize:").append(z.test().op()).append(' ').append(z.test().a());
        }
        return sb.toString();
    }

    private void modifier(StringBuilder sb, String name, int v, int variable) {
        if (variable >= 0) {
            sb.append("; ").append(name).append(':').append(varNames.getOrDefault(variable, "var" + variable));
        } else if (v != Inspect.UNSET) {
            sb.append("; ").append(name).append(':').append(v);
        }
    }

    private String value(Value v) {
        return v.isVariable() ? varNames.getOrDefault(v.variable(), "var" + v.variable())
                : Long.toString(v.constant());
    }

    private String read(ByteRead r) {
        return value(r.offset()) + (r.relative() ? ",relative" : "") + (r.littleEndian() ? ",little" : "")
                + (r.binary() ? "" : ",string," + (r.base() == 16 ? "hex" : r.base() == 8 ? "oct" : "dec"));
    }

    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private static String printable(byte[] bytes) {
        StringBuilder sb = new StringBuilder();
        boolean hex = false;
        for (byte x : bytes) {
            int v = x & 0xff;
            boolean plain = v >= 0x20 && v < 0x7f && v != '"' && v != '|' && v != '\\' && v != ';';
            if (plain == hex) { // entering or leaving a |..| run
                sb.append('|');
                hex = !plain;
            } else if (hex) {
                sb.append(' ');
            }
            if (plain) {
                sb.append((char) v);
            } else { // not String.format: every content of a large rule set passes here while it compiles
                sb.append(HEX[v >>> 4]).append(HEX[v & 0xf]);
            }
        }
        if (hex) {
            sb.append('|');
        }
        return sb.toString();
    }
}
