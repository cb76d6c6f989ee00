package io.judo.rules.ir;

import io.judo.matcher.confirm.BoundedRegex;
import java.util.List;

/**
 * A plain reference evaluator of a whole inspection chain on one packet payload, written from Suricata's documented
 * semantics (not from any Judo code) to be the oracle other evaluators are tested against. It favours being obviously
 * right over being fast: every alternative is tried by plain recursion, with no budget.
 *
 * <p>State while walking the chain in rule order: the <b>cursor</b> (0 at the start; the end of the previous positive
 * content or pcre match, or where a {@code byte_jump} or {@code byte_extract} left it) and the <b>variables</b>
 * ({@code byte_extract}/{@code byte_math} results, by index). The chain matches when some path of choices reaches its
 * end. The buffer is taken as given: an empty payload is evaluated like any other (whether a packet without payload is
 * inspected at all is the caller's decision). Exactly:
 *
 * <ul>
 * <li><b>content</b> of {@code n} bytes: a start {@code s} with {@code 0 <= s} and {@code s + n <= len} where the bytes
 * equal the pattern (ASCII letters folded with {@code nocase}). Absolute constraints: {@code s >= offset} (when set)
 * and, with {@code depth}, {@code s + n <= offset + depth} ({@code offset} 0 when unset). Relative constraints:
 * {@code s >= cursor + distance} ({@code distance} 0 when unset, negative allowed) and, with {@code within},
 * {@code s + n <= cursor + distance + within}. {@code startswith}: {@code s} is exactly the window start
 * ({@code offset} or {@code cursor + distance}, 0 when neither is set). {@code endswith}: {@code s + n == len}. A
 * modifier that names a variable takes the variable's value. A positive content tries every such {@code s} in
 * increasing order (Suricata's recursive inspection retries an earlier content at its next occurrence when a later item
 * fails) and moves the cursor to {@code s + n}; a negated content holds when no such {@code s} exists and leaves the
 * cursor alone.</li>
 * <li><b>pcre</b>: searched from 0, or from the cursor with {@code R} (where {@code ^} then matches at the cursor); its
 * occurrences are the leftmost match from the search start, then the leftmost match starting after the previous
 * occurrence's start, and so on (on a retry {@code ^} means the buffer start only). A positive pcre tries each and
 * moves the cursor to the match end; a negated one holds when there is no match from the search start.</li>
 * <li><b>isdataat</b> {@code N}: absolute, byte {@code N} exists ({@code N < len}); relative, at least {@code N} bytes
 * follow the cursor ({@code cursor + N <= len}); {@code !} inverts. The cursor does not move.</li>
 * <li><b>a byte read</b> ({@code byte_test}, {@code byte_jump}, {@code byte_extract}, {@code byte_math}): the bytes at
 * {@code start = offset} ({@code cursor + offset} when relative); fails when {@code start < 0} or
 * {@code start + nbytes > len}. Binary: an unsigned big- or little-endian number. String: the bytes hold digits of the
 * base (8, 10, 16; hex digits in either case); the number is the digits up to the first non-digit, and the read fails
 * when the first byte is not a digit. Then, with a bitmask, {@code (v & mask) >>> trailingZeros(mask)}.</li>
 * <li><b>byte_test</b>: {@code v op value} with unsigned comparisons for {@code < > = <= >=}, {@code &}: {@code (v &
 * value) != 0}, {@code ^}: {@code (v ^ value) != 0}; {@code negated} inverts the comparison (a failed read is still a
 * failure). The cursor does not move.</li>
 * <li><b>byte_jump</b>: {@code v * multiplier}, rounded up to a multiple of 4 with {@code align}; the new cursor is
 * that plus {@code postOffset} plus the base: 0 with {@code from_beginning}, {@code len} with {@code from_end}, else
 * the end of the bytes read. Fails when the new cursor is below 0 or beyond {@code len} ({@code len} itself is
 * allowed).</li>
 * <li><b>byte_extract</b>: {@code v * multiplier}, rounded up to a multiple of {@code align} (when not 0), stored in
 * its variable; the cursor moves to the end of the bytes read.</li>
 * <li><b>byte_math</b>: {@code v op rvalue} in 64-bit two's complement arithmetic ({@code >>} logical; a shift of 64
 * or more gives 0), stored in its variable; division by 0 fails. The cursor does not move.</li>
 * <li><b>bsize</b>: the buffer length, tested as its {@link UintTest} says.</li>
 * </ul>
 */
public final class ReferenceChain {
    private ReferenceChain() {
    }

    /** Whether {@code chain} matches {@code payload} (the whole array is the buffer). */
    public static boolean matches(List<Inspect> chain, byte[] payload) {
        return step(chain, 0, payload, 0, new long[Math.max(1, chain.size())]);
    }

    private static boolean step(List<Inspect> chain, int i, byte[] buf, long cursor, long[] vars) {
        if (i == chain.size()) {
            return true;
        }
        Inspect item = chain.get(i);
        int len = buf.length;
        if (item instanceof Content c) {
            int n = c.bytes().length;
            ContentVariables cv = c.variables() == null ? ContentVariables.NONE : c.variables();
            long offset = modifier(c.offset(), cv.offset(), vars);
            long depth = modifier(c.depth(), cv.depth(), vars);
            long distance = modifier(c.distance(), cv.distance(), vars);
            long within = modifier(c.within(), cv.within(), vars);
            boolean relative = distance != Inspect.UNSET || within != Inspect.UNSET;
            long lo = 0;
            long hi = len; // the match must end at or before hi
            if (offset != Inspect.UNSET) {
                lo = offset;
            }
            if (depth != Inspect.UNSET) {
                hi = Math.min(hi, (offset == Inspect.UNSET ? 0 : offset) + depth);
            }
            long relStart = cursor + (distance == Inspect.UNSET ? 0 : distance);
            if (relative) {
                lo = Math.max(lo, relStart);
                if (within != Inspect.UNSET) {
                    hi = Math.min(hi, relStart + within);
                }
            }
            long windowStart = relative ? relStart : offset == Inspect.UNSET ? 0 : offset;
            boolean found = false;
            for (long s = Math.max(0, lo); s + n <= hi; s++) {
                if (c.startsWith() && s != windowStart || c.endsWith() && s + n != len || !equalsAt(buf, (int) s, c)) {
                    continue;
                }
                if (c.negated()) {
                    found = true;
                    break;
                }
                if (step(chain, i + 1, buf, s + n, vars.clone())) {
                    return true;
                }
            }
            return c.negated() && !found && step(chain, i + 1, buf, cursor, vars);
        }
        if (item instanceof Pcre p) {
            if (p.relative() && cursor > len) {
                return false;
            }
            int from = p.relative() ? (int) cursor : 0;
            long r = p.regex().find(buf, from, len, true, Long.MAX_VALUE);
            if (p.negated()) {
                return r == BoundedRegex.NO_MATCH && step(chain, i + 1, buf, cursor, vars);
            }
            while (r >= 0) {
                if (step(chain, i + 1, buf, BoundedRegex.end(r), vars.clone())) {
                    return true;
                }
                int next = BoundedRegex.start(r) + 1;
                if (next > len) {
                    break;
                }
                r = p.regex().find(buf, next, len, false, Long.MAX_VALUE);
            }
            return false;
        }
        if (item instanceof DataAt d) {
            long n = d.at().isVariable() ? vars[d.at().variable()] : d.at().constant();
            boolean present = d.relative() ? cursor + n <= len && cursor + n >= 0 : n >= 0 && n < len;
            return present != d.negated() && step(chain, i + 1, buf, cursor, vars);
        }
        if (item instanceof Bsize b) {
            return b.test().test(len) && step(chain, i + 1, buf, cursor, vars);
        }
        if (item instanceof ByteTest t) {
            long[] v = read(t.read(), buf, cursor, vars);
            if (v == null) {
                return false;
            }
            long value = t.value().isVariable() ? vars[t.value().variable()] : t.value().constant();
            boolean ok = switch (t.operator()) {
                case "<" -> Long.compareUnsigned(v[0], value) < 0;
                case ">" -> Long.compareUnsigned(v[0], value) > 0;
                case "=" -> v[0] == value;
                case "<=" -> Long.compareUnsigned(v[0], value) <= 0;
                case ">=" -> Long.compareUnsigned(v[0], value) >= 0;
                case "&" -> (v[0] & value) != 0;
                case "^" -> (v[0] ^ value) != 0;
                default -> throw new IllegalArgumentException("byte_test operator " + t.operator());
            };
            return ok != t.negated() && step(chain, i + 1, buf, cursor, vars);
        }
        if (item instanceof ByteJump j) {
            long[] v = read(j.read(), buf, cursor, vars);
            if (v == null) {
                return false;
            }
            long jump = v[0] * j.multiplier();
            if (j.align()) {
                jump = roundUp(jump, 4);
            }
            long base = j.fromBeginning() ? 0 : j.fromEnd() ? len : v[1];
            long next = base + jump + j.postOffset();
            return next >= 0 && next <= len && step(chain, i + 1, buf, next, vars);
        }
        if (item instanceof ByteExtract e) {
            long[] v = read(e.read(), buf, cursor, vars);
            if (v == null) {
                return false;
            }
            long x = v[0] * e.multiplier();
            if (e.align() != 0) {
                x = roundUp(x, e.align());
            }
            long[] nv = vars.clone();
            nv[e.variable()] = x;
            return step(chain, i + 1, buf, v[1], nv);
        }
        ByteMath m = (ByteMath) item;
        long[] v = read(m.read(), buf, cursor, vars);
        if (v == null) {
            return false;
        }
        long rv = m.rvalue().isVariable() ? vars[m.rvalue().variable()] : m.rvalue().constant();
        long x;
        switch (m.operator()) {
            case "+" -> x = v[0] + rv;
            case "-" -> x = v[0] - rv;
            case "*" -> x = v[0] * rv;
            case "/" -> {
                if (rv == 0) {
                    return false;
                }
                x = Long.divideUnsigned(v[0], rv);
            }
            case "<<" -> x = rv < 0 || rv >= 64 ? 0 : v[0] << rv;
            case ">>" -> x = rv < 0 || rv >= 64 ? 0 : v[0] >>> rv;
            default -> throw new IllegalArgumentException("byte_math operator " + m.operator());
        }
        long[] nv = vars.clone();
        nv[m.variable()] = x;
        return step(chain, i + 1, buf, cursor, nv);
    }

    private static long modifier(int constant, int variable, long[] vars) {
        return variable >= 0 ? vars[variable] : constant;
    }

    private static long roundUp(long x, long to) {
        return (x + to - 1) / to * to;
    }

    /** {value, end of the bytes read}, or null when the read fails. */
    private static long[] read(ByteRead r, byte[] buf, long cursor, long[] vars) {
        long offset = r.offset().isVariable() ? vars[r.offset().variable()] : r.offset().constant();
        long start = (r.relative() ? cursor : 0) + offset;
        long end = start + r.nbytes();
        if (start < 0 || end > buf.length) {
            return null;
        }
        long v = 0;
        if (r.binary()) {
            for (int k = 0; k < r.nbytes(); k++) {
                int b = buf[(int) (r.littleEndian() ? end - 1 - k : start + k)] & 0xff;
                v = v << 8 | b;
            }
        } else {
            int digits = 0;
            for (long k = start; k < end; k++) {
                int d = Character.digit((char) (buf[(int) k] & 0xff), r.base());
                if (d < 0) {
                    break;
                }
                v = v * r.base() + d;
                digits++;
            }
            if (digits == 0) {
                return null;
            }
        }
        if (r.bitmask() != 0) {
            v = (v & r.bitmask()) >>> Long.numberOfTrailingZeros(r.bitmask());
        }
        return new long[] {v, end};
    }

    private static boolean equalsAt(byte[] buf, int at, Content c) {
        byte[] p = c.bytes();
        for (int k = 0; k < p.length; k++) {
            int a = buf[at + k] & 0xff;
            int b = p[k] & 0xff;
            if (c.nocase()) {
                a = a >= 'A' && a <= 'Z' ? a + 32 : a;
                b = b >= 'A' && b <= 'Z' ? b + 32 : b;
            }
            if (a != b) {
                return false;
            }
        }
        return true;
    }
}
