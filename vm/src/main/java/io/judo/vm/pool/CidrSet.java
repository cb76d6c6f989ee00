package io.judo.vm.pool;

import io.judo.packet.Addresses;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * An immutable set of IPv4 and IPv6 addresses given as prefixes, where a negated prefix ({@code !10.1.0.0/16})
 * removes addresses: the longest matching prefix decides, as in pf tables. Stored as sorted disjoint ranges per
 * family (IPv6 as two unsigned longs), looked up by binary search straight from the packet buffer.
 */
public final class CidrSet {
    /** One entry as written. */
    public record Entry(byte[] address, int prefix, boolean negated) {
        public String text() {
            return (negated ? "!" : "") + Addresses.format(address) + "/" + prefix;
        }
    }

    private final List<Entry> entries;
    private final long[] v4Low;
    private final long[] v4High;
    private final long[] v6LowHi;
    private final long[] v6LowLo;
    private final long[] v6HighHi;
    private final long[] v6HighLo;

    private CidrSet(List<Entry> entries, List<BigInteger[]> v4, List<BigInteger[]> v6) {
        this.entries = List.copyOf(entries);
        v4Low = new long[v4.size()];
        v4High = new long[v4.size()];
        for (int i = 0; i < v4.size(); i++) {
            v4Low[i] = v4.get(i)[0].longValue();
            v4High[i] = v4.get(i)[1].longValue();
        }
        v6LowHi = new long[v6.size()];
        v6LowLo = new long[v6.size()];
        v6HighHi = new long[v6.size()];
        v6HighLo = new long[v6.size()];
        for (int i = 0; i < v6.size(); i++) {
            v6LowHi[i] = v6.get(i)[0].shiftRight(64).longValue();
            v6LowLo[i] = v6.get(i)[0].longValue();
            v6HighHi[i] = v6.get(i)[1].shiftRight(64).longValue();
            v6HighLo[i] = v6.get(i)[1].longValue();
        }
    }

    /** Parses one entry: {@code [!]address[/prefix]}; a bare address is a host. */
    public static Entry parse(String text) {
        String t = text.trim();
        boolean negated = t.startsWith("!");
        if (negated) {
            t = t.substring(1).trim();
        }
        Addresses.Prefix p = Addresses.parsePrefix(t);
        return new Entry(p.address(), p.bits(), negated);
    }

    public static CidrSet of(List<Entry> entries) {
        List<Entry> byLength = new ArrayList<>(entries);
        byLength.sort(Comparator.comparingInt(Entry::prefix)); // shorter first: longer prefixes override
        List<BigInteger[]> v4 = new ArrayList<>();
        List<BigInteger[]> v6 = new ArrayList<>();
        for (Entry e : byLength) {
            int bits = e.address().length * 8;
            BigInteger a = new BigInteger(1, e.address());
            BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - e.prefix()).subtract(BigInteger.ONE);
            BigInteger low = a.andNot(hostMask);
            BigInteger high = low.or(hostMask);
            List<BigInteger[]> ranges = bits == 32 ? v4 : v6;
            subtract(ranges, low, high);
            if (!e.negated()) {
                ranges.add(new BigInteger[] {low, high});
                normalise(ranges);
            }
        }
        return new CidrSet(entries, v4, v6);
    }

    private static void subtract(List<BigInteger[]> ranges, BigInteger low, BigInteger high) {
        List<BigInteger[]> out = new ArrayList<>();
        for (BigInteger[] r : ranges) {
            if (r[1].compareTo(low) < 0 || r[0].compareTo(high) > 0) {
                out.add(r);
                continue;
            }
            if (r[0].compareTo(low) < 0) {
                out.add(new BigInteger[] {r[0], low.subtract(BigInteger.ONE)});
            }
            if (r[1].compareTo(high) > 0) {
                out.add(new BigInteger[] {high.add(BigInteger.ONE), r[1]});
            }
        }
        ranges.clear();
        ranges.addAll(out);
    }

    private static void normalise(List<BigInteger[]> ranges) {
        ranges.sort(Comparator.comparing(r -> r[0]));
        List<BigInteger[]> out = new ArrayList<>();
        for (BigInteger[] r : ranges) {
            BigInteger[] last = out.isEmpty() ? null : out.get(out.size() - 1);
            if (last != null && r[0].compareTo(last[1].add(BigInteger.ONE)) <= 0) {
                last[1] = last[1].max(r[1]);
            } else {
                out.add(new BigInteger[] {r[0], r[1]});
            }
        }
        ranges.clear();
        ranges.addAll(out);
    }

    /** Membership of the address of {@code length} (4 or 16) bytes at {@code offset} of a big-endian buffer. */
    public boolean contains(ByteBuffer b, int offset, int length) {
        if (length == 4) {
            long v = Integer.toUnsignedLong(b.getInt(offset));
            int lo = 0;
            int hi = v4Low.length - 1;
            while (lo <= hi) {
                int mid = (lo + hi) >>> 1;
                if (v < v4Low[mid]) {
                    hi = mid - 1;
                } else if (v > v4High[mid]) {
                    lo = mid + 1;
                } else {
                    return true;
                }
            }
            return false;
        }
        long vh = b.getLong(offset);
        long vl = b.getLong(offset + 8);
        int lo = 0;
        int hi = v6LowHi.length - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (compare(vh, vl, v6LowHi[mid], v6LowLo[mid]) < 0) {
                hi = mid - 1;
            } else if (compare(vh, vl, v6HighHi[mid], v6HighLo[mid]) > 0) {
                lo = mid + 1;
            } else {
                return true;
            }
        }
        return false;
    }

    private static int compare(long ah, long al, long bh, long bl) {
        int c = Long.compareUnsigned(ah, bh);
        return c != 0 ? c : Long.compareUnsigned(al, bl);
    }

    /** Membership of an address given as bytes (tests, tools). */
    public boolean contains(byte[] address) {
        return contains(ByteBuffer.wrap(address), 0, address.length);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** Assembly text: {@code { 10.0.0.0/8, !10.1.0.0/16 }}. */
    /** Number of disjoint IPv4 ranges the set holds (its IPv4 addresses, merged). */
    public int v4Ranges() {
        return v4Low.length;
    }

    /** Lowest IPv4 address of range {@code i}, as an unsigned 32-bit value. */
    public long v4Low(int i) {
        return v4Low[i];
    }

    /** Highest IPv4 address (inclusive) of range {@code i}. */
    public long v4High(int i) {
        return v4High[i];
    }

    /** Equal when the entries are written the same (the same set of addresses may also be written otherwise). */
    @Override
    public boolean equals(Object o) {
        return o instanceof CidrSet c && text().equals(c.text());
    }

    @Override
    public int hashCode() {
        return text().hashCode();
    }

    public String text() {
        StringBuilder sb = new StringBuilder("{");
        for (int i = 0; i < entries.size(); i++) {
            sb.append(i == 0 ? " " : ", ").append(entries.get(i).text());
        }
        return sb.append(" }").toString();
    }
}
