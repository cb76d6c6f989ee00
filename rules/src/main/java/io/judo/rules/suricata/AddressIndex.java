package io.judo.rules.suricata;

import io.judo.vm.pool.CidrSet;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeSet;

/**
 * Which rules an address can concern: the rules whose address field is a specific list (IP reputation rules,
 * host-specific rules) are found by one binary search over elementary address intervals instead of running every
 * such rule on every packet, as Suricata's IP-only engine does. IPv4 addresses are keyed whole, IPv6 addresses by
 * their first 64 bits (a superset: the rule's region still tests the full address). A hit only makes the rule a
 * candidate.
 */
public final class AddressIndex {
    /** Addresses an IPv4 list may cover and still be worth indexing (a site's whole private network is not). */
    public static final long MAX_V4_ADDRESSES = 1L << 23;
    private static final int[] EMPTY = new int[0];

    private final Family v4;
    private final Family v6;

    private AddressIndex(Family v4, Family v6) {
        this.v4 = v4;
        this.v6 = v6;
    }

    /** Sorted interval starts (sign bit flipped so signed order is unsigned order) and the rules of each. */
    private record Family(long[] starts, int[][] rules) {
        int[] find(long key) {
            int i = Arrays.binarySearch(starts, key);
            if (i < 0) {
                i = -i - 2;
            }
            return i < 0 ? EMPTY : rules[i];
        }
    }

    /** Whether {@code set} can be indexed: no negated entry, no /0, IPv4 part small enough. */
    static boolean indexable(CidrSet set) {
        if (set == null || set.entries().isEmpty()) {
            return false;
        }
        long covered = 0;
        for (CidrSet.Entry e : set.entries()) {
            if (e.negated() || e.prefix() == 0) {
                return false;
            }
            if (e.address().length == 4) {
                covered += 1L << (32 - e.prefix());
            } else if (e.prefix() < 16) {
                return false;
            }
        }
        return covered <= MAX_V4_ADDRESSES;
    }

    /** Collects (rule, set) pairs and builds the index. */
    static final class Builder {
        private final List<long[]> v4 = new ArrayList<>();
        private final List<long[]> v6 = new ArrayList<>();

        void add(int rule, CidrSet set) {
            for (CidrSet.Entry e : set.entries()) {
                ByteBuffer b = ByteBuffer.wrap(e.address());
                if (e.address().length == 4) {
                    long a = b.getInt() & 0xffffffffL;
                    long size = 1L << (32 - e.prefix());
                    v4.add(new long[] {a & ~(size - 1), (a & ~(size - 1)) + size, rule});
                } else {
                    long hi = b.getLong();
                    int bits = Math.min(64, e.prefix());
                    long mask = bits == 0 ? 0 : -1L << (64 - bits);
                    long lo = (hi & mask) ^ Long.MIN_VALUE;
                    long end = lo + (bits == 0 ? 0 : ~mask); // inclusive last key of the prefix
                    v6.add(new long[] {lo, end, rule, 1});
                }
            }
        }

        boolean isEmpty() {
            return v4.isEmpty() && v6.isEmpty();
        }

        AddressIndex build() {
            return new AddressIndex(family(v4), family(v6));
        }

        /** Ranges {@code [lo, end)}, or {@code [lo, end]} when they carry a fourth element. */
        private static Family family(List<long[]> ranges) {
            TreeSet<Long> bounds = new TreeSet<>();
            for (long[] r : ranges) {
                bounds.add(r[0]);
                if (r.length == 4 && r[1] == Long.MAX_VALUE) {
                    continue; // reaches the end of the key space
                }
                bounds.add(r.length == 4 ? r[1] + 1 : r[1]);
            }
            long[] starts = bounds.stream().mapToLong(Long::longValue).toArray();
            List<List<Integer>> at = new ArrayList<>();
            for (int i = 0; i < starts.length; i++) {
                at.add(new ArrayList<>());
            }
            for (long[] r : ranges) {
                int from = Arrays.binarySearch(starts, r[0]);
                int to = r.length == 4 && r[1] == Long.MAX_VALUE ? starts.length
                        : Arrays.binarySearch(starts, r.length == 4 ? r[1] + 1 : r[1]);
                for (int i = from; i < to; i++) {
                    at.get(i).add((int) r[2]);
                }
            }
            int[][] rules = new int[starts.length][];
            for (int i = 0; i < starts.length; i++) {
                rules[i] = at.get(i).stream().mapToInt(Integer::intValue).distinct().sorted().toArray();
            }
            return new Family(starts, rules);
        }
    }

    /** The rules concerning the IPv4 address {@code address} (unsigned); never null. */
    public int[] rulesForV4(long address) {
        return v4.find(address);
    }

    /** The rules concerning an IPv6 address whose first 64 bits are {@code high}; never null. */
    public int[] rulesForV6(long high) {
        return v6.find(high ^ Long.MIN_VALUE);
    }

    /** Elementary intervals held. */
    public int intervals() {
        return v4.starts().length + v6.starts().length;
    }
}
