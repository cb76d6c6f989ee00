package io.judo.cli;

import static io.judo.rewrite.flow.RewriteCounter.HOLDS;
import static io.judo.rewrite.flow.RewriteCounter.HOLDS_FLUSHED;
import static io.judo.rewrite.flow.RewriteCounter.OUT_OF_ORDER_DROPPED;
import static io.judo.rewrite.flow.RewriteCounter.REMAPS_APPLIED;
import static io.judo.rewrite.flow.RewriteCounter.REMAPS_REFUSED;
import static io.judo.rewrite.flow.RewriteCounter.REWRITES_APPLIED;
import static io.judo.rewrite.flow.RewriteCounter.REWRITES_SPANNING;
import static io.judo.rewrite.flow.RewriteCounter.SPLIT_DROPPED;
import static io.judo.rewrite.flow.RewriteCounter.TOS_APPLIED;
import static io.judo.rewrite.flow.RewriteCounter.TTL_APPLIED;
import static io.judo.rewrite.flow.RewriteCounter.TUNNELLED_UNCHANGED;

import io.judo.engine.output.JsonWriter;
import io.judo.engine.output.RewriteOutput;
import io.judo.engine.output.RewriteOutput.Count;

/** The summary line and {@code --json} object of a rewritten capture or link (all workers' outputs summed). */
final class RewriteReportText {
    private RewriteReportText() {
    }

    /** One summary line. */
    static String text(RewriteOutput.Report o, String verb) {
        long refusedTotal = o.count(Count.WRITTEN_UNCHANGED);
        StringBuilder sb = new StringBuilder(String.format("  %-9s %s: %,d packets (%,d rewritten, %,d dropped "
                + "or rejected left out), %,d replacements, %,d TOS set, %,d address remaps", verb, o.name(),
                o.count(Count.WRITTEN), o.count(Count.REWRITTEN), o.count(Count.DROPPED_OUT),
                o.rewrites(REWRITES_APPLIED), o.rewrites(TOS_APPLIED), o.rewrites(REMAPS_APPLIED)));
        if (o.rewrites(TTL_APPLIED) > 0) {
            sb.append(String.format(", %,d TTL set", o.rewrites(TTL_APPLIED)));
        }
        if (o.untranslated() > 0) {
            sb.append(String.format(" (%,d replies translated back)", o.untranslated()));
        }
        if (o.rewrites(REMAPS_REFUSED) > 0) {
            sb.append(String.format(" (%,d not made: address family differs)", o.rewrites(REMAPS_REFUSED)));
        }
        if (o.tcpResets() + o.unreachables() > 0) {
            sb.append(String.format(", %,d TCP resets and %,d ICMP unreachables sent for rejected packets",
                    o.tcpResets(), o.unreachables()));
        }
        if (o.count(Count.SPLIT_SEGMENTS) > 0) {
            sb.append(String.format(", %,d grown segments split into %,d to fit MTU %,d",
                    o.count(Count.SPLIT_SEGMENTS), o.count(Count.SPLIT_PIECES), o.mtu()));
        }
        if (o.count(Count.OVERSIZED_SEGMENTS) > 0) {
            sb.append(String.format(", %,d segments over the MTU as captured, split into %,d",
                    o.count(Count.OVERSIZED_SEGMENTS), o.count(Count.OVERSIZED_PIECES)));
        }
        if (o.rewrites(HOLDS) > 0) {
            sb.append(String.format(", %,d segment ends held back for a replace text cut by segmentation (%,d sent "
                    + "alone after %d ms)", o.rewrites(HOLDS), o.rewrites(HOLDS_FLUSHED),
                    io.judo.engine.detect.PolicyRewrites.HOLD_NANOS / 1_000_000));
        }
        if (o.rewrites(OUT_OF_ORDER_DROPPED) > 0) {
            sb.append(String.format(", %,d segments beyond a gap dropped to keep rewritten flows in order",
                    o.rewrites(OUT_OF_ORDER_DROPPED)));
        }
        if (o.rewrites(SPLIT_DROPPED) > 0) {
            sb.append(String.format(", %,d retransmissions starting inside an edit dropped",
                    o.rewrites(SPLIT_DROPPED)));
        }
        if (o.rewrites(REWRITES_SPANNING) > 0) {
            sb.append(String.format(", %,d occurrences spanning segments not replaced", o.rewrites(REWRITES_SPANNING)));
        }
        if (o.rewrites(TUNNELLED_UNCHANGED) > 0) {
            sb.append(String.format(", %,d packets inside tunnels sent unaltered", o.rewrites(TUNNELLED_UNCHANGED)));
        }
        if (refusedTotal > 0) {
            sb.append(String.format(", %,d packets written unchanged (snapped, or a retransmission cutting an "
                    + "edit)", refusedTotal));
        }
        if (o.count(Count.OTHER_LINK_TYPE) > 0) {
            sb.append(String.format(", %,d packets of another link type left out", o.count(Count.OTHER_LINK_TYPE)));
        }
        return sb.append('\n').toString();
    }

    /** What {@link #text} says, as the {@code verb} ("written", "sent") object of {@code scan --json}. */
    static void json(JsonWriter j, RewriteOutput.Report o, String verb) {
        long refusedTotal = o.count(Count.WRITTEN_UNCHANGED);
        j.name(verb).beginObject();
        j.name("file").value(o.name());
        j.name("packets").value(o.count(Count.WRITTEN));
        j.name("rewritten").value(o.count(Count.REWRITTEN));
        j.name("dropped_or_rejected_left_out").value(o.count(Count.DROPPED_OUT));
        j.name("replacements").value(o.rewrites(REWRITES_APPLIED));
        j.name("tos_set").value(o.rewrites(TOS_APPLIED));
        j.name("address_remaps").value(o.rewrites(REMAPS_APPLIED));
        j.name("ttl_set").value(o.rewrites(TTL_APPLIED));
        j.name("replies_translated_back").value(o.untranslated());
        j.name("remaps_refused_address_family").value(o.rewrites(REMAPS_REFUSED));
        j.name("reject_tcp_resets").value(o.tcpResets());
        j.name("reject_icmp_unreachables").value(o.unreachables());
        j.name("mtu").value(o.mtu());
        j.name("split_segments").value(o.count(Count.SPLIT_SEGMENTS));
        j.name("split_pieces").value(o.count(Count.SPLIT_PIECES));
        j.name("held_segment_ends").value(o.rewrites(HOLDS));
        j.name("held_sent_alone").value(o.rewrites(HOLDS_FLUSHED));
        j.name("hold_ms").value(io.judo.engine.detect.PolicyRewrites.HOLD_NANOS / 1_000_000);
        j.name("out_of_order_dropped").value(o.rewrites(OUT_OF_ORDER_DROPPED));
        j.name("retransmissions_inside_edit_dropped").value(o.rewrites(SPLIT_DROPPED));
        j.name("tunnelled_unaltered").value(o.rewrites(TUNNELLED_UNCHANGED));
        j.name("spanning_not_replaced").value(o.rewrites(REWRITES_SPANNING));
        j.name("written_unchanged").value(refusedTotal);
        j.name("other_link_type_left_out").value(o.count(Count.OTHER_LINK_TYPE));
        j.endObject();
    }

}
