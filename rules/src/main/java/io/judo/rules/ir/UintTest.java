package io.judo.rules.ir;

/**
 * An unsigned comparison as Suricata writes it for dsize, ttl, itype, icode and bsize: {@code N}, {@code <N}, {@code >N},
 * {@code <=N}, {@code >=N}, {@code !N}, and the exclusive range {@code A<>B} (also written {@code A-B}).
 */
public record UintTest(Op op, long a, long b) {
    /** The comparison. */
    public enum Op { EQ, NE, LT, LE, GT, GE, RANGE }

    /** Parses the keyword value; null when it is not one of the forms. */
    public static UintTest parse(String value) {
        String v = value.trim();
        try {
            if (v.startsWith("<=")) {
                return new UintTest(Op.LE, num(v.substring(2)), 0);
            }
            if (v.startsWith(">=")) {
                return new UintTest(Op.GE, num(v.substring(2)), 0);
            }
            if (v.startsWith("<") && !v.contains("<>")) {
                return new UintTest(Op.LT, num(v.substring(1)), 0);
            }
            if (v.startsWith(">")) {
                return new UintTest(Op.GT, num(v.substring(1)), 0);
            }
            if (v.startsWith("!")) {
                return new UintTest(Op.NE, num(v.substring(1)), 0);
            }
            int range = v.indexOf("<>");
            int width = 2;
            if (range < 0) {
                range = v.indexOf('-');
                width = 1;
            }
            if (range > 0) {
                long a = num(v.substring(0, range));
                long b = num(v.substring(range + width));
                return a < b ? new UintTest(Op.RANGE, a, b) : null;
            }
            return new UintTest(Op.EQ, num(v), 0);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long num(String s) {
        long n = Long.parseLong(s.trim());
        if (n < 0 || n > 0xffffffffL) {
            throw new NumberFormatException(s);
        }
        return n;
    }

    public boolean test(long v) {
        switch (op) {
            case EQ: return v == a;
            case NE: return v != a;
            case LT: return v < a;
            case LE: return v <= a;
            case GT: return v > a;
            case GE: return v >= a;
            default: return v > a && v < b;
        }
    }
}
