package io.judo.reassembly;

import io.judo.packet.checksum.InternetChecksum;
import io.judo.packet.decode.Checksums;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * IPv4 and IPv6 defragmentation: fragments are held per datagram (addresses, identification and, for IPv4, the
 * protocol) until every byte up to the last fragment's end has arrived, then the datagram is rebuilt with the first
 * fragment's header and decoded again as a raw IP packet.
 *
 * <p>Overlaps are resolved byte by byte with a {@link DefragPolicy}; an overlap carrying different bytes is
 * counted, as are tiny first fragments (too short for the TCP or UDP header: RFC 1858) and non-first fragments
 * that overwrite the transport header (offset 8 under TCP). Trackers idle longer than the timeout are dropped, and
 * a memory cap over all held bytes evicts the trackers idle longest. Fragments are the slow path: a tracker
 * allocates its buffers, unfragmented packets never reach this class.
 */
public final class Defragmenter {
    /** Largest reassembled payload (an IPv4 total length of 65,535 minus the smallest header). */
    private static final int MAX_PAYLOAD = 65535;

    private final DefragPolicy policy;
    private final long timeoutNanos;
    private final long memcap;
    private final int maxFragments;
    private final Map<Key, Tracker> trackers = new LinkedHashMap<>(64, 0.75f, true);
    /** Trackers of finished datagrams, kept with their arrays for the next ones (fragments come in bursts). */
    private final java.util.ArrayDeque<Tracker> spare = new java.util.ArrayDeque<>();
    private static final int SPARE = 16;
    private final PacketDecoder decoder;
    /** {@link #decoder}, or a verifying one when it does not verify: for datagrams whose fragments were verified. */
    private final PacketDecoder verifying;
    private HostPolicies hosts;
    private final PacketView rebuilt = new PacketView();
    private ByteBuffer out = ByteBuffer.allocate(MAX_PAYLOAD + 128);
    private long heldBytes;
    /** By {@link FragmentCount#ordinal()}. */
    private final long[] counts = new long[FragmentCount.values().length];

    /**
     * @param policy       how overlaps resolve
     * @param timeoutNanos how long a datagram may wait for its missing fragments after its latest one
     * @param memcap       bytes of fragment data held across all datagrams
     * @param maxFragments fragments accepted per datagram; more abandon the datagram
     * @param decoder      decodes rebuilt datagrams; its checksum setting applies to them, except that a datagram whose
     *                     completing fragment was decoded with checksum verification is verified too (so the checksum
     *                     rule keywords and the reassembler judge the whole datagram as they judge unfragmented ones)
     */
    public Defragmenter(DefragPolicy policy, long timeoutNanos, long memcap, int maxFragments, PacketDecoder decoder) {
        this(policy, new DefragConfig(timeoutNanos, memcap, maxFragments), decoder);
    }

    /** With {@code config}'s timeout, memcap and fragment limit (checked there). */
    public Defragmenter(DefragPolicy policy, DefragConfig config, PacketDecoder decoder) {
        this.policy = policy;
        this.timeoutNanos = config.timeoutNanos();
        this.memcap = config.memcap();
        this.maxFragments = config.maxFragments();
        this.decoder = decoder;
        this.verifying = decoder.verifiesChecksums() ? decoder : new PacketDecoder(true);
    }

    /** Suricata's defaults ({@link DefragConfig#defaults()}). */
    public static Defragmenter defaults(DefragPolicy policy, PacketDecoder decoder) {
        return new Defragmenter(policy, DefragConfig.defaults(), decoder);
    }

    /**
     * Takes one fragment captured at {@code now}.
     *
     * @return the rebuilt datagram, decoded (valid until the next call), when this fragment completed one; else null
     */
    public PacketView fragment(PacketView v, long now) {
        expire(now);
        if (!v.fragment() || v.l3Offset() < 0) {
            return null;
        }
        counts[FragmentCount.FRAGMENTS.ordinal()]++;
        ByteBuffer b = v.buffer();
        boolean v6 = v.ipVersion() == 6;
        int dataStart = v6 ? v.fragmentHeaderOffset() + 8 : v.l3Offset() + v.ipHeaderLength();
        if (v6 && v.fragmentHeaderOffset() < 0 || dataStart > v.l3End()) {
            return null;
        }
        int length = v.l3End() - dataStart;
        int ns = v.fragmentOffset();
        int ne = ns + length;
        if (ne > MAX_PAYLOAD) {
            return null; // the decoder already flagged it (BAD_FRAGMENT)
        }
        Key key = Key.of(v);
        Tracker t = trackers.get(key);
        long before = 0;
        if (t == null) {
            t = spare.isEmpty() ? new Tracker() : spare.pop();
            t.policy = hosts == null ? policy
                    : DefragPolicy.of(hosts.forAddress(b, v.dstAddressOffset(), v.addressLength()));
            if (v.tunnelDepth() > 0) {
                t.tunnel = new PacketView();
                t.tunnel.inheritTunnel(v);
            }
            trackers.put(key, t);
        } else {
            before = t.memory();
        }
        t.lastSeen = now;
        int protocol = v6 ? b.get(v.fragmentHeaderOffset()) & 0xff : v.ipProtocol();
        if (ns == 0) {
            t.keepHeader(v, dataStart);
            int needed = protocol == 6 ? 20 : protocol == 17 ? 8 : 0;
            if (length < needed && v.moreFragments()) {
                counts[FragmentCount.TINY_FIRST_FRAGMENTS.ordinal()]++;
            }
        } else if (protocol == 6 && ns < 20) {
            counts[FragmentCount.TCP_HEADER_OVERWRITES.ordinal()]++;
        }
        if (t.count == maxFragments) {
            heldBytes += t.memory() - before;
            counts[FragmentCount.TOO_MANY_FRAGMENTS.ordinal()]++;
            drop(key, t);
            return null;
        }
        if (!v.moreFragments()) {
            if (t.total >= 0 && t.total != ne) {
                // two last fragments disagree on the end: only 'last' lets the later one decide
                counts[FragmentCount.OVERLAPS_DIFFERENT.ordinal()]++;
            }
            if (t.total < 0 || t.policy == DefragPolicy.LAST) {
                t.total = ne;
            }
        }
        t.add(ns, ne, b, dataStart, this);
        heldBytes += t.memory() - before;
        if (t.complete()) {
            trackers.remove(key);
            heldBytes -= t.memory();
            counts[FragmentCount.REASSEMBLED.ordinal()]++;
            PacketView whole = rebuild(t, (v.checksums() & Checksums.VERIFIED) != 0);
            recycle(t); // rebuild copied what it needs
            return whole;
        }
        while (heldBytes > memcap && !trackers.isEmpty()) {
            Iterator<Map.Entry<Key, Tracker>> it = trackers.entrySet().iterator();
            Map.Entry<Key, Tracker> oldest = it.next();
            counts[FragmentCount.MEMCAP_EVICTIONS.ordinal()]++;
            drop(oldest.getKey(), oldest.getValue());
        }
        return null;
    }

    /** Chooses each datagram's fragment policy by its destination host (see {@link DefragPolicy#of}). */
    public Defragmenter policiesBy(HostPolicies h) {
        this.hosts = h.isUniform() ? null : h;
        return this;
    }

    private void drop(Key key, Tracker t) {
        trackers.remove(key);
        heldBytes -= t.memory();
        recycle(t);
    }

    private void recycle(Tracker t) {
        if (spare.size() < SPARE) {
            t.clear();
            spare.push(t);
        }
    }

    private void expire(long now) {
        Iterator<Tracker> it = trackers.values().iterator();
        while (it.hasNext()) {
            Tracker t = it.next();
            if (now - t.lastSeen <= timeoutNanos) {
                return; // access order: the rest were seen later
            }
            it.remove();
            heldBytes -= t.memory();
            counts[FragmentCount.TIMEOUTS.ordinal()]++;
            recycle(t);
        }
    }

    private PacketView rebuild(Tracker t, boolean verify) {
        int headerLength = t.header.length;
        int size = headerLength + t.total;
        if (out.capacity() < size) {
            out = ByteBuffer.allocate(size);
        }
        byte[] a = out.array();
        System.arraycopy(t.header, 0, a, 0, headerLength);
        System.arraycopy(t.data, 0, a, headerLength, t.total);
        if (t.v6) {
            a[t.nextAt] = (byte) t.nextProtocol;
            int payload = size - 40;
            a[4] = (byte) (payload >>> 8);
            a[5] = (byte) payload;
        } else {
            a[2] = (byte) (size >>> 8);
            a[3] = (byte) size;
            a[6] &= (byte) 0xc0; // reserved and DF stay; MF and the offset go
            a[7] = 0;
            a[10] = 0;
            a[11] = 0;
            int check = InternetChecksum.finish(InternetChecksum.add(0, a, 0, headerLength));
            a[10] = (byte) (check >>> 8);
            a[11] = (byte) check;
        }
        (verify ? verifying : decoder).decode(out, 0, size, size, LinkType.RAW, rebuilt);
        if (t.tunnel != null) {
            rebuilt.inheritTunnel(t.tunnel); // the inner datagram stays in the tunnel its fragments came through
        }
        return rebuilt;
    }

    /** This defragmenter's count of {@code c}. */
    public long count(FragmentCount c) {
        return counts[c.ordinal()];
    }

    /** Every counter by its report name, in a fixed order (for manifests and statistics), then the pending ones. */
    public Map<String, Long> counters() {
        Map<String, Long> m = new LinkedHashMap<>();
        for (FragmentCount c : FragmentCount.values()) {
            m.put(c.report(), counts[c.ordinal()]);
        }
        m.put("pending", (long) trackers.size());
        return m;
    }

    /** Datagrams waiting for fragments. */
    public int pending() {
        return trackers.size();
    }

    /** Bytes held for waiting datagrams. */
    public long heldBytes() {
        return heldBytes;
    }

    /** One datagram being rebuilt: its bytes, which fragment extent owns each byte, and the first header. */
    private static final class Tracker {
        byte[] data = new byte[0];
        /** Per byte: 1 + index into {@link #extents} of the fragment whose byte is held, 0 when none yet. */
        short[] owner = new short[0];
        /**
         * The datagram's size as far as memory accounting goes: what the arrays would have grown to for this
         * datagram alone (a reused tracker's arrays may be larger; the memcap must not see that).
         */
        int size;
        /** The end of the furthest fragment added (owner is zero from here on). */
        int reach;
        int[] extents = new int[16];
        int count;
        int covered;
        int total = -1;
        DefragPolicy policy;
        byte[] header;
        boolean v6;
        int nextAt;
        int nextProtocol;
        long lastSeen;
        /** The tunnel fields of the fragments when they came through a tunnel, else null. */
        PacketView tunnel;

        long memory() {
            return 64L + size * 3L + extents.length * 4L + (header == null ? 0 : header.length);
        }

        void keepHeader(PacketView v, int dataStart) {
            int l3 = v.l3Offset();
            v6 = v.ipVersion() == 6;
            int end = v6 ? v.fragmentHeaderOffset() : dataStart;
            header = new byte[end - l3];
            v.buffer().get(l3, header, 0, header.length);
            if (v6) {
                nextAt = v.fragmentNextHeaderAt() - l3;
                nextProtocol = v.buffer().get(v.fragmentHeaderOffset()) & 0xff;
            }
        }

        /** Makes the tracker as new, keeping its arrays (only the owners written are cleared). */
        void clear() {
            Arrays.fill(owner, 0, reach, (short) 0);
            reach = 0;
            size = 0;
            if (extents.length > 16) {
                extents = new int[16];
            }
            count = 0;
            covered = 0;
            total = -1;
            policy = null;
            header = null;
            v6 = false;
            nextAt = 0;
            nextProtocol = 0;
            lastSeen = 0;
            tunnel = null;
        }

        void add(int ns, int ne, ByteBuffer b, int from, Defragmenter counters) {
            if (ne > size) {
                size = Math.max(ne, Math.min(MAX_PAYLOAD, size * 2));
            }
            if (size > data.length) {
                data = Arrays.copyOf(data, size);
                owner = Arrays.copyOf(owner, size);
            }
            if (2 * count + 2 > extents.length) {
                extents = Arrays.copyOf(extents, extents.length * 2);
            }
            boolean alone = true;
            for (int k = 0; k < count && alone; k++) {
                alone = extents[2 * k] >= ne || extents[2 * k + 1] <= ns;
            }
            extents[2 * count] = ns;
            extents[2 * count + 1] = ne;
            short me = (short) (++count);
            reach = Math.max(reach, ne);
            if (alone) { // overlaps no earlier fragment (the usual case): its bytes go in as a block
                b.get(from, data, ns, ne - ns);
                Arrays.fill(owner, ns, ne, me);
                covered += ne - ns;
                return;
            }
            boolean overlapped = false;
            boolean differed = false;
            for (int i = ns; i < ne; i++) {
                byte x = b.get(from + i - ns);
                int o = owner[i];
                if (o == 0) {
                    data[i] = x;
                    owner[i] = me;
                    covered++;
                    continue;
                }
                overlapped = true;
                if (data[i] != x) {
                    differed = true;
                }
                int os = extents[2 * (o - 1)];
                int oe = extents[2 * (o - 1) + 1];
                if (policy.newWins(ns, ne, os, oe)) {
                    data[i] = x;
                    owner[i] = me;
                }
            }
            if (overlapped) {
                counters.counts[FragmentCount.OVERLAPS.ordinal()]++;
            }
            if (differed) {
                counters.counts[FragmentCount.OVERLAPS_DIFFERENT.ordinal()]++;
            }
        }

        boolean complete() {
            if (total < 0 || header == null || total > size) {
                return false;
            }
            if (covered < total) {
                return false;
            }
            for (int i = 0; i < total; i++) {
                if (owner[i] == 0) {
                    return false; // bytes beyond the end count in 'covered' too
                }
            }
            return true;
        }
    }

    /** Datagram identity: addresses, identification and (IPv4) protocol. */
    private record Key(int version, long s0, long s1, long d0, long d1, long idProtocol, int tunnel) {
        static Key of(PacketView v) {
            ByteBuffer b = v.buffer();
            int s = v.srcAddressOffset();
            int d = v.dstAddressOffset();
            if (v.ipVersion() == 4) {
                return new Key(4, b.getInt(s) & 0xffffffffL, 0, b.getInt(d) & 0xffffffffL, 0,
                        v.fragmentId() << 8 | v.ipProtocol(), v.tunnelId());
            }
            return new Key(6, b.getLong(s), b.getLong(s + 8), b.getLong(d), b.getLong(d + 8), v.fragmentId(),
                    v.tunnelId());
        }
    }
}
