package io.judo.cli;

import io.judo.engine.detect.PolicyEngine;
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
    private byte[] copy = new byte[2048];
    private PcapWriter writer;
    private int linkType = -1;
    private long written;
    private long rewritten;
    private long droppedOut;
    private long otherLinkType;
    private final long[] refused = new long[8];

    private RewriteOutput(Path path, OutputStream stream) {
        this.path = path;
        this.stream = stream;
    }

    static RewriteOutput open(Path path) {
        try {
            return new RewriteOutput(path, new BufferedOutputStream(Files.newOutputStream(path), 1 << 16));
        } catch (IOException e) {
            throw new UserError(path + ": " + RuleOptions.describe(e));
        }
    }

    /** The policy has decided a packet: write it as it leaves. */
    void packet(PolicyEngine policy, int verdict) {
        if (verdict == PolicyEngine.HELD) {
            return;
        }
        if (verdict != Verdict.PASS) {
            droppedOut++;
            return;
        }
        PacketView v = policy.lastPacket();
        int length = policy.rewriteLast(rewriter);
        try {
            if (writer == null) {
                linkType = v.linkType();
                writer = new PcapWriter(stream, linkType, 262_144, true);
            } else if (v.linkType() != linkType) {
                otherLinkType++; // a pcap file has one link type
                return;
            }
            long time = policy.lastTime();
            if (length > 0) {
                writer.write(time, rewriter.output(), 0, length, length);
                rewritten++;
            } else {
                if (length < 0) {
                    refused[Math.min(refused.length - 1, -length)]++;
                }
                int captured = v.capturedLength();
                if (copy.length < captured) {
                    copy = new byte[Math.max(captured, copy.length * 2)];
                }
                v.buffer().get(v.start(), copy, 0, captured);
                writer.write(time, copy, 0, captured, v.originalLength());
            }
            written++;
        } catch (IOException e) {
            throw new UserError(path + ": " + RuleOptions.describe(e));
        }
    }

    /** One summary line. */
    String summary(PolicyEngine policy) {
        long refusedTotal = 0;
        for (long r : refused) {
            refusedTotal += r;
        }
        StringBuilder sb = new StringBuilder(String.format("  written   %s: %,d packets (%,d rewritten, %,d dropped "
                + "or rejected left out), %,d replacements, %,d TOS set, %,d address remaps", path, written,
                rewritten, droppedOut, policy.rewritesApplied(), policy.tosApplied(), policy.remapsApplied()));
        if (policy.remapsRefused() > 0) {
            sb.append(String.format(" (%,d not made: address family differs)", policy.remapsRefused()));
        }
        if (policy.rewritesSpanning() > 0) {
            sb.append(String.format(", %,d occurrences spanning segments not replaced", policy.rewritesSpanning()));
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
