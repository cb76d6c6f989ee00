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
    private final long[] counts = new long[Count.values().length];
    private final int mtu;

    /** What the output counts, one slot each: summed across workers for the summary ({@link Report}). */
    public enum Count {
        /** Packets written or sent. */
        WRITTEN,
        /** Of those, rewritten ones. */
        REWRITTEN,
        /** Dropped or rejected packets left out. */
        DROPPED_OUT,
        /** Packets written unchanged although edits applied: snapped, or a retransmission cutting an edit. */
        WRITTEN_UNCHANGED,
        /** Grown TCP segments split to fit the MTU, and their pieces. */
        SPLIT_SEGMENTS,
        SPLIT_PIECES,
        /** Rewritten segments whose IP packet was already larger than the MTU as captured, and their pieces. */
        OVERSIZED_SEGMENTS,
        OVERSIZED_PIECES,
        /** Packets of another link type than the output's, left out. */
        OTHER_LINK_TYPE
    }

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
        return capture(path.toString(), pcapFile(path), mtu);
    }

    /** Into a capture through {@code sink} (named {@code name} in messages), as {@link #open} does. */
    public static RewriteOutput capture(String name, FrameSink sink, int mtu) {
        return new RewriteOutput(name, sink, SegmentRewriter.forCapture(), mtu);
    }

    /** A pcap file at {@code path}, its link type taken from the first frame offered. */
    public static FrameSink pcapFile(Path path) {
        try {
            return new PcapSink(new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
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
            counts[Count.DROPPED_OUT.ordinal()]++;
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
            counts[Count.WRITTEN_UNCHANGED.ordinal()]++;
        }
        long time = policy.lastTime();
        try {
            if (!sink.accepts(arrived.linkType())) {
                counts[Count.OTHER_LINK_TYPE.ordinal()]++;
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
                    counts[Count.REWRITTEN.ordinal()]++;
                } else {
                    v.buffer().get(v.l3Offset(), frame, header, body);
                }
                sink.frame(time, frame, 0, header + body, header + body);
            } else if (length > 0) {
                counts[Count.REWRITTEN.ordinal()]++;
                int count = v.ipProtocol() == 6 ? rewriter.split(length, v, mtu) : 1;
                if (count > 1) {
                    for (int i = 0; i < count; i++) {
                        int n = rewriter.pieceLength(i);
                        sink.frame(time, rewriter.pieces(), rewriter.pieceOffset(i), n, n);
                    }
                    counts[Count.WRITTEN.ordinal()] += count;
                    // A segment that arrived over the MTU (captured before the NIC segmented it: TSO, GRO) did not
                    // need a replacement to be split: counted apart from the ones a replacement grew.
                    if (v.l3End() - v.l3Offset() > mtu) {
                        counts[Count.OVERSIZED_SEGMENTS.ordinal()]++;
                        counts[Count.OVERSIZED_PIECES.ordinal()] += count;
                    } else {
                        counts[Count.SPLIT_SEGMENTS.ordinal()]++;
                        counts[Count.SPLIT_PIECES.ordinal()] += count;
                    }
                    return;
                }
                sink.frame(time, rewriter.output(), 0, length, length);
            } else {
                sink.frame(time, v.buffer(), v.start(), v.capturedLength(), v.originalLength());
            }
            counts[Count.WRITTEN.ordinal()]++;
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
            counts[Count.WRITTEN.ordinal()]++;
        } catch (IOException e) {
            throw new OutputException(String.valueOf(name), e);
        }
    }

    /** Packets sent out or written. */
    public long written() {
        return counts[Count.WRITTEN.ordinal()];
    }

    private byte[] splice(int length) {
        if (spliced.length < length) {
            spliced = new byte[Math.max(length, spliced.length * 2)];
        }
        return spliced;
    }

    /** What this output and {@code policy}'s rewriting did, for the summary. */
    public Report report(Rewriting policy) {
        Report r = new Report(name, mtu);
        return r.add(this, policy);
    }

    /**
     * What one or several outputs (one per worker) did, summed: their counts, the rewriters' counters, the replies
     * translated back and the reject answers sent. Rendered by the command that ran them.
     */
    public static final class Report {
        private final String name;
        private final int mtu;
        private final long[] counts = new long[Count.values().length];
        private final io.judo.rewrite.flow.RewriteCounters rewrites = new io.judo.rewrite.flow.RewriteCounters();
        private long untranslated;
        private long tcpResets;
        private long unreachables;

        Report(String name, int mtu) {
            this.name = name;
            this.mtu = mtu;
        }

        /** Adds {@code out}'s counts and {@code policy}'s rewriting counters. */
        public Report add(RewriteOutput out, Rewriting policy) {
            for (int i = 0; i < counts.length; i++) {
                counts[i] += out.counts[i];
            }
            PolicyRewrites r = policy.rewrites();
            rewrites.add(r.counters());
            untranslated += r.replies().untranslated();
            tcpResets += out.reject.tcpResets();
            unreachables += out.reject.unreachables();
            return this;
        }

        public String name() {
            return name;
        }

        public int mtu() {
            return mtu;
        }

        public long count(Count c) {
            return counts[c.ordinal()];
        }

        public long rewrites(io.judo.rewrite.flow.RewriteCounter c) {
            return rewrites.get(c);
        }

        /** Replies of remapped flows translated back (inline). */
        public long untranslated() {
            return untranslated;
        }

        public long tcpResets() {
            return tcpResets;
        }

        public long unreachables() {
            return unreachables;
        }
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
