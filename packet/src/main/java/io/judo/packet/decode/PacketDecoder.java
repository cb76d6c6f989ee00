package io.judo.packet.decode;

import io.judo.packet.capture.PacketRecord;
import java.nio.ByteBuffer;

/**
 * Decodes a frame, link layer to payload, into a {@link PacketView}: link encapsulations (VLAN, MPLS, PPPoE, PPP,
 * NSH) on the way, and tunnels (GRE, ERSPAN, IP-in-IP, VXLAN, Geneve, Teredo) down to the innermost packet.
 * Stateless apart from configuration and a few scratch fields; one instance per thread. Never throws on packet
 * bytes: every problem becomes a {@link Malformed} bit on the view.
 */
public final class PacketDecoder {
    private final boolean verifyChecksums;
    private final LinkDecoder link = new LinkDecoder();
    private final EncapsulationDecoder encapsulations;

    /** A decoder that verifies IPv4, TCP, UDP, ICMP and ICMPv6 checksums. */
    public PacketDecoder() {
        this(true);
    }

    /**
     * @param verifyChecksums false skips checksum verification (faster; captures from hosts with checksum offload
     *     otherwise show many bad checksums)
     */
    public PacketDecoder(boolean verifyChecksums) {
        this.verifyChecksums = verifyChecksums;
        TransportDecoder transport = new TransportDecoder(verifyChecksums);
        this.encapsulations = new EncapsulationDecoder(new IpDecoder(transport, verifyChecksums));
        transport.tunnels(encapsulations);
    }

    /** True when checksums are verified. */
    public boolean verifiesChecksums() {
        return verifyChecksums;
    }

    /** Decodes the record's frame into {@code view} and returns it. */
    public PacketView decode(PacketRecord record, PacketView view) {
        return decode(record.buffer(), record.offset(), record.capturedLength(), record.originalLength(),
                record.linkType(), view);
    }

    /**
     * Decodes a frame held in {@code buffer} (big-endian order) at {@code offset}.
     *
     * @return {@code view}, filled
     */
    public PacketView decode(ByteBuffer buffer, int offset, int capturedLength, int originalLength, int linkType,
                             PacketView view) {
        view.reset(buffer, offset, capturedLength, originalLength, linkType);
        int l3 = link.decode(view);
        if (l3 < 0) {
            return view;
        }
        encapsulations.network(view, view.etherType, l3, view.end);
        return view;
    }
}
