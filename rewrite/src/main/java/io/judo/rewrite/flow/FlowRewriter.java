package io.judo.rewrite.flow;

import io.judo.packet.decode.PacketView;
import io.judo.rewrite.DeltaMap;
import io.judo.rewrite.PayloadEdits;
import io.judo.rewrite.RemapTable;
import io.judo.rewrite.SegmentRequest;
import io.judo.rewrite.SegmentRewriter;
import java.util.List;

/**
 * Rewrites the packets a rule engine decided as its rules asked: the occurrences of edit texts they selected (edit
 * kinds by id, each an old text and its replacement of any length), nat-to / rdr-to, TTL and TOS. One per rule
 * engine (not thread-safe); per packet the engine calls {@link #startPacket}, reports what its rules asked
 * ({@link #found}, {@link #selected}, {@link #remapAddress}...), then {@link #rewrite}s the packet with its flow's
 * {@link FlowRewrite}. Allocates nothing per packet once its arrays have grown.
 */
public final class FlowRewriter {
    /** {@link #rewrite} result: inline, a segment beyond a gap in a flow that may be rewritten; drop it. */
    public static final int OUT_OF_ORDER = -6;

    private static final int TCP_FIN = 0x01;
    private static final int TCP_SYN = 0x02;

    private final RewriteCounters counters = new RewriteCounters();
    private final EditCollector collector;
    private final HoldBack holdBack;
    private final Remapper remapper;
    private final SegmentRequest request = new SegmentRequest();
    /** Stand-ins for original bytes of an edited span that a segment does not carry (all replaced). */
    private byte[] placeholders = new byte[64];
    /** The TOS / TTL a rule gave this packet, or -1. */
    private int tos = -1;
    private int ttl = -1;
    /** The edits made in the packet last rewritten: count, and the stream offset their offsets count from. */
    private int lastEditCount;
    private long lastPayloadAt;
    /** The flow state of the packet last rewritten (null: no flow). */
    private FlowRewrite lastState;

    /**
     * @param olds the text each edit kind replaces, by kind id (null: the id asks for no edit)
     * @param replacements each kind's replacement (null where {@code olds} is)
     * @param strings the rule program's string pool (remap addresses)
     */
    public FlowRewriter(byte[][] olds, byte[][] replacements, List<byte[]> strings) {
        this.collector = new EditCollector(olds, replacements, counters);
        this.holdBack = new HoldBack(java.util.Arrays.stream(olds).filter(t -> t != null).toArray(byte[][]::new),
                counters);
        this.remapper = new Remapper(strings, counters);
    }

    /** A new packet: forget the last one's requests. */
    public void startPacket() {
        collector.startPacket();
        lastEditCount = 0;
        tos = -1;
        ttl = -1;
        remapper.startPacket();
    }

    /**
     * An occurrence of edit kind {@code kind}'s text at {@code streamOffset} of flow direction {@code direction}, in
     * the stream bytes this packet delivered.
     */
    public void found(long streamOffset, int kind, int direction) {
        collector.found(streamOffset, kind, direction);
    }

    /** A rule of edit kind {@code kind} selected this packet: its occurrences are edited. */
    public void selected(int kind) {
        collector.selected(kind);
    }

    /** nat-to ({@code which} 0, the source) or rdr-to (1, the destination): the address string's index. */
    public void remapAddress(int which, int stringIndex) {
        remapper.address(which, stringIndex);
    }

    /** The port of a nat-to ({@code which} 0) or rdr-to (1). */
    public void remapPort(int which, int port) {
        remapper.port(which, port);
    }

    /** Names of the program's strings ("natN" / "rdrN" name rule N's remap), to tell which rule a remap came from. */
    public void stringNames(List<String> names) {
        remapper.stringNames(names);
    }

    /** The TTL / hop limit to write. */
    public void ttl(int ttl) {
        this.ttl = ttl & 0xff;
    }

    /** The TOS / traffic class to write. */
    public void tos(int tos) {
        this.tos = tos & 0xff;
    }

    /**
     * Rewrites {@code packet} (in {@code direction} of the flow whose state is {@code state}, null for none; going
     * out of bridge port {@code outPort} at {@code timeNanos}): the occurrences of edit texts its rules selected are
     * replaced, those this segment carries whole; inline, the end of a segment that begins a text is held back for
     * the next one ({@link HoldBack}; {@link #flushHeld} sends it when none comes), and occurrences found ahead wait
     * as pending edits; edits already made to the data it carries (a retransmission) are made again; its sequence,
     * acknowledgement and SACK numbers follow the flow's earlier edits; TOS, TTL and remaps are applied. The state's
     * ISNs must be current ({@link DirectionState#isn(boolean, long)}).
     *
     * @return the rewritten frame's length in {@code rewriter.output()}, 0 when the packet goes out unchanged, or a
     *     negative {@link SegmentRewriter} result (or {@link #OUT_OF_ORDER}) when it cannot be rewritten
     */
    public int rewrite(SegmentRewriter rewriter, PacketView packet, FlowRewrite state, int direction, int outPort,
                       long timeNanos) {
        lastState = state;
        if (packet.tunnelDepth() > 0) {
            // Every outer header's length and checksum (IP, UDP, GRE) would have to follow a change to the inner
            // packet: inside a tunnel Judo inspects, and sends the packet as it came.
            if (tos >= 0 || ttl >= 0 || collector.anySelected() || remapper.asked()) {
                counters.increment(RewriteCounter.TUNNELLED_UNCHANGED);
            }
            return 0;
        }
        int length = packet.ipProtocol() == 6 && state != null
                ? rewriteSegment(rewriter, packet, state, direction, outPort, timeNanos) : 0;
        boolean ip = packet.ipVersion() == 4 || packet.ipVersion() == 6;
        if (tos >= 0 && length >= 0 && ip) {
            if (length == 0) {
                length = rewriter.copy(packet);
            }
            if (length > 0) {
                rewriter.setTos(packet.l3Offset() - packet.start(), packet.ipVersion(), packet.ipHeaderLength(), tos);
                counters.increment(RewriteCounter.TOS_APPLIED);
            }
        }
        if (ttl >= 0 && length >= 0 && ip) {
            if (length == 0) {
                length = rewriter.copy(packet);
            }
            if (length > 0) {
                rewriter.setTtl(packet.l3Offset() - packet.start(), packet.ipVersion(), packet.ipHeaderLength(), ttl);
                counters.increment(RewriteCounter.TTL_APPLIED);
            }
        }
        return remapper.apply(rewriter, packet, state, direction, length);
    }

    /** {@link #rewrite} for a TCP segment of a tracked flow: payload edits and sequence-space moves. */
    private int rewriteSegment(SegmentRewriter rewriter, PacketView current, FlowRewrite s, int direction, int port,
                               long now) {
        lastEditCount = 0;
        DirectionState own = s.direction(direction);
        DirectionState other = s.direction(1 - direction);
        boolean inline = rewriter.isInline();
        boolean ownKnown = own.isnKnown;
        collector.clearEdits();
        int editCount = 0;
        int payloadLength = current.payloadLength();
        long payloadAt = ownKnown ? own.streamOffset(current.seq()) : 0;
        boolean data = ownKnown && payloadLength > 0 && (current.tcpFlags() & TCP_SYN) == 0; // stream bytes, no SYN
        int longestText = holdBack.longestText();
        boolean holding = data && longestText > 1;
        if (data) {
            own.seen = Math.max(own.seen, payloadAt + payloadLength);
        }
        if (inline) {
            receiverSaid(current, own, other, now);
        }
        if (inline && data && longestText > 0 && payloadAt > own.front) {
            // inline, a flow that may be rewritten goes out in order: a segment beyond a gap would leave before
            // occurrences in it can be found (reassembly delivers it when the gap fills); the sender sends it again.
            // What reassembly found with it (bytes it delivered now) waits for the segments that carry it out.
            collector.defer(own, direction);
            counters.increment(RewriteCounter.OUT_OF_ORDER_DROPPED);
            return OUT_OF_ORDER;
        }
        HeldBytes h = holding ? own.held : null;
        int prefixLength = 0;
        int to = payloadLength;
        if (h != null && h.length > 0) {
            if (payloadAt == h.to()) {
                prefixLength = h.length; // the next segment: the held bytes go out in front of it
            } else if (payloadAt < h.to() && payloadAt + payloadLength > h.from) {
                if (payloadAt >= h.from || payloadAt + payloadLength >= h.to()) {
                    h.release(); // a retransmission carrying the held bytes: they go out in it
                } else {
                    to = (int) (h.from - payloadAt); // an earlier segment again: still without the held bytes
                }
            }
        }
        // inline, a segment starting inside an edited span (the sender resends from an acknowledgement that fell
        // inside a replacement, split over frames) starts at the span instead: the whole replacement goes out again,
        // the span's original bytes before the segment stood in for by placeholders
        int lead = 0;
        DeltaMap made = own.deltas;
        if (inline && data && prefixLength == 0 && made != null) {
            int e = made.editAround(payloadAt);
            if (e >= 0) {
                lead = (int) (payloadAt - made.start(e));
            }
        }
        long sendAt = payloadAt - prefixLength - lead;
        int sendLength = prefixLength + lead + to;
        int trail = 0;
        long editsEnd = sendAt;
        // pending occurrences count too: they may be all a flow has when every segment so far lay beyond a gap
        if (ownKnown && sendLength > 0 && (collector.foundCount() > 0 || made != null || own.pendingCount > 0)) {
            editCount = collector.collect(own, direction, sendAt, sendLength, inline);
            editsEnd = collector.editsEnd();
            long extendTo = collector.extendTo();
            if (extendTo > sendAt + sendLength) {
                trail = (int) (extendTo - sendAt - sendLength);
                sendLength += trail;
            }
        }
        int k = 0;
        int through = to; // this segment's bytes up to here go out now or are held to go out next
        if (holding && trail == 0 && (current.tcpFlags() & TCP_FIN) == 0 && to == payloadLength
                && payloadAt + to >= own.front) {
            k = lead > 0 ? holdBack.holdable(h, current, 0, (int) Math.max(editsEnd - payloadAt, 0), to)
                    : holdBack.holdable(h, current, prefixLength, (int) Math.max(editsEnd - sendAt, 0), sendLength);
        }
        if (data) {
            // what goes out now or is held; a segment cut short before an edited span leaves its rest to come again
            own.front = Math.max(own.front, payloadAt + through);
        }
        int prefixSent = prefixLength;
        if (k > to) {
            prefixSent -= k - to; // the held suffix reaches into the bytes held before: they wait again
            to = 0;
        } else {
            to -= k;
        }
        if (editCount > 0 || k > 0) {
            own.deltasForEdits(); // a hold needs one too: the other direction's acks pass through it (limitAcks below)
        }
        DeltaMap ownMap = ownKnown ? own.deltas : null;
        DeltaMap otherMap = other.isnKnown ? other.deltas : null;
        boolean reshaped = prefixLength > 0 || lead > 0 || trail > 0 || to < payloadLength;
        if (ownMap == null && otherMap == null && !reshaped) {
            return 0;
        }
        request.clear();
        HeldBytes otherHeld = other.held;
        if (!inline && otherMap != null && otherHeld != null && otherHeld.length > 0) {
            // a capture: the recorded receiver acknowledged bytes still held back here; it must not be seen to
            request.limitAcks(other.seqAt(otherHeld.from));
        }
        request.prefix(prefixLength > 0 ? h.bytes : lead > 0 ? placeholders(lead) : null, 0, prefixSent + lead)
                .payload(0, to).suffix(trail).edits(collector.edits(), collector.editKinds())
                .own(ownMap, ownKnown ? own.isn : 0).other(otherMap, otherMap == null ? 0 : other.isn);
        int length = rewriter.rewrite(current, request);
        if (k > 0) {
            if (h == null) {
                h = new HeldBytes();
                own.held = h;
            }
            holdBack.hold(h, own, other, current, sendAt + sendLength - k, k, port, now); // may take held bytes
        } else if (prefixLength > 0) {
            h.release();
        }
        if (length > 0) {
            counters.add(RewriteCounter.REWRITES_APPLIED, editCount);
            lastEditCount = editCount;
            lastPayloadAt = sendAt;
        }
        if (length == SegmentRewriter.SPLIT_EDIT && inline) {
            counters.increment(RewriteCounter.SPLIT_DROPPED);
        }
        return length;
    }

    /**
     * Inline: what the packet's sender, as the receiver of the other direction, says of it (its acknowledgement and
     * window), for {@link #flushHeld}; and the window scale a SYN announces.
     */
    private static void receiverSaid(PacketView current, DirectionState own, DirectionState other, long now) {
        int flags = current.tcpFlags();
        if ((flags & TCP_SYN) != 0) {
            own.scale = Math.max(0, current.windowScale());
            return; // a SYN's window is never scaled
        }
        if ((flags & 0x10) == 0 || !other.isnKnown) {
            return;
        }
        long at = other.streamOffset(current.ack());
        int shift = own.scale >= 0 && other.scale >= 0 ? Math.min(14, own.scale) : 0;
        long window = (long) current.window() << shift;
        if (at > other.acked || at == other.acked && window > other.window || other.ackMoved == 0) {
            other.ackMoved = now; // the sender may send more from now on: give it the time to
        }
        if (at >= other.acked) {
            other.acked = at;
            other.window = window;
        }
    }

    private byte[] placeholders(int length) {
        if (placeholders.length < length) {
            placeholders = new byte[Math.max(length, placeholders.length * 2)];
        }
        return placeholders;
    }

    /**
     * Sends, each as a segment of its own, bytes held back longer than {@link HoldBack#HOLD_NANOS} (or all, when
     * {@code all}): no next segment came to carry them. Returns how many holds remain.
     */
    public int flushHeld(long timeNanos, boolean all, SegmentRewriter rewriter, FrameSink out) {
        return holdBack.flush(timeNanos, all, rewriter, out);
    }

    /** The counts so far. */
    public RewriteCounters counters() {
        return counters;
    }

    /** Inline: the way back for replies of remapped flows. */
    public RemapTable replies() {
        return remapper.replies();
    }

    /** Payload edits made in the packet last rewritten (0 when none). */
    public int lastEditCount() {
        return lastEditCount;
    }

    /** The edits of the packet last rewritten (valid for {@link #lastEditCount} entries). */
    public PayloadEdits lastEdits() {
        return collector.edits();
    }

    /** The kind id of edit {@code i} of the packet last rewritten. */
    public int lastEditKind(int i) {
        return collector.editKinds()[i];
    }

    /** The stream offset (original stream) where edit {@code i} of the packet last rewritten starts. */
    public long lastEditStreamOffset(int i) {
        return lastPayloadAt + collector.edits().offset(i);
    }

    /**
     * When the packet last rewritten fixed its flow's mapping: which halves ({@code 1} nat-to, {@code 2} rdr-to,
     * {@code 3} both); 0 otherwise.
     */
    public int lastMapping() {
        return remapper.lastMapping();
    }

    /** The rule (by its "natN" / "rdrN" string) that fixed the mapping {@link #lastMapping} reports, or -1. */
    public int lastMappingRule() {
        return remapper.lastMappingRule();
    }

    /** The flow state of the packet last rewritten, or null. */
    public FlowRewrite lastState() {
        return lastState;
    }
}
