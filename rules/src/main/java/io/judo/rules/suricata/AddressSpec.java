package io.judo.rules.suricata;

import io.judo.packet.Addresses;
import io.judo.vm.pool.CidrSet;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Resolves a rule's address field ({@code any}, {@code 10.0.0.0/8}, {@code [a,b,!c]}, {@code !$HOME_NET}) into a
 * {@link CidrSet}. A list is the union of its positive items minus the union of its negated ones (all addresses when
 * it has no positive item), which is Suricata's reading; sets are kept as exact ranges per family and turned into
 * prefixes at the end, so nesting and negated variables come out exact.
 */
final class AddressSpec {
    private static final BigInteger V4_MAX = BigInteger.ONE.shiftLeft(32).subtract(BigInteger.ONE);
    private static final BigInteger V6_MAX = BigInteger.ONE.shiftLeft(128).subtract(BigInteger.ONE);

    /** Sorted disjoint inclusive ranges per family. */
    private final RangeList v4;
    private final RangeList v6;

    private AddressSpec(RangeList v4, RangeList v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    static AddressSpec any() {
        return new AddressSpec(RangeList.of(BigInteger.ZERO, V4_MAX), RangeList.of(BigInteger.ZERO, V6_MAX));
    }

    boolean isAny() {
        return v4.equals(any().v4) && v6.equals(any().v6);
    }

    boolean isEmpty() {
        return v4.isEmpty() && v6.isEmpty();
    }

    /**
     * Parses {@code text}.
     *
     * @throws IllegalArgumentException with a message naming the bad part
     */
    static AddressSpec parse(String text, Variables vars) {
        return ListSpec.parse(text, vars, "address", ALGEBRA);
    }

    /**
     * The set as pf-style prefixes: either its own prefixes or, when shorter (a negated variable such as
     * {@code !$HOME_NET}), everything minus the complement's prefixes as negated entries.
     */
    CidrSet toCidrSet() {
        List<CidrSet.Entry> direct = new ArrayList<>();
        v4.prefixes(32, 4, direct);
        v6.prefixes(128, 16, direct);
        AddressSpec complement = any().minus(this);
        List<CidrSet.Entry> negated = new ArrayList<>();
        complement.v4.prefixes(32, 4, negated);
        complement.v6.prefixes(128, 16, negated);
        if (negated.size() + 2 >= direct.size()) {
            return CidrSet.of(direct);
        }
        List<CidrSet.Entry> entries = new ArrayList<>();
        entries.add(new CidrSet.Entry(new byte[4], 0, false));
        entries.add(new CidrSet.Entry(new byte[16], 0, false));
        for (CidrSet.Entry e : negated) {
            entries.add(new CidrSet.Entry(e.address(), e.prefix(), true));
        }
        return CidrSet.of(entries);
    }

    /** Suricata's list syntax over address sets. */
    private static final ListSpec.Algebra<AddressSpec> ALGEBRA = new ListSpec.Algebra<>() {
        @Override
        public AddressSpec any() {
            return AddressSpec.any();
        }

        @Override
        public AddressSpec leaf(String word) {
            return AddressSpec.leaf(word);
        }

        @Override
        public AddressSpec union(AddressSpec a, AddressSpec b) {
            return a.union(b);
        }

        @Override
        public AddressSpec minus(AddressSpec a, AddressSpec b) {
            return a.minus(b);
        }
    };

    /** One address or prefix. */
    private static AddressSpec leaf(String word) {
        Addresses.Prefix p;
        try {
            p = Addresses.parsePrefix(word);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad address '" + word + "'");
        }
        int bits = p.address().length * 8;
        BigInteger base = new BigInteger(1, p.address());
        BigInteger size = BigInteger.ONE.shiftLeft(bits - p.bits());
        BigInteger low = base.subtract(base.mod(size)); // Suricata accepts host bits set: 10.1.2.3/8 is 10/8
        RangeList r = RangeList.of(low, low.add(size).subtract(BigInteger.ONE));
        return bits == 32 ? new AddressSpec(r, RangeList.of()) : new AddressSpec(RangeList.of(), r);
    }

    AddressSpec union(AddressSpec o) {
        return new AddressSpec(v4.union(o.v4), v6.union(o.v6));
    }

    AddressSpec minus(AddressSpec o) {
        return new AddressSpec(v4.minus(o.v4), v6.minus(o.v6));
    }

    /** Sorted, disjoint, non-adjacent inclusive ranges of big integers. */
    private record RangeList(List<BigInteger[]> ranges) {
        static RangeList of() {
            return new RangeList(List.of());
        }

        static RangeList of(BigInteger low, BigInteger high) {
            List<BigInteger[]> l = new ArrayList<>();
            l.add(new BigInteger[] {low, high});
            return new RangeList(l);
        }

        boolean isEmpty() {
            return ranges.isEmpty();
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof RangeList r) || r.ranges.size() != ranges.size()) {
                return false;
            }
            for (int i = 0; i < ranges.size(); i++) {
                if (!ranges.get(i)[0].equals(r.ranges.get(i)[0]) || !ranges.get(i)[1].equals(r.ranges.get(i)[1])) {
                    return false;
                }
            }
            return true;
        }

        @Override
        public int hashCode() {
            return ranges.size();
        }

        RangeList union(RangeList o) {
            List<BigInteger[]> all = new ArrayList<>(ranges);
            all.addAll(o.ranges);
            all.sort((a, b) -> a[0].compareTo(b[0]));
            List<BigInteger[]> out = new ArrayList<>();
            for (BigInteger[] r : all) {
                BigInteger[] last = out.isEmpty() ? null : out.get(out.size() - 1);
                if (last != null && r[0].compareTo(last[1].add(BigInteger.ONE)) <= 0) {
                    if (r[1].compareTo(last[1]) > 0) {
                        last[1] = r[1];
                    }
                } else {
                    out.add(new BigInteger[] {r[0], r[1]});
                }
            }
            return new RangeList(out);
        }

        RangeList minus(RangeList o) {
            List<BigInteger[]> out = new ArrayList<>();
            for (BigInteger[] r : ranges) {
                BigInteger low = r[0];
                BigInteger high = r[1];
                for (BigInteger[] cut : o.ranges) {
                    if (low.compareTo(high) > 0 || cut[0].compareTo(high) > 0) {
                        break;
                    }
                    if (cut[1].compareTo(low) < 0) {
                        continue;
                    }
                    if (cut[0].compareTo(low) > 0) {
                        out.add(new BigInteger[] {low, cut[0].subtract(BigInteger.ONE)});
                    }
                    low = cut[1].add(BigInteger.ONE);
                }
                if (low.compareTo(high) <= 0) {
                    out.add(new BigInteger[] {low, high});
                }
            }
            return new RangeList(out);
        }

        /** Splits each range into the fewest aligned prefixes. */
        void prefixes(int bits, int bytes, List<CidrSet.Entry> out) {
            for (BigInteger[] r : ranges) {
                BigInteger low = r[0];
                while (low.compareTo(r[1]) <= 0) {
                    int size = low.signum() == 0 ? bits : Math.min(bits, low.getLowestSetBit());
                    while (size > 0 && low.add(BigInteger.ONE.shiftLeft(size)).subtract(BigInteger.ONE)
                            .compareTo(r[1]) > 0) {
                        size--;
                    }
                    out.add(new CidrSet.Entry(toBytes(low, bytes), bits - size, false));
                    low = low.add(BigInteger.ONE.shiftLeft(size));
                }
            }
        }

        private static byte[] toBytes(BigInteger v, int bytes) {
            byte[] raw = v.toByteArray();
            byte[] out = new byte[bytes];
            int n = Math.min(raw.length, bytes);
            System.arraycopy(raw, raw.length - n, out, bytes - n, n);
            return out;
        }
    }
}
