package io.judo.packet.flow;

import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;

/**
 * A mutable, reusable bidirectional flow key: protocol, both endpoints (address and port) and the outer two VLAN
 * ids. Endpoints are stored in canonical order (the smaller endpoint first), so A→B and B→A give equal keys;
 * {@link #reversed()} tells which way the packet went.
 *
 * <p>Addresses are held as two longs each; IPv4 addresses occupy the low 32 bits with {@link #family()} 4.
 */
public final class FlowKey {
    long aHi;
    long aLo;
    long bHi;
    long bLo;
    int aPort;
    int bPort;
    int protocol;
    int family;
    int vlan;
    int tunnel;
    boolean reversed;

    /**
     * Fills this key from a decoded packet.
     *
     * @return false when the packet has no IP layer, or is a non-first fragment (its ports are unknown until
     *     reassembly), in which case the key is unchanged
     */
    public boolean set(PacketView v) {
        if (v.ipVersion() == 0 || v.srcAddressOffset() < 0 || (v.fragment() && v.fragmentOffset() != 0)) {
            return false;
        }
        ByteBuffer b = v.buffer();
        long sHi;
        long sLo;
        long dHi;
        long dLo;
        if (v.ipVersion() == 4) {
            sHi = 0;
            dHi = 0;
            sLo = Integer.toUnsignedLong(b.getInt(v.srcAddressOffset()));
            dLo = Integer.toUnsignedLong(b.getInt(v.dstAddressOffset()));
        } else {
            sHi = b.getLong(v.srcAddressOffset());
            sLo = b.getLong(v.srcAddressOffset() + 8);
            dHi = b.getLong(v.dstAddressOffset());
            dLo = b.getLong(v.dstAddressOffset() + 8);
        }
        set(v.ipVersion(), v.ipProtocol(), sHi, sLo, v.srcPort(), dHi, dLo, v.dstPort(),
                v.vlanOuter() | (v.vlanInner() << 12));
        tunnel = v.tunnelId();
        return true;
    }

    /** Fills the key from explicit values (tests, the flow table's own use). */
    public FlowKey set(int family, int protocol, long srcHi, long srcLo, int srcPort, long dstHi, long dstLo,
                       int dstPort, int vlan) {
        this.family = family;
        this.protocol = protocol;
        this.vlan = vlan;
        this.tunnel = 0;
        int c = Long.compareUnsigned(srcHi, dstHi);
        if (c == 0) {
            c = Long.compareUnsigned(srcLo, dstLo);
        }
        if (c == 0) {
            c = Integer.compare(srcPort, dstPort);
        }
        reversed = c > 0;
        if (reversed) {
            aHi = dstHi;
            aLo = dstLo;
            aPort = dstPort;
            bHi = srcHi;
            bLo = srcLo;
            bPort = srcPort;
        } else {
            aHi = srcHi;
            aLo = srcLo;
            aPort = srcPort;
            bHi = dstHi;
            bLo = dstLo;
            bPort = dstPort;
        }
        return this;
    }

    /** Copies another key into this one. */
    public FlowKey set(FlowKey o) {
        aHi = o.aHi;
        aLo = o.aLo;
        bHi = o.bHi;
        bLo = o.bLo;
        aPort = o.aPort;
        bPort = o.bPort;
        protocol = o.protocol;
        family = o.family;
        vlan = o.vlan;
        tunnel = o.tunnel;
        reversed = o.reversed;
        return this;
    }

    /** The address of the canonical A endpoint ({@code a}) or of B: 4 bytes for IPv4, 16 for IPv6 (a new array). */
    public byte[] address(boolean a) {
        return address(a ? aHi : bHi, a ? aLo : bLo, family);
    }

    /** An address from its two halves as a key holds them: 4 bytes (the low half's low 32 bits) for IPv4, else 16. */
    public static byte[] address(long hi, long lo, int family) {
        if (family == 4) {
            return new byte[] {(byte) (lo >>> 24), (byte) (lo >>> 16), (byte) (lo >>> 8), (byte) lo};
        }
        byte[] out = new byte[16];
        for (int i = 0; i < 8; i++) {
            out[i] = (byte) (hi >>> (56 - 8 * i));
            out[8 + i] = (byte) (lo >>> (56 - 8 * i));
        }
        return out;
    }

    /** True when the packet travelled from the canonical B endpoint to A. */
    public boolean reversed() {
        return reversed;
    }

    /** 4 or 6. */
    public int family() {
        return family;
    }

    /** IP protocol number. */
    public int protocol() {
        return protocol;
    }

    /** Outer VLAN id in bits 0-11, inner in bits 12-23. */
    public int vlan() {
        return vlan;
    }

    /** The tunnel the flow lives in ({@link PacketView#tunnelId()}), 0 for none. */
    public int tunnel() {
        return tunnel;
    }

    /** Sets the tunnel id (keys built from explicit values). */
    public FlowKey tunnel(int id) {
        this.tunnel = id;
        return this;
    }

    /** Port of the canonical first endpoint. */
    public int portA() {
        return aPort;
    }

    /** Port of the canonical second endpoint. */
    public int portB() {
        return bPort;
    }

    /** High half of the canonical A ({@code a}) or B endpoint's address (0 for IPv4). */
    public long addressHi(boolean a) {
        return a ? aHi : bHi;
    }

    /** Low half of the canonical A ({@code a}) or B endpoint's address. */
    public long addressLo(boolean a) {
        return a ? aLo : bLo;
    }

    /**
     * Whether this key names the flow whose canonical fields are these (the same test as {@link #equals}): what a
     * table that stores keys unpacked in its records compares.
     */
    public boolean matches(long aHi, long aLo, long bHi, long bLo, long packed, int tunnel) {
        return this.aHi == aHi && this.aLo == aLo && this.bHi == bHi && this.bLo == bLo && packed() == packed
                && this.tunnel == tunnel;
    }

    /** Port A of a {@link #packed()} value. */
    public static int portA(long packed) {
        return (int) (packed & 0xffff);
    }

    /** Port B of a {@link #packed()} value. */
    public static int portB(long packed) {
        return (int) ((packed >>> 16) & 0xffff);
    }

    /** Address family (4 or 6) of a {@link #packed()} value. */
    public static int family(long packed) {
        return (int) ((packed >>> 40) & 0xf);
    }

    /** Both ports, the protocol, the family and the VLANs packed in one long (the layout {@link FlowKeySet} stores). */
    public long packed() {
        return (long) aPort | ((long) bPort << 16) | ((long) protocol << 32) | ((long) family << 40)
                | ((long) (vlan & 0xffffff) << 44);
    }

    /**
     * A hash that is the same for both directions of the flow (it is computed on the canonical order) and mixes
     * every field, so flows spread evenly over any number of workers.
     */
    public int symmetricHash() {
        long h = symmetricHash64();
        return (int) (h ^ (h >>> 32));
    }

    /**
     * The 64 bits {@link #symmetricHash()} folds to 32: for tables where two different flows with one hash must be
     * (practically) impossible, such as {@link FlowKeySet}.
     */
    public long symmetricHash64() {
        long h = mix(aHi ^ 0x9E3779B97F4A7C15L);
        h = mix(h ^ aLo);
        h = mix(h ^ bHi);
        h = mix(h ^ bLo);
        h = mix(h ^ packed());
        return tunnel == 0 ? h : mix(h ^ tunnel);
    }

    private static long mix(long z) {
        // SplitMix64's finaliser: a cheap, well-tested avalanche.
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof FlowKey)) {
            return false;
        }
        FlowKey k = (FlowKey) o;
        return aHi == k.aHi && aLo == k.aLo && bHi == k.bHi && bLo == k.bLo && packed() == k.packed()
                && tunnel == k.tunnel;
    }

    @Override
    public int hashCode() {
        return symmetricHash();
    }

    @Override
    public String toString() {
        return "FlowKey[proto=" + protocol + " " + endpoint(aHi, aLo, aPort) + " <-> " + endpoint(bHi, bLo, bPort)
                + (vlan != 0 ? " vlan=" + (vlan & 0xfff) : "")
                + (tunnel != 0 ? " tunnel=" + Integer.toHexString(tunnel) : "") + "]";
    }

    private String endpoint(long hi, long lo, int port) {
        if (family == 4) {
            return ((lo >>> 24) & 0xff) + "." + ((lo >>> 16) & 0xff) + "." + ((lo >>> 8) & 0xff) + "." + (lo & 0xff)
                    + ":" + port;
        }
        return "[" + Long.toHexString(hi) + ":" + Long.toHexString(lo) + "]:" + port;
    }
}
