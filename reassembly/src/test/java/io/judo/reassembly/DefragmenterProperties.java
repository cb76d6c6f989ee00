package io.judo.reassembly;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A random datagram cut into random 8-byte-aligned fragments, shuffled, with duplicates and re-sent overlapping
 * pieces carrying the same bytes, comes back whole under every policy, in IPv4 and IPv6, with no different-data
 * overlap counted.
 */
class DefragmenterProperties {
    @Property(tries = 200)
    void randomFragmentationReassemblesExactly(@ForAll long seed) {
        Random r = new Random(seed);
        byte[] data = new byte[8 + r.nextInt(8000)];
        r.nextBytes(data);
        List<int[]> pieces = new ArrayList<>(); // [offset, length]
        int blocks = (data.length + 7) / 8;
        for (int b = 0; b < blocks; ) {
            int n = Math.min(blocks - b, 1 + r.nextInt(100));
            pieces.add(new int[] {b * 8, Math.min(n * 8, data.length - b * 8)});
            b += n;
        }
        int extra = r.nextInt(pieces.size() + 1);
        for (int i = 0; i < extra; i++) {
            int b = r.nextInt(blocks);
            int n = 1 + r.nextInt(Math.min(200, blocks - b));
            pieces.add(new int[] {b * 8, Math.min(n * 8, data.length - b * 8)}); // overlaps others, same bytes
        }
        Collections.shuffle(pieces, r);
        for (int version : new int[] {4, 6}) {
            for (DefragPolicy p : DefragPolicy.values()) {
                Defragmenter d = Defragmenter.defaults(p, new PacketDecoder());
                PacketDecoder decoder = new PacketDecoder();
                PacketView view = new PacketView();
                PacketView whole = null;
                for (int[] piece : pieces) {
                    boolean last = piece[0] + piece[1] == data.length;
                    PacketBuilder b = PacketBuilder.link(LinkType.RAW);
                    b = version == 4 ? b.ipv4("10.0.0.1", "10.0.0.2") : b.ipv6("fd00::1", "fd00::2");
                    // A piece that ends the datagram clears MF; a piece starting at 0 with MF clear would be whole.
                    byte[] frame = b.fragment(piece[0], !last || piece[0] == 0, 42)
                            .rawTransport(253, Arrays.copyOfRange(data, piece[0], piece[0] + piece[1])).build();
                    if (whole == null) {
                        whole = d.fragment(decoder.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length,
                                LinkType.RAW, view), 0);
                    }
                }
                String where = "seed " + seed + " IPv" + version + " " + p.text();
                if (pieces.stream().allMatch(x -> x[0] == 0 || x[0] + x[1] != data.length)) {
                    continue; // only pieces from 0 reach the end: the datagram was never fragmented at its end
                }
                assertNotNull(whole, where);
                int start = whole.l3Offset() + (version == 4 ? whole.ipHeaderLength() : 40);
                byte[] got = new byte[whole.l3End() - start];
                whole.buffer().get(start, got);
                assertArrayEquals(data, got, where);
                assertEquals(0, d.count(FragmentCount.OVERLAPS_DIFFERENT), where);
            }
        }
    }

    /**
     * One defragmenter over many datagrams in turn, large and small alternating, so each reuses the tracker (and its
     * arrays, uncleared but for the owners) a finished datagram left: every datagram, with a re-sent stretch across its
     * pieces, comes back whole, no different data is seen, and a half-received datagram holds as many bytes against
     * the memcap as it would in a new defragmenter.
     */
    @Property(tries = 60)
    void reusedTrackersReassembleEveryDatagramExactly(@ForAll long seed) {
        Random r = new Random(seed);
        PacketDecoder decoder = new PacketDecoder();
        PacketView view = new PacketView();
        for (DefragPolicy p : DefragPolicy.values()) {
            Defragmenter d = Defragmenter.defaults(p, new PacketDecoder());
            for (int id = 1; id <= 24; id++) {
                byte[] data = new byte[8 + r.nextInt(id % 2 == 0 ? 9000 : 300)];
                r.nextBytes(data);
                int version = r.nextBoolean() ? 4 : 6;
                List<byte[]> frames = new ArrayList<>();
                int blocks = (data.length + 7) / 8;
                for (int b = 0; b < blocks; ) {
                    int n = Math.min(blocks - b, 1 + r.nextInt(60));
                    frames.add(piece(version, id, data, b * 8, Math.min(n * 8, data.length - b * 8)));
                    b += n;
                }
                if (frames.size() < 2) {
                    continue; // one piece is not a fragment
                }
                Collections.shuffle(frames, r);
                // a re-sent stretch with the same bytes, across pieces (never the whole datagram)
                int b = r.nextInt(blocks - 1);
                int n = 1 + r.nextInt(Math.min(80, blocks - b - (b == 0 ? 1 : 0)));
                frames.add(r.nextInt(frames.size() + 1), piece(version, id, data, b * 8,
                        Math.min(n * 8, data.length - b * 8)));
                String where = "seed " + seed + " " + p.text() + " datagram " + id + " IPv" + version;
                Defragmenter fresh = Defragmenter.defaults(p, new PacketDecoder());
                byte[] first = frames.get(0);
                long leftover = d.heldBytes(); // re-sent pieces that came after their datagram was whole
                d.fragment(decoder.decode(ByteBuffer.wrap(first), 0, first.length, first.length, LinkType.RAW,
                        view), 0);
                fresh.fragment(decoder.decode(ByteBuffer.wrap(first), 0, first.length, first.length, LinkType.RAW,
                        view), 0);
                assertEquals(fresh.heldBytes(), d.heldBytes() - leftover,
                        where + ": bytes held after its first fragment");
                PacketView whole = null;
                for (byte[] frame : frames.subList(1, frames.size())) {
                    PacketView v = d.fragment(decoder.decode(ByteBuffer.wrap(frame), 0, frame.length, frame.length,
                            LinkType.RAW, view), 0);
                    if (v != null && whole == null) { // a re-sent piece after the end starts a datagram of its own
                        whole = v;
                        int start = whole.l3Offset() + (version == 4 ? whole.ipHeaderLength() : 40);
                        byte[] got = new byte[whole.l3End() - start];
                        whole.buffer().get(start, got);
                        assertArrayEquals(data, got, where);
                    }
                }
                assertNotNull(whole, where);
            }
            assertEquals(0, d.count(FragmentCount.OVERLAPS_DIFFERENT), p.text());
        }
    }

    /** A fragment of datagram {@code id}: {@code length} bytes of {@code data} at {@code at}. */
    private static byte[] piece(int version, int id, byte[] data, int at, int length) {
        PacketBuilder b = PacketBuilder.link(LinkType.RAW);
        b = version == 4 ? b.ipv4("10.0.0.1", "10.0.0.2") : b.ipv6("fd00::1", "fd00::2");
        return b.fragment(at, at + length < data.length, id)
                .rawTransport(253, Arrays.copyOfRange(data, at, at + length)).build();
    }
}
