package io.judo.cli;

import io.judo.engine.detect.PolicyEngine;
import io.judo.engine.detect.PolicyRewrites;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.PacketView;
import io.judo.rewrite.SegmentRewriter;
import io.judo.vm.Verdict;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code judo scan --write OUT.pcap}: the capture as the policy leaves it. Passed packets are written with their
 * rewrites applied (payload replacements with sequence, acknowledgement, length and checksum fixups); dropped and
 * rejected ones are left out; a fragment goes out as part of its reassembled datagram, when that is decided.
 */
final class RewriteOutput implements AutoCloseable {
    private final Path path;
    private final OutputStream stream;
    private final SegmentRewriter rewriter = SegmentRewriter.forCapture();
    private byte[] spliced = new byte[2048];
    private PcapWriter writer;
    private int linkType = -1;
    private long written;
    private long rewritten;
    private long droppedOut;
    private long otherLinkType;
    private final long[] refused = new long[8];

    private final int mtu;
    private long splitSegments;
    private long pieces;

    private RewriteOutput(Path path, OutputStream stream, int mtu) {
        this.path = path;
        this.stream = stream;
        this.mtu = mtu;
    }

    /** {@code mtu}: the largest IP packet a rewritten TCP segment may become before it is split. */
    static RewriteOutput open(Path path, int mtu) {
        try {
            return new RewriteOutput(path, new BufferedOutputStream(Files.newOutputStream(path), 1 << 16), mtu);
        } catch (IOException e) {
            throw new UserError(path + ": " + RuleOptions.describe(e));
        }
    }

    /**
     * The policy has decided a packet: write it as it leaves. {@code arrived} is the frame as read, which differs from
     * the decided packet for the fragment that completed a datagram.
     */
    void packet(PolicyEngine policy, int verdict, PacketView arrived) {
        if (verdict == PolicyEngine.HELD) {
            return;
        }
        if (verdict != Verdict.PASS) {
            droppedOut++;
            return;
        }
        PacketView v = policy.lastPacket();
        int length = policy.rewriteLast(rewriter);
        if (length < 0) {
            refused[Math.min(refused.length - 1, -length)]++;
        }
        long time = policy.lastTime();
        try {
            if (writer == null) {
                linkType = arrived.linkType();
                writer = new PcapWriter(stream, linkType, 262_144, true);
            } else if (arrived.linkType() != linkType) {
                otherLinkType++; // a pcap file has one link type
                return;
            }
            if (v != arrived && v.linkType() != linkType) {
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
                writer.write(time, frame, 0, header + body, header + body);
            } else if (length > 0) {
                rewritten++;
                int count = v.ipProtocol() == 6 ? rewriter.split(length, v, mtu) : 1;
                if (count > 1) {
                    for (int i = 0; i < count; i++) {
                        int n = rewriter.pieceLength(i);
                        writer.write(time, rewriter.pieces(), rewriter.pieceOffset(i), n, n);
                    }
                    written += count;
                    splitSegments++;
                    pieces += count;
                    return;
                }
                writer.write(time, rewriter.output(), 0, length, length);
            } else {
                writer.write(time, v.buffer(), v.start(), v.capturedLength(), v.originalLength());
            }
            written++;
        } catch (IOException e) {
            throw new UserError(path + ": " + RuleOptions.describe(e));
        }
    }

    private byte[] splice(int length) {
        if (spliced.length < length) {
            spliced = new byte[Math.max(length, spliced.length * 2)];
        }
        return spliced;
    }

    /** One summary line. */
    String summary(PolicyEngine policy) {
        PolicyRewrites r = policy.rewrites();
        long refusedTotal = 0;
        for (long n : refused) {
            refusedTotal += n;
        }
        StringBuilder sb = new StringBuilder(String.format("  written   %s: %,d packets (%,d rewritten, %,d dropped "
                + "or rejected left out), %,d replacements, %,d TOS set, %,d address remaps", path, written,
                rewritten, droppedOut, r.rewritesApplied(), r.tosApplied(), r.remapsApplied()));
        if (r.remapsRefused() > 0) {
            sb.append(String.format(" (%,d not made: address family differs)", r.remapsRefused()));
        }
        if (splitSegments > 0) {
            sb.append(String.format(", %,d grown segments split into %,d to fit MTU %,d", splitSegments, pieces, mtu));
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

    @Override
    public void close() {
        try {
            if (writer == null) { // nothing passed: still a valid, empty capture
                writer = new PcapWriter(stream, io.judo.packet.decode.LinkType.ETHERNET, 262_144, true);
            }
            writer.close();
        } catch (IOException e) {
            throw new UserError(path + ": " + RuleOptions.describe(e));
        }
    }
}
