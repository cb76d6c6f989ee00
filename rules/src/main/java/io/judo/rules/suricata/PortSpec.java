package io.judo.rules.suricata;

import io.judo.vm.pool.IntRangeSet;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * Resolves a rule's port field ({@code any}, {@code 80}, {@code 1024:}, {@code :1023}, {@code [80,443,!8080]},
 * {@code $HTTP_PORTS}) into an exact set of ports, with the list semantics of {@link AddressSpec}.
 */
final class PortSpec {
    private static final int PORTS = 65536;
    private final BitSet ports;

    private PortSpec(BitSet ports) {
        this.ports = ports;
    }

    static PortSpec any() {
        BitSet b = new BitSet(PORTS);
        b.set(0, PORTS);
        return new PortSpec(b);
    }

    boolean isAny() {
        return ports.cardinality() == PORTS;
    }

    boolean isEmpty() {
        return ports.isEmpty();
    }

    /** @throws IllegalArgumentException naming the bad part */
    static PortSpec parse(String text, Variables vars) {
        return new Parser(text, vars, 0).top();
    }

    IntRangeSet toIntRangeSet() {
        List<long[]> ranges = new ArrayList<>();
        for (int i = ports.nextSetBit(0); i >= 0; ) {
            int end = ports.nextClearBit(i);
            ranges.add(new long[] {i, end - 1});
            i = end < PORTS ? ports.nextSetBit(end) : -1;
        }
        return IntRangeSet.of(ranges);
    }

    private static final class Parser {
        private final String text;
        private final Variables vars;
        private final int depth;
        private int pos;

        Parser(String text, Variables vars, int depth) {
            this.text = text.trim();
            this.vars = vars;
            this.depth = depth;
        }

        PortSpec top() {
            BitSet s = item();
            if (pos != text.length()) {
                throw new IllegalArgumentException("unexpected '" + text.substring(pos) + "' in port '" + text + "'");
            }
            return new PortSpec(s);
        }

        private BitSet item() {
            skipSpace();
            if (pos >= text.length()) {
                throw new IllegalArgumentException("missing port in '" + text + "'");
            }
            char c = text.charAt(pos);
            if (c == '!') {
                pos++;
                BitSet all = any().ports;
                all.andNot(item());
                return all;
            }
            if (c == '[') {
                pos++;
                BitSet plus = new BitSet(PORTS);
                BitSet minus = new BitSet(PORTS);
                boolean anyPlus = false;
                while (true) {
                    skipSpace();
                    boolean negated = pos < text.length() && text.charAt(pos) == '!';
                    if (negated) {
                        pos++;
                        minus.or(item());
                    } else {
                        plus.or(item());
                        anyPlus = true;
                    }
                    skipSpace();
                    if (pos < text.length() && text.charAt(pos) == ',') {
                        pos++;
                        continue;
                    }
                    if (pos < text.length() && text.charAt(pos) == ']') {
                        pos++;
                        break;
                    }
                    throw new IllegalArgumentException("unclosed '[' in port '" + text + "'");
                }
                BitSet result = anyPlus ? plus : any().ports;
                result.andNot(minus);
                return result;
            }
            int start = pos;
            while (pos < text.length() && ",]".indexOf(text.charAt(pos)) < 0 && !Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            String word = text.substring(start, pos);
            if (word.equals("any")) {
                return any().ports;
            }
            if (word.startsWith("$")) {
                String value = vars.get(word.substring(1));
                if (value == null) {
                    throw new IllegalArgumentException("undefined variable " + word);
                }
                if (depth > 16) {
                    throw new IllegalArgumentException("variable " + word + " refers to itself");
                }
                return new Parser(value, vars, depth + 1).top().ports;
            }
            int colon = word.indexOf(':');
            int low;
            int high;
            if (colon < 0) {
                low = port(word);
                high = low;
            } else {
                low = colon == 0 ? 0 : port(word.substring(0, colon));
                high = colon == word.length() - 1 ? PORTS - 1 : port(word.substring(colon + 1));
            }
            if (low > high) {
                throw new IllegalArgumentException("empty port range '" + word + "'");
            }
            BitSet b = new BitSet(PORTS);
            b.set(low, high + 1);
            return b;
        }

        private static int port(String s) {
            try {
                int p = Integer.parseInt(s);
                if (p >= 0 && p < PORTS) {
                    return p;
                }
            } catch (NumberFormatException e) {
                // fall through
            }
            throw new IllegalArgumentException("bad port '" + s + "'");
        }

        private void skipSpace() {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
        }
    }
}
