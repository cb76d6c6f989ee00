package io.judo.engine.detect;

import io.judo.packet.checksum.InternetChecksum;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;

/**
 * The header-only TCP packet a stream chunk is inspected with when no packet of its direction delivered it (a flow
 * ending, or one direction's bytes flushed by the other direction's acknowledgement, which on real traffic is most
 * chunks). Written in place into one reused frame and decoded into one reused view: building it through
 * {@code PacketBuilder} formatted and re-parsed both addresses (a regex and an {@code InetAddress} lookup) per chunk,
 * more than half the scan time on real captures. The bytes equal {@code PacketBuilder.ethernet().ipv4|ipv6(src,
 * dst).tcp(sport, dport).build()}: TTL 64, IPv4 id 1, flags ACK, window 65535, sequence numbers 0, good checksums.
 */
final class SyntheticHeader {
    private static final int ETHERNET = 14;
    private static final int TCP = 20;
    private static final byte[] MACS = {0x02, 0, 0, 0, 0, 0x02, 0x02, 0, 0, 0, 0, 0x01}; // destination, source

    private final byte[] frame = new byte[ETHERNET + 40 + TCP];
    private final ByteBuffer buffer = ByteBuffer.wrap(frame);
    private final PacketDecoder decoder = new PacketDecoder(false);
    private final PacketView view = new PacketView();
    /**
     * The flow and direction the frame was last built for: an acknowledgement flushes its peer's bytes chunk by chunk,
     * so the same header is asked for many times in a row, and building it (two checksums and a decode) was about a
     * tenth of a real capture's scan. Nothing writes into the frame or the view, so the last one stands.
     */
    private io.judo.reassembly.Flow lastFlow;
    private int lastDirection = -1;

    SyntheticHeader() {
        System.arraycopy(MACS, 0, frame, 0, MACS.length);
    }

    /** Decodes the header of a TCP segment from {@code src}:{@code sport} to {@code dst}:{@code dport} (4 or 16 bytes). */
    PacketView of(byte[] src, int sport, byte[] dst, int dport) {
        int n = src.length;
        lastFlow = null;
        buffer.put(sourceAt(n), src).put(sourceAt(n) + n, dst);
        return build(n, sport, dport);
    }

    /** The header of a segment of {@code f}'s direction {@code dir} (0: client to server), read from the flow's key. */
    PacketView of(io.judo.reassembly.Flow f, int dir) {
        if (f == lastFlow && dir == lastDirection) {
            return view;
        }
        lastFlow = f;
        lastDirection = dir;
        int n = f.addressLength();
        f.putAddress(dir == 0, buffer, sourceAt(n));
        f.putAddress(dir != 0, buffer, sourceAt(n) + n);
        return dir == 0 ? build(n, f.clientPort(), f.serverPort()) : build(n, f.serverPort(), f.clientPort());
    }

    /** Where the source address starts (the destination follows it). */
    private static int sourceAt(int addressLength) {
        return ETHERNET + (addressLength == 4 ? 12 : 8);
    }

    /** Writes every field but the addresses (already in place), the checksums, and decodes the frame. */
    private PacketView build(int n, int sport, int dport) {
        int l3 = ETHERNET;
        int ip = n == 4 ? 20 : 40;
        int l4 = l3 + ip;
        ByteBuffer b = buffer;
        if (n == 4) {
            b.putShort(12, (short) 0x0800);
            b.putInt(l3, 0x45000000 | (ip + TCP)); // version 4, 5 words, TOS 0, total length
            b.putInt(l3 + 4, 0x00010000); // id 1, no fragment bits
            b.putInt(l3 + 8, 0x40060000); // TTL 64, TCP, checksum below
            InternetChecksum.storeIpv4Header(b, l3, ip);
        } else {
            b.putShort(12, (short) 0x86dd);
            b.putInt(l3, 0x60000000);
            b.putInt(l3 + 4, (TCP << 16) | (6 << 8) | 64); // payload length, next header TCP, hop limit 64
        }
        b.putShort(l4, (short) sport).putShort(l4 + 2, (short) dport);
        b.putLong(l4 + 4, 0L); // sequence and acknowledgement numbers
        b.putInt(l4 + 12, 0x50100000 | 0xffff); // 5 words, ACK, window 65535
        b.putInt(l4 + 16, 0); // checksum (below), urgent pointer
        InternetChecksum.storeTransport(b, l4, TCP, 16, l3 + (n == 4 ? 12 : 8), l3 + (n == 4 ? 16 : 24), n, 6);
        int length = l4 + TCP;
        return decoder.decode(b, 0, length, length, LinkType.ETHERNET, view);
    }
}
