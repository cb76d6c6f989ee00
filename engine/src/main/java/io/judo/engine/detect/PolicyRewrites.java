package io.judo.engine.detect;

import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.TcpStream;
import io.judo.rewrite.DeltaMap;
import io.judo.rewrite.PayloadEdits;
import io.judo.rewrite.RemapTable;
import io.judo.rewrite.SegmentRewriter;
import io.judo.rewrite.flow.FlowRewrite;
import io.judo.rewrite.flow.FlowRewriter;
import io.judo.rewrite.flow.FrameSink;
import io.judo.rewrite.flow.HoldBack;
import io.judo.rewrite.flow.RewriteCounter;
import io.judo.rewrite.flow.RewriteCounters;
import io.judo.rules.ir.Content;
import io.judo.rules.judo.JudoRule;
import java.util.List;

/**
 * The rewriting half of a rule engine, an adapter from its rule actions to the {@code rewrite} module's
 * {@link FlowRewriter}: {@link EditKind}s become edit kind ids, the rule helpers' requests (edits of the stream found
 * and selected by their rule, nat-to / rdr-to, set tos / ttl) are passed on, and each packet is rewritten with its
 * flow's {@link FlowRewrite}, kept in a flow slot with the flow's ISNs brought up to date from flow tracking. One per
 * {@link PolicyEngine} (judo's replace, remaps, TOS) or {@link Detector} (Suricata's replace).
 */
public final class PolicyRewrites {
    /** The flow slot holding a flow's {@link FlowRewrite} (the engines keep their own state in slots 0 and 1). */
    /** See {@link HoldBack#HOLD_NANOS}. */
    public static final long HOLD_NANOS = HoldBack.HOLD_NANOS;
    /** See {@link HoldBack#HOLD_MAX_NANOS}. */
    public static final long HOLD_MAX_NANOS = HoldBack.HOLD_MAX_NANOS;
    /** {@link #rewriteInFlow} result: inline, a segment beyond a gap in a flow that may be rewritten; drop it. */
    public static final int OUT_OF_ORDER = FlowRewriter.OUT_OF_ORDER;

    /** Edit kinds by id (null where an id asks for none: a judo rule without replace). */
    private final EditKind[] kinds;
    private final FlowRewriter rewriter;

    /**
     * @param kinds the edit kinds by id (null entries allowed)
     * @param strings the program's string pool (remap addresses)
     */
    /** Where a flow keeps its rewriting state (a slot of the partition's flow path). */
    private final io.judo.reassembly.FlowSlot<FlowRewrite> slot;

    PolicyRewrites(List<EditKind> kinds, List<byte[]> strings, io.judo.reassembly.FlowSlot<FlowRewrite> slot) {
        this.slot = slot;
        this.kinds = kinds.toArray(EditKind[]::new);
        byte[][] olds = new byte[this.kinds.length][];
        byte[][] replacements = new byte[this.kinds.length][];
        for (int i = 0; i < olds.length; i++) {
            if (this.kinds[i] != null) {
                olds[i] = this.kinds[i].old();
                replacements[i] = this.kinds[i].replacement();
            }
        }
        this.rewriter = new FlowRewriter(olds, replacements, strings);
    }

    /** A new packet: forget the last one's requests. */
    void startPacket() {
        rewriter.startPacket();
    }

    /**
     * An occurrence of edit kind {@code rule}'s text at {@code streamOffset} of flow direction {@code dir}, in the
     * stream bytes this packet delivered.
     */
    void found(long streamOffset, int rule, int dir) {
        rewriter.found(streamOffset, rule, dir);
    }

    /**
     * An occurrence of edit kind {@code kind}'s text at {@code startInPayload} of TCP segment {@code packet}'s
     * payload, in direction {@code dir} of {@code flow}: recorded at its stream offset when the direction's ISN is
     * known. Returns false (nothing recorded) for a packet that is no TCP segment or whose direction has no ISN yet.
     */
    boolean foundInSegment(PacketView packet, Flow flow, int dir, long startInPayload, int kind) {
        TcpStream own = flow.stream(dir);
        if (packet.ipProtocol() != 6 || own == null || !own.hasIsn()) {
            return false;
        }
        rewriter.found(DeltaMap.offsetOf(packet.seq(), own.isn()) + startInPayload, kind, dir);
        return true;
    }

    /** Replace rule {@code rule}'s header selected this packet. */
    void selected(int rule) {
        rewriter.selected(rule);
    }

    /** {@code remap_addr}: which 0 for nat-to (source), 1 for rdr-to (destination); the address string's index. */
    void remapAddress(int which, int stringIndex) {
        rewriter.remapAddress(which, stringIndex);
    }

    /** {@code remap_port}. */
    void remapPort(int which, int port) {
        rewriter.remapPort(which, port);
    }

    /** Names of the program's strings, to tell which rule a remap came from. */
    void stringNames(List<String> names) {
        rewriter.stringNames(names);
    }

    /** {@code set_ttl}. */
    void ttl(int ttl) {
        rewriter.ttl(ttl);
    }

    /** {@code set_tos}. */
    void tos(int tos) {
        rewriter.tos(tos);
    }

    /**
     * Rewrites {@code packet} of {@code packetFlow} (or null) in {@code packetDirection}, going out of bridge port
     * {@code outPort} at {@code timeNanos}, with the flow's rewriting state, created at its first rewrite so plain
     * scans never pay for it; see {@link FlowRewriter#rewrite}.
     *
     * @return the rewritten frame's length in {@code rewriter.output()}, 0 when the packet goes out unchanged, or a
     *     negative {@link SegmentRewriter} result (or {@link #OUT_OF_ORDER}) when it cannot be rewritten
     */
    int rewriteInFlow(SegmentRewriter segments, PacketView packet, Flow packetFlow, int packetDirection, int outPort,
                      long timeNanos) {
        FlowRewrite state = null;
        if (packetFlow != null) {
            state = slot.get(packetFlow, FlowRewrite::new);
            isn(state, packetFlow, 0);
            isn(state, packetFlow, 1);
        }
        return rewriter.rewrite(segments, packet, state, packetDirection, outPort, timeNanos);
    }

    /** Brings direction {@code d}'s ISN in {@code state} up to date with flow tracking's. */
    private static void isn(FlowRewrite state, Flow flow, int d) {
        TcpStream stream = flow.stream(d);
        boolean known = stream != null && stream.hasIsn();
        state.direction(d).isn(known, known ? stream.isn() : 0);
    }

    /** Receives held bytes sent on their own by {@link #flushHeld}. */
    public interface HeldSink extends FrameSink {
    }

    /** See {@link FlowRewriter#flushHeld}. */
    public int flushHeld(long timeNanos, boolean all, SegmentRewriter segments, HeldSink out) {
        return rewriter.flushHeld(timeNanos, all, segments, out);
    }

    /** Inline: the way back for replies of remapped flows (see {@link RemapTable}). */
    public RemapTable replies() {
        return rewriter.replies();
    }

    /** Everything counted so far, one slot per {@link RewriteCounter} (the getters below read single slots). */
    public RewriteCounters counters() {
        return rewriter.counters();
    }

    /**
     * When the packet last rewritten fixed its flow's mapping: which halves ({@code 1} nat-to, {@code 2} rdr-to,
     * {@code 3} both); 0 otherwise.
     */
    public int lastMapping() {
        return rewriter.lastMapping();
    }

    /** The rule (index into the policy's rules) that fixed the mapping {@link #lastMapping} reports, or -1. */
    public int lastMappingRule() {
        return rewriter.lastMappingRule();
    }

    /** The flow state of the packet last rewritten: its mapping's addresses and ports. */
    public byte[] mappedNatAddress() {
        FlowRewrite s = rewriter.lastState();
        return s == null ? null : s.natAddress();
    }

    public int mappedNatPort() {
        FlowRewrite s = rewriter.lastState();
        return s == null ? -1 : s.natPort();
    }

    public byte[] mappedRdrAddress() {
        FlowRewrite s = rewriter.lastState();
        return s == null ? null : s.rdrAddress();
    }

    public int mappedRdrPort() {
        FlowRewrite s = rewriter.lastState();
        return s == null ? -1 : s.rdrPort();
    }

    /** Payload edits made in the packet last rewritten (0 when none). */
    public int lastEditCount() {
        return rewriter.lastEditCount();
    }

    /** The edits of the packet last rewritten (valid for {@link #lastEditCount} entries). */
    public PayloadEdits lastEdits() {
        return rewriter.lastEdits();
    }

    /** The kind (and so the rule) of edit {@code i} of the packet last rewritten. */
    public EditKind lastEditKind(int i) {
        return kinds[rewriter.lastEditKind(i)];
    }

    /** The stream offset (original stream) where edit {@code i} of the packet last rewritten starts. */
    public long lastEditStreamOffset(int i) {
        return rewriter.lastEditStreamOffset(i);
    }

    /** {@link RewriteCounter#REWRITES_APPLIED}. */
    public long rewritesApplied() {
        return counters().get(RewriteCounter.REWRITES_APPLIED);
    }

    /** {@link RewriteCounter#REWRITES_SPANNING}. */
    public long rewritesSpanning() {
        return counters().get(RewriteCounter.REWRITES_SPANNING);
    }

    /** {@link RewriteCounter#HOLDS}. */
    public long holds() {
        return counters().get(RewriteCounter.HOLDS);
    }

    /** {@link RewriteCounter#HOLDS_FLUSHED}. */
    public long holdsFlushed() {
        return counters().get(RewriteCounter.HOLDS_FLUSHED);
    }

    /** {@link RewriteCounter#OUT_OF_ORDER_DROPPED}. */
    public long outOfOrderDropped() {
        return counters().get(RewriteCounter.OUT_OF_ORDER_DROPPED);
    }

    /** {@link RewriteCounter#SPLIT_DROPPED}. */
    public long splitDropped() {
        return counters().get(RewriteCounter.SPLIT_DROPPED);
    }

    /** {@link RewriteCounter#REMAPS_APPLIED}. */
    public long remapsApplied() {
        return counters().get(RewriteCounter.REMAPS_APPLIED);
    }

    /** {@link RewriteCounter#REMAPS_REFUSED}. */
    public long remapsRefused() {
        return counters().get(RewriteCounter.REMAPS_REFUSED);
    }

    /** {@link RewriteCounter#TTL_APPLIED}. */
    public long ttlApplied() {
        return counters().get(RewriteCounter.TTL_APPLIED);
    }

    /** {@link RewriteCounter#TOS_APPLIED}. */
    public long tosApplied() {
        return counters().get(RewriteCounter.TOS_APPLIED);
    }

    /** The text a judo replace rule replaces (its chain's one content). */
    static byte[] replaced(JudoRule r) {
        return ((Content) r.chain().get(0)).bytes();
    }

    /** The edit kinds of a judo policy: kind id = rule index, null for rules without replace. */
    static List<EditKind> kindsOf(List<JudoRule> rules) {
        List<EditKind> kinds = new java.util.ArrayList<>();
        for (JudoRule r : rules) {
            kinds.add(r.replaceWith() == null ? null : new EditKind(replaced(r), r.replaceWith(), 0, r.line(), 0,
                    r.file() + ":" + r.line() + " " + r.text().trim()));
        }
        return kinds;
    }
}
