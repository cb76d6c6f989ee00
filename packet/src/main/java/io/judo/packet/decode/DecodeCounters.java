package io.judo.packet.decode;

/**
 * Per-protocol and per-reason packet counts. {@link #count(PacketView)} is allocation-free; one instance per thread,
 * merged for reports.
 */
public final class DecodeCounters {
    private final long[] protocols = new long[Protocol.values().length];
    private final long[] malformed = new long[Malformed.all().length];
    private long packets;
    private long bytes;
    private long wireBytes;
    private long malformedPackets;

    /** Counts one decoded packet. */
    public void count(PacketView v) {
        packets++;
        bytes += v.capturedLength();
        wireBytes += v.originalLength();
        int p = v.protocols;
        while (p != 0) {
            int bit = Integer.numberOfTrailingZeros(p);
            protocols[bit]++;
            p &= p - 1;
        }
        long m = v.problems;
        if (m != 0) {
            malformedPackets++;
            while (m != 0) {
                int bit = Long.numberOfTrailingZeros(m);
                malformed[bit]++;
                m &= m - 1;
            }
        }
    }

    /** Adds another counter set into this one. */
    public void add(DecodeCounters other) {
        packets += other.packets;
        bytes += other.bytes;
        wireBytes += other.wireBytes;
        malformedPackets += other.malformedPackets;
        for (int i = 0; i < protocols.length; i++) {
            protocols[i] += other.protocols[i];
        }
        for (int i = 0; i < malformed.length; i++) {
            malformed[i] += other.malformed[i];
        }
    }

    /** Packets counted. */
    public long packets() {
        return packets;
    }

    /** Captured bytes counted. */
    public long bytes() {
        return bytes;
    }

    /** Bytes on the wire (original lengths). */
    public long wireBytes() {
        return wireBytes;
    }

    /** Packets with at least one {@link Malformed} reason. */
    public long malformedPackets() {
        return malformedPackets;
    }

    /** Packets containing the protocol. */
    public long count(Protocol protocol) {
        return protocols[protocol.ordinal()];
    }

    /** Packets showing the reason. */
    public long count(Malformed reason) {
        return malformed[reason.ordinal()];
    }
}
