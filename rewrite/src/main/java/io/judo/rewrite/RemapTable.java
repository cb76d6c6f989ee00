package io.judo.rewrite;

import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;

/**
 * The reverse half of address remapping on a live link: when a bridge sends a flow's packets out with a new source
 * (pf's nat-to) or destination (rdr-to), the replies come back addressed in the new terms and must be translated back
 * before anything else sees them, so that flow tracking, rules and the original host see the flow they know. Keyed
 * by the reply's 5-tuple as it arrives; holds the reply's original addresses and ports.
 *
 * <p>Open addressing with a short probe and no deletion: a bounded table where, when a probe finds no room, the
 * newest mapping takes its home slot (a long-gone flow's mapping is the one most likely lost). Lookups allocate
 * nothing. One per pipeline thread.
 */
public final class RemapTable {
    private static final int PROBE = 8;

    private final int mask;
    private final boolean[] used;
    private final int[] protocol;
    private final byte[][] keySrc;
    private final byte[][] keyDst;
    private final int[] keyPorts;
    private final byte[][] origSrc;
    private final byte[][] origDst;
    private final int[] origSrcPort;
    private final int[] origDstPort;
    private int size;
    private long untranslated;

    /** {@code capacity} rounded up to a power of two. */
    public RemapTable(int capacity) {
        int n = Integer.highestOneBit(Math.max(16, capacity) - 1) << 1;
        mask = n - 1;
        used = new boolean[n];
        protocol = new int[n];
        keySrc = new byte[n][];
        keyDst = new byte[n][];
        keyPorts = new int[n];
        origSrc = new byte[n][];
        origDst = new byte[n][];
        origSrcPort = new int[n];
        origDstPort = new int[n];
    }

    /**
     * Records that a reply arriving as {@code proto} {@code src}:{@code srcPort} to {@code dst}:{@code dstPort} is
     * really from {@code realSrc}:{@code realSrcPort} to {@code realDst}:{@code realDstPort}.
     */
    public void put(int proto, byte[] src, int srcPort, byte[] dst, int dstPort, byte[] realSrc, int realSrcPort,
                    byte[] realDst, int realDstPort) {
        int ports = srcPort << 16 | dstPort;
        int home = hash(proto, src, 0, dst, 0, src.length, ports);
        int slot = -1;
        for (int i = 0; i < PROBE; i++) {
            int s = (home + i) & mask;
            if (!used[s] || matches(s, proto, src, dst, ports)) {
                slot = s;
                break;
            }
        }
        if (slot < 0) {
            slot = home & mask;
        } else if (!used[slot]) {
            size++;
        }
        used[slot] = true;
        protocol[slot] = proto;
        keySrc[slot] = src.clone();
        keyDst[slot] = dst.clone();
        keyPorts[slot] = ports;
        origSrc[slot] = realSrc.clone();
        origDst[slot] = realDst.clone();
        origSrcPort[slot] = realSrcPort;
        origDstPort[slot] = realDstPort;
    }

    /**
     * Records the way back for a packet just remapped: its reply will arrive as the swap of {@code out} (the frame
     * written from {@code in}, addresses and ports rewritten) and must become the swap of {@code in}. Once per flow;
     * it copies the addresses.
     */
    public void recordReply(PacketView in, byte[] out) {
        int n = in.addressLength();
        int srcAt = in.srcAddressOffset() - in.start();
        int dstAt = in.dstAddressOffset() - in.start();
        int l4 = in.l4Offset() - in.start();
        byte[] newSrc = java.util.Arrays.copyOfRange(out, srcAt, srcAt + n);
        byte[] newDst = java.util.Arrays.copyOfRange(out, dstAt, dstAt + n);
        byte[] oldSrc = new byte[n];
        byte[] oldDst = new byte[n];
        in.buffer().get(in.srcAddressOffset(), oldSrc);
        in.buffer().get(in.dstAddressOffset(), oldDst);
        int proto = in.ipProtocol();
        boolean ports = proto == 6 || proto == 17;
        int newSport = ports ? (out[l4] & 0xff) << 8 | out[l4 + 1] & 0xff : 0;
        int newDport = ports ? (out[l4 + 2] & 0xff) << 8 | out[l4 + 3] & 0xff : 0;
        put(proto, newDst, newDport, newSrc, newSport, oldDst, ports ? in.dstPort() : 0, oldSrc,
                ports ? in.srcPort() : 0);
    }

    private boolean matches(int s, int proto, byte[] src, byte[] dst, int ports) {
        return protocol[s] == proto && keyPorts[s] == ports && java.util.Arrays.equals(keySrc[s], src)
                && java.util.Arrays.equals(keyDst[s], dst);
    }

    /**
     * Translates a reply back: when {@code v} is a reply of a remapped flow, its frame is copied into {@code into}'s
     * output with the original addresses and ports (checksums updated).
     *
     * @return the frame's length in {@code into.output()}, or 0 when {@code v} is no such reply
     */
    public int untranslate(PacketView v, SegmentRewriter into) {
        if (size == 0 || (v.ipVersion() != 4 && v.ipVersion() != 6) || v.fragment()) {
            return 0;
        }
        int proto = v.ipProtocol();
        boolean ports = proto == 6 || proto == 17;
        int p = ports ? v.srcPort() << 16 | v.dstPort() : 0;
        ByteBuffer b = v.buffer();
        int n = v.addressLength();
        int home = hash(proto, b, v.srcAddressOffset(), v.dstAddressOffset(), n, p);
        for (int i = 0; i < PROBE; i++) {
            int s = (home + i) & mask;
            if (!used[s]) {
                return 0;
            }
            if (protocol[s] == proto && keyPorts[s] == p && equal(b, v.srcAddressOffset(), keySrc[s], n)
                    && equal(b, v.dstAddressOffset(), keyDst[s], n)) {
                int length = into.copy(v);
                if (length <= 0) {
                    return 0;
                }
                int l3 = v.l3Offset() - v.start();
                int l4 = v.l4Offset() - v.start();
                into.remap(l3, v.ipVersion(), v.ipHeaderLength(), l4, proto, true, origSrc[s],
                        ports ? origSrcPort[s] : -1);
                into.remap(l3, v.ipVersion(), v.ipHeaderLength(), l4, proto, false, origDst[s],
                        ports ? origDstPort[s] : -1);
                untranslated++;
                return length;
            }
        }
        return 0;
    }

    private static boolean equal(ByteBuffer b, int at, byte[] a, int n) {
        if (a.length != n) {
            return false;
        }
        for (int i = 0; i < n; i++) {
            if (b.get(at + i) != a[i]) {
                return false;
            }
        }
        return true;
    }

    private static int hash(int proto, byte[] src, int srcAt, byte[] dst, int dstAt, int n, int ports) {
        int h = proto * 31 + ports;
        for (int i = 0; i < n; i++) {
            h = h * 31 + src[srcAt + i];
            h = h * 31 + dst[dstAt + i];
        }
        return spread(h);
    }

    private static int hash(int proto, ByteBuffer b, int srcAt, int dstAt, int n, int ports) {
        int h = proto * 31 + ports;
        for (int i = 0; i < n; i++) {
            h = h * 31 + b.get(srcAt + i);
            h = h * 31 + b.get(dstAt + i);
        }
        return spread(h);
    }

    private static int spread(int h) {
        h ^= h >>> 16;
        h *= 0x45d9f3b;
        return h ^ h >>> 16;
    }

    /** Mappings held. */
    public int size() {
        return size;
    }

    /** Replies translated back. */
    public long untranslated() {
        return untranslated;
    }
}
