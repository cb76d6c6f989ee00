package io.judo.engine.detect;

import io.judo.packet.decode.PacketView;
import io.judo.vm.interp.Helpers;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The state behind Suricata's xbits: per host and per address pair, each bit's expiry in packet time (0: not set).
 * A set or toggle gives the bit its rule's lifetime; a test at a later packet time than the expiry finds it unset, as
 * Suricata's host and ippair bits do. Lookups reuse one probe key, so a test allocates nothing; an entry is made at
 * the first set of its host or pair. Entries whose bits all expired are swept once the table doubled since the last
 * sweep, and past {@link #MAX_ENTRIES} a set on a new host or pair is dropped and counted (Suricata's host and ippair
 * memcaps do the same).
 */
final class XbitTable {
    /** Hosts and pairs kept at most, each table. */
    static final int MAX_ENTRIES = 1 << 20;

    /** An address or an unordered address pair: four longs (IPv4 in the low half), the family in {@code v6}. */
    private static final class Key {
        long a0;
        long a1;
        long b0;
        long b1;
        boolean v6;

        Key copy() {
            Key k = new Key();
            k.a0 = a0;
            k.a1 = a1;
            k.b0 = b0;
            k.b1 = b1;
            k.v6 = v6;
            return k;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.a0 == a0 && k.a1 == a1 && k.b0 == b0 && k.b1 == b1 && k.v6 == v6;
        }

        @Override
        public int hashCode() {
            long h = a0 * 0x9E3779B97F4A7C15L ^ a1 * 0xC2B2AE3D27D4EB4FL ^ b0 * 0x165667B19E3779F9L ^ b1 ^ (v6 ? 1 : 0);
            return (int) (h ^ h >>> 32);
        }
    }

    private final int hostBits;
    private final int pairBits;
    private final Map<Key, long[]> hosts = new HashMap<>();
    private final Map<Key, long[]> pairs = new HashMap<>();
    private final Key probe = new Key();
    private int hostsAtSweep = 1024;
    private int pairsAtSweep = 1024;
    private long dropped;

    /**
     * @param hostBits distinct host bits of the rule set
     * @param pairBits distinct pair bits
     */
    XbitTable(int hostBits, int pairBits) {
        this.hostBits = hostBits;
        this.pairBits = pairBits;
    }

    /**
     * The {@code xbit} helper on packet {@code v} at time {@code now} (ns).
     *
     * @param r1 the operation (a {@code FLOWBIT_*} value) and the place ({@code XBIT_TRACK_*})
     * @return the bit after the operation (1 set, 0 not); a packet without IP addresses has no bits
     */
    long apply(PacketView v, int r1, int bit, long expireSeconds, long now) {
        if (v == null || v.addressLength() == 0) {
            return 0;
        }
        lastNow = Math.max(lastNow, now);
        int place = r1 & 0x30;
        int op = r1 & 0xf;
        boolean pair = place == Helpers.XBIT_TRACK_PAIR;
        ByteBuffer b = v.buffer();
        int len = v.addressLength();
        if (pair) {
            key(b, v.srcAddressOffset(), v.dstAddressOffset(), len);
        } else {
            key(b, place == Helpers.XBIT_TRACK_DST ? v.dstAddressOffset() : v.srcAddressOffset(), -1, len);
        }
        Map<Key, long[]> table = pair ? pairs : hosts;
        long[] bits = table.get(probe);
        boolean set = bits != null && now < bits[bit];
        if (op == Helpers.FLOWBIT_TEST) {
            return set ? 1 : 0;
        }
        if (op == Helpers.FLOWBIT_UNSET || op == Helpers.FLOWBIT_TOGGLE && set) {
            if (bits != null) {
                bits[bit] = 0;
            }
            return 0;
        }
        if (bits == null) {
            bits = create(table, pair);
            if (bits == null) {
                return 0;
            }
        }
        bits[bit] = now + expireSeconds * 1_000_000_000L;
        return 1;
    }

    /** Sets, on new hosts or pairs, that a full table dropped. */
    long dropped() {
        return dropped;
    }

    /** Hosts and pairs held (for tests and statistics). */
    int entries() {
        return hosts.size() + pairs.size();
    }

    private long[] create(Map<Key, long[]> table, boolean pair) {
        int atSweep = pair ? pairsAtSweep : hostsAtSweep;
        if (table.size() >= 2 * atSweep || table.size() >= MAX_ENTRIES) {
            sweep(table, lastNow);
            if (pair) {
                pairsAtSweep = Math.max(1024, table.size());
            } else {
                hostsAtSweep = Math.max(1024, table.size());
            }
            if (table.size() >= MAX_ENTRIES) {
                dropped++;
                return null;
            }
        }
        long[] bits = new long[Math.max(1, pair ? pairBits : hostBits)];
        table.put(probe.copy(), bits);
        return bits;
    }

    /** The latest packet time seen, for sweeps. */
    private long lastNow;

    private static void sweep(Map<Key, long[]> table, long now) {
        for (Iterator<long[]> it = table.values().iterator(); it.hasNext(); ) {
            boolean live = false;
            for (long e : it.next()) {
                live |= now < e;
            }
            if (!live) {
                it.remove();
            }
        }
    }

    /** Fills the probe with one address, or with two in a fixed order (the pair is unordered). */
    private void key(ByteBuffer b, int first, int second, int len) {
        long x0 = high(b, first, len);
        long x1 = low(b, first, len);
        probe.v6 = len == 16;
        if (second < 0) {
            probe.a0 = x0;
            probe.a1 = x1;
            probe.b0 = 0;
            probe.b1 = 0;
            return;
        }
        long y0 = high(b, second, len);
        long y1 = low(b, second, len);
        boolean swap = Long.compareUnsigned(x0, y0) > 0 || x0 == y0 && Long.compareUnsigned(x1, y1) > 0;
        probe.a0 = swap ? y0 : x0;
        probe.a1 = swap ? y1 : x1;
        probe.b0 = swap ? x0 : y0;
        probe.b1 = swap ? x1 : y1;
    }

    /** An address's first eight bytes (0 for IPv4, whose four bytes are all in {@link #low}). */
    private static long high(ByteBuffer b, int at, int len) {
        return len == 4 ? 0 : b.getLong(at);
    }

    /** An address's last eight bytes, or an IPv4 address unsigned. */
    private static long low(ByteBuffer b, int at, int len) {
        return len == 4 ? b.getInt(at) & 0xffffffffL : b.getLong(at + 8);
    }
}
