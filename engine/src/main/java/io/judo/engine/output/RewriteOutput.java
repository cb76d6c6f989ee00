package io.judo.engine.output;

import io.judo.engine.detect.PolicyEngine;
import io.judo.engine.detect.Rewriting;
import io.judo.engine.detect.PolicyRewrites;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.PacketView;
import io.judo.rewrite.SegmentRewriter;
import io.judo.vm.Verdict;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Packets as the policy leaves them, for {@code judo scan --write} (a capture) and {@code judo inline} (an
 * interface): passed packets go out with their rewrites applied (payload replacements with sequence, acknowledgement,
 * length and checksum fixups; a grown TCP segment split to fit the MTU); dropped and rejected ones are left out; a
 * fragment goes out as part of its reassembled datagram, when that is decided.
 */
public final class RewriteOutput implements AutoCloseable {
    private final String name;
    private final FrameSink sink;
    private final SegmentRewriter rewriter;
    private final io.judo.rewrite.RejectReply reject = new io.judo.rewrite.RejectReply();
    private byte[] spliced = new byte[2048];
    private long written;
    private long rewritten;
    private long droppedOut;
    private long otherLinkType;
    private final long[] refused = new long[8];

    private final int mtu;
    private long splitSegments;
    /** Rewritten segments whose IP packet was already larger than the MTU as captured, and their pieces. */
    private long oversizedSegments;
    private long oversizedPieces;
    private long pieces;

    private RewriteOutput(String name, FrameSink sink, SegmentRewriter rewriter, int mtu) {
        this.name = name;
        this.sink = sink;
        this.rewriter = rewriter;
        this.mtu = mtu;
    }

    /**
     * Into a capture file. {@code mtu}: the largest IP packet a rewritten TCP segment may become before it is split.
     * Acknowledgements move into the rewritten space, as if the capture had been taken behind the rewriter.
     */
    public static RewriteOutput open(Path path, int mtu) {
        try {
            OutputStream stream = new BufferedOutputStream(Files.newOutputStream(path), 1 << 16);
            return new RewriteOutput(path.toString(), new PcapSink(stream), SegmentRewriter.forCapture(), mtu);
        } catch (IOException e) {
            throw new OutputException(String.valueOf(path), e);
        }
    }

    /**
     * Onto a live link through {@code sink}: acknowledgements from the receiver of rewritten data are moved back into
     * the sender's original space.
     */
    public static RewriteOutput inline(String name, FrameSink sink, int mtu) {
        return new RewriteOutput(name, sink, SegmentRewriter.inline(), mtu);
    }

    /** A pcap file, its link type taken from the first frame. */
    private static final class PcapSink implements FrameSink {
        private final OutputStream stream;
        private PcapWriter writer;
        private int linkType = -1;

        PcapSink(OutputStream stream) {
            this.stream = stream;
        }

        @Override
        public boolean accepts(int type) {
            if (linkType < 0) {
                linkType = type;
            }
            return type == linkType;
        }

        private PcapWriter writer() throws IOException {
            if (writer == null) {
                writer = new PcapWriter(stream, linkType < 0 ? io.judo.packet.decode.LinkType.ETHERNET : linkType,
                        262_144, true);
            }
            return writer;
        }

        @Override
        public void frame(long time, byte[] bytes, int offset, int length, int originalLength) throws IOException {
            writer().write(time, bytes, offset, length, originalLength);
        }

        @Override
        public void frame(long time, ByteBuffer buffer, int offset, int length, int originalLength)
                throws IOException {
            writer().write(time, buffer, offset, length, originalLength);
        }

        @Override
        public void close() throws IOException {
            writer().close(); // nothing passed: still a valid, empty capture
        }
    }

    /**
     * The policy has decided a packet: write it as it leaves. {@code arrived} is the frame as read, which differs from
     * the decided packet for the fragment that completed a datagram.
     */
    public void packet(Rewriting policy, int verdict, PacketView arrived) {
        if (verdict == PolicyEngine.HELD) {
            return;
        }
        if (verdict != Verdict.PASS) {
            droppedOut++;
            if (verdict == Verdict.REJECT && sink.answersRejects()) {
                int n = reject.build(policy.lastPacket());
                if (n > 0) {
                    try {
                        sink.reply(reject.output(), n);
                    } catch (IOException e) {
                        throw new OutputException(String.valueOf(name), e);
                    }
                }
            }
            return;
        }
        PacketView v = policy.lastPacket();
        int length = policy.rewriteLast(rewriter, sink.port());
        if (length == SegmentRewriter.SPLIT_EDIT && rewriter.isInline()
                || length == io.judo.engine.detect.PolicyRewrites.OUT_OF_ORDER) {
            return; // the sender sends it again: from the receiver's acknowledgement (counted by the policy)
        }
        if (length < 0) {
            refused[Math.min(refused.length - 1, -length)]++;
        }
        long time = policy.lastTime();
        try {
            if (!sink.accepts(arrived.linkType())) {
                otherLinkType++;
                return;
            }
            if (v != arrived && v.linkType() != arrived.linkType()) {
                // a reassembled datagram (no link header): give it the link header of the fragment that completed it
                int header = arrived.l3Offset() - arrived.start();
                int l3 = v.l3Offset() - v.start();
                int body = (length > 0 ? length : v.capturedLength()) - l3;
                byte[] frame = splice(header + body);
                arrived.buffer().get(arrived.start(), frame, 0, header);
                if (length > 0) {
                    System.arraycopy(rewriter.output(), l3, frame, header, body);
                    rewritten++;
                } else {
                    v.buffer().get(v.l3Offset(), frame, header, body);
                }
                sink.frame(time, frame, 0, header + body, header + body);
            } else if (length > 0) {
                rewritten++;
                int count = v.ipProtocol() == 6 ? rewriter.split(length, v, mtu) : 1;
                if (count > 1) {
                    for (int i = 0; i < count; i++) {
                        int n = rewriter.pieceLength(i);
                        sink.frame(time, rewriter.pieces(), rewriter.pieceOffset(i), n, n);
                    }
                    written += count;
                    // A segment that arrived over the MTU (captured before the NIC segmented it: TSO, GRO) did not
                    // need a replacement to be split: counted apart from the ones a replacement grew.
                    if (v.l3End() - v.l3Offset() > mtu) {
                        oversizedSegments++;
                        oversizedPieces += count;
                    } else {
                        splitSegments++;
                        pieces += count;
                    }
                    return;
                }
                sink.frame(time, rewriter.output(), 0, length, length);
            } else {
                sink.frame(time, v.buffer(), v.start(), v.capturedLength(), v.originalLength());
            }
            written++;
        } catch (IOException e) {
            throw new OutputException(String.valueOf(name), e);
        }
    }

    /**
     * Inline: sends bytes held back at a segment's end that no next segment came to carry ({@code all}: every one,
     * at the end). Returns how many remain held.
     */
    public int flushHeld(Rewriting policy, long timeNanos, boolean all) {
        return policy.flushHeld(timeNanos, all, rewriter, heldSink);
    }

    private final io.judo.engine.detect.PolicyRewrites.HeldSink heldSink = this::sendHeld;

    private void sendHeld(int port, byte[] frame, int length) {
        try {
            sink.frameTo(port, frame, 0, length);
            written++;
        } catch (IOException e) {
            throw new OutputException(String.valueOf(name), e);
        }
    }

    /** Packets sent out or written. */
    public long written() {
        return written;
    }

    private byte[] splice(int length) {
        if (spliced.length < length) {
            spliced = new byte[Math.max(length, spliced.length * 2)];
        }
        return spliced;
    }

    /** One summary line. */
    public String summary(Rewriting policy, String verb) {
        PolicyRewrites r = policy.rewrites();
        long refusedTotal = 0;
        for (long n : refused) {
            refusedTotal += n;
        }
        StringBuilder sb = new StringBuilder(String.format("  %-9s %s: %,d packets (%,d rewritten, %,d dropped "
                + "or rejected left out), %,d replacements, %,d TOS set, %,d address remaps", verb, name, written,
                rewritten, droppedOut, r.rewritesApplied(), r.tosApplied(), r.remapsApplied()));
        if (r.ttlApplied() > 0) {
            sb.append(String.format(", %,d TTL set", r.ttlApplied()));
        }
        if (r.replies().untranslated() > 0) {
            sb.append(String.format(" (%,d replies translated back)", r.replies().untranslated()));
        }
        if (r.remapsRefused() > 0) {
            sb.append(String.format(" (%,d not made: address family differs)", r.remapsRefused()));
        }
        if (reject.tcpResets() + reject.unreachables() > 0) {
            sb.append(String.format(", %,d TCP resets and %,d ICMP unreachables sent for rejected packets",
                    reject.tcpResets(), reject.unreachables()));
        }
        if (splitSegments > 0) {
            sb.append(String.format(", %,d grown segments split into %,d to fit MTU %,d", splitSegments, pieces, mtu));
        }
        if (oversizedSegments > 0) {
            sb.append(String.format(", %,d segments over the MTU as captured, split into %,d", oversizedSegments,
                    oversizedPieces));
        }
        if (r.holds() > 0) {
            sb.append(String.format(", %,d segment ends held back for a replace text cut by segmentation (%,d sent "
                    + "alone after %d ms)", r.holds(), r.holdsFlushed(), PolicyRewrites.HOLD_NANOS / 1_000_000));
        }
        if (r.outOfOrderDropped() > 0) {
            sb.append(String.format(", %,d segments beyond a gap dropped to keep rewritten flows in order",
                    r.outOfOrderDropped()));
        }
        if (r.splitDropped() > 0) {
            sb.append(String.format(", %,d retransmissions starting inside an edit dropped", r.splitDropped()));
        }
        if (r.rewritesSpanning() > 0) {
            sb.append(String.format(", %,d occurrences spanning segments not replaced", r.rewritesSpanning()));
        }
        if (refusedTotal > 0) {
            sb.append(String.format(", %,d packets written unchanged (snapped, or a retransmission cutting an "
                    + "edit)", refusedTotal));
        }
        if (otherLinkType > 0) {
            sb.append(String.format(", %,d packets of another link type left out", otherLinkType));
        }
        return sb.append('\n').toString();
    }

    /** What {@link #summary} says, as the {@code verb} ("written", "sent") object of {@code scan --json}. */
    public void json(JsonWriter j, Rewriting policy, String verb) {
        PolicyRewrites r = policy.rewrites();
        long refusedTotal = 0;
        for (long n : refused) {
            refusedTotal += n;
        }
        j.name(verb).beginObject();
        j.name("file").value(name);
        j.name("packets").value(written);
        j.name("rewritten").value(rewritten);
        j.name("dropped_or_rejected_left_out").value(droppedOut);
        j.name("replacements").value(r.rewritesApplied());
        j.name("tos_set").value(r.tosApplied());
        j.name("address_remaps").value(r.remapsApplied());
        j.name("ttl_set").value(r.ttlApplied());
        j.name("replies_translated_back").value(r.replies().untranslated());
        j.name("remaps_refused_address_family").value(r.remapsRefused());
        j.name("reject_tcp_resets").value(reject.tcpResets());
        j.name("reject_icmp_unreachables").value(reject.unreachables());
        j.name("mtu").value(mtu);
        j.name("split_segments").value(splitSegments);
        j.name("split_pieces").value(pieces);
        j.name("held_segment_ends").value(r.holds());
        j.name("held_sent_alone").value(r.holdsFlushed());
        j.name("hold_ms").value(PolicyRewrites.HOLD_NANOS / 1_000_000);
        j.name("out_of_order_dropped").value(r.outOfOrderDropped());
        j.name("retransmissions_inside_edit_dropped").value(r.splitDropped());
        j.name("spanning_not_replaced").value(r.rewritesSpanning());
        j.name("written_unchanged").value(refusedTotal);
        j.name("other_link_type_left_out").value(otherLinkType);
        j.endObject();
    }

    @Override
    public void close() {
        try {
            sink.close();
        } catch (IOException e) {
            throw new OutputException(String.valueOf(name), e);
        }
    }
}
