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
        return new PortSpec(ALGEBRA.any());
    }

    boolean isAny() {
        return ports.cardinality() == PORTS;
    }

    boolean isEmpty() {
        return ports.isEmpty();
    }

    /** @throws IllegalArgumentException naming the bad part */
    static PortSpec parse(String text, Variables vars) {
        return new PortSpec(ListSpec.parse(text, vars, "port", ALGEBRA));
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

    /** Suricata's list syntax over port bitmaps (copied before changing: sets stay immutable). */
    private static final ListSpec.Algebra<BitSet> ALGEBRA = new ListSpec.Algebra<>() {
        @Override
        public BitSet any() {
            BitSet b = new BitSet(PORTS);
            b.set(0, PORTS);
            return b;
        }

        @Override
        public BitSet leaf(String word) {
            return PortSpec.leaf(word);
        }

        @Override
        public BitSet union(BitSet a, BitSet b) {
            BitSet c = (BitSet) a.clone();
            c.or(b);
            return c;
        }

        @Override
        public BitSet minus(BitSet a, BitSet b) {
            BitSet c = (BitSet) a.clone();
            c.andNot(b);
            return c;
        }
    };

    /** {@code 80}, {@code 1024:}, {@code :1023} or {@code 1:1024}. */
    private static BitSet leaf(String word) {
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
}
