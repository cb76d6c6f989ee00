package io.judo.packet.decode;

import io.judo.packet.capture.PacketRecord;
import java.nio.ByteBuffer;

/**
 * Decodes a frame, link layer to payload, into a {@link PacketView}. Stateless apart from configuration and a few
 * scratch fields; one instance per thread. Never throws on packet bytes: every problem becomes a {@link Malformed}
 * bit on the view.
 */
public final class PacketDecoder {
    private final boolean verifyChecksums;
    private final LinkDecoder link = new LinkDecoder();
    private final IpDecoder ip;

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
        this.ip = new IpDecoder(new TransportDecoder(verifyChecksums), verifyChecksums);
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
        switch (view.etherType) {
            case EtherType.IPV4:
                ip.decodeIpv4(view, l3, view.end);
                break;
            case EtherType.IPV6:
                ip.decodeIpv6(view, l3, view.end);
                break;
            case EtherType.ARP:
                view.saw(Protocol.ARP);
                break;
            default:
                view.saw(Protocol.OTHER_L3);
        }
        return view;
    }
}
