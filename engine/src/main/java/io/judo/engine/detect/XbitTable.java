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

    private final int hostBits;
    private final int pairBits;
    private final Map<AddressKey, long[]> hosts = new HashMap<>();
    private final Map<AddressKey, long[]> pairs = new HashMap<>();
    private final AddressKey probe = new AddressKey();
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
            probe.fill(b, v.srcAddressOffset(), v.dstAddressOffset(), len);
        } else {
            probe.fill(b, place == Helpers.XBIT_TRACK_DST ? v.dstAddressOffset() : v.srcAddressOffset(), -1, len);
        }
        Map<AddressKey, long[]> table = pair ? pairs : hosts;
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

    private long[] create(Map<AddressKey, long[]> table, boolean pair) {
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

    private static void sweep(Map<AddressKey, long[]> table, long now) {
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
}
