package io.judo.engine.detect;

import io.judo.packet.Addresses;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.TcpStream;
import io.judo.rewrite.DeltaMap;
import io.judo.rewrite.PayloadEdits;
import io.judo.rewrite.SegmentRewriter;
import io.judo.rules.ir.Content;
import io.judo.rules.judo.JudoRule;
import io.judo.rules.suricata.SuricataRule;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The rewriting half of a rule engine: what its rules asked of the packet just decided (edits of the stream found and
 * selected by their rule, nat-to/rdr-to, set tos), turned into a rewritten frame by a {@link SegmentRewriter} with
 * the flow's {@link PerFlow} state. One per {@link PolicyEngine} (judo's replace, remaps, TOS) or {@link Detector}
 * (Suricata's replace); allocates nothing per packet once its arrays have grown.
 */
public final class PolicyRewrites {
    /** A flow's rewriting state: its edits per direction and its remaps. */
    static final class PerFlow {
        /** nat-to of the flow: the address (null for none), port (-1 keeps it), direction it was set for. */
        byte[] natAddress;
        int natPort = -1;
        int natDirection;
        /** rdr-to of the flow, likewise. */
        byte[] rdrAddress;
        int rdrPort = -1;
        int rdrDirection;
        /** Per direction, the edits made so far (null until the first). */
        final DeltaMap[] deltas = new DeltaMap[2];
        /** Inline: the way back for this flow's replies is recorded in {@link #replies}. */
        boolean replyRecorded;
        /** Per direction, how far the stream has gone out (sent, or held to be sent); 0 before any data. */
        final long[] front = new long[2];
        /** Per direction, the furthest stream offset any segment reached (beyond {@link #front}: dropped ones). */
        final long[] seen = new long[2];
        /**
         * Per direction, what its receiver said last (inline, to tell whether the sender can send more): the stream
         * offset it acknowledged (rewritten space) and its window in bytes, when either last let the sender send
         * more; and the window scale each side announced in its SYN (-1: none seen).
         */
        final long[] acked = new long[2];
        final long[] window = new long[2];
        final long[] ackMoved = new long[2];
        final int[] scale = {-1, -1};
        /**
         * Per direction, occurrences found in stream bytes no segment has carried out yet (reassembly delivered them
         * ahead, when a gap filled): stream offset and kind, applied when a segment carries them. Null until needed.
         */
        final long[][] pendingAt = new long[2][];
        final int[][] pendingKind = new int[2][];
        final int[] pendingCount = new int[2];
        /** Per direction, bytes held back inline (null until the first hold). */
        final Held[] held = new Held[2];
    }

    /**
     * Inline only: the last bytes of a direction's newest segment, held back because they begin a text a replace rule
     * rewrites. They go out in front of the next segment (so an occurrence cut by the sender's segmentation is still
     * rewritten whole), or on their own after {@link #HOLD_NANOS}.
     */
    static final class Held {
        /**
         * The headers of the segment they came in, made a frame of their own: IP length without payload, sequence
         * number at the held bytes' end (so the bytes go out as its "prefix" when sent alone).
         */
        byte[] header = new byte[128];
        int headerLength;
        int linkType;
        /** The held bytes, their count and stream offset. */
        byte[] bytes = new byte[64];
        int length;
        long from;
        long since;
        int port;
        long ownIsn;
        long otherIsn;
        boolean otherKnown;
        PerFlow flow;
        int direction;
        boolean pending;
        /**
         * The segment they came in carried PSH: the sender had nothing more queued then. Without it more bytes are
         * coming (the sender waits for its window), so the held ones wait for them rather than go out alone.
         */
        boolean push;
        /**
         * When they were held, the receiver's window left the sender no room for another segment: it is mid-stream,
         * its next bytes come when the window opens, however late its application then is to write them.
         */
        boolean windowShut;

        long to() {
            return from + length;
        }

        private java.nio.ByteBuffer headerView;

        /** {@link #header} as a buffer, wrapped again only when the array was replaced by a larger one. */
        java.nio.ByteBuffer headerBuffer() {
            if (headerView == null || headerView.array() != header) {
                headerView = java.nio.ByteBuffer.wrap(header);
            }
            return headerView;
        }
    }

    /** The flow slot holding a flow's {@link PerFlow} (the engines keep their own state in slots 0 and 1). */
    static final int SLOT = 2;

    /**
     * Rewrites {@code packet} of {@code packetFlow} (or null) in {@code packetDirection}, with the flow's rewriting
     * state, created at its first rewrite so plain scans never pay for it; see {@link #rewrite}.
     */
    int rewriteInFlow(SegmentRewriter rewriter, PacketView packet, Flow packetFlow, int packetDirection, int outPort,
                      long timeNanos) {
        PerFlow perFlow = null;
        if (packetFlow != null) {
            perFlow = (PerFlow) packetFlow.slot(SLOT);
            if (perFlow == null) {
                perFlow = new PerFlow();
                packetFlow.slot(SLOT, perFlow);
            }
        }
        return rewrite(rewriter, packet, packetFlow, packetDirection, perFlow, outPort, timeNanos);
    }

    /** How long bytes are held back at most before they go out alone. */
    public static final long HOLD_NANOS = 10_000_000L;
    /** ... and at most while the sender's later bytes, dropped beyond a gap, are still to come again. */
    public static final long HOLD_MAX_NANOS = 3_000_000_000L;

    /** Edit kinds by id (null where an id asks for none: a judo rule without replace). */
    private final EditKind[] kinds;
    private final List<byte[]> strings;
    /** This packet's new occurrences of edit texts: stream offset, kind and flow direction (few per packet). */
    private long[] foundAt = new long[8];
    private int[] foundRule = new int[8];
    private int[] foundDirection = new int[8];
    private int foundCount;
    /** Edit kinds whose rule selected this packet (a judo rule's {@code replace_match} ran). */
    private final long[] replaceSelected;
    private boolean anySelected;
    private final PayloadEdits edits = new PayloadEdits();
    private int[] editRules = new int[8];
    private long rewritesApplied;
    private long rewritesSpanning;
    private int lastEditCount;
    private long lastPayloadAt;
    /** The nat-to / rdr-to a rule gave this packet: address string index (or -1) and port (or -1). */
    private int pendingNat = -1;
    private int pendingNatPort = -1;
    private int pendingRdr = -1;
    private int pendingRdrPort = -1;
    /** Remap addresses parsed once per string of the program. */
    private final byte[][] remapAddresses;
    private long remapsApplied;
    private long remapsRefused;
    /** The TOS a {@code set tos} rule gave this packet, or -1. */
    private int pendingTos = -1;
    /** The TTL a {@code set ttl} rule gave this packet, or -1. */
    private int pendingTtl = -1;
    private long ttlApplied;
    private long tosApplied;
    /** Texts of the replace rules, for deciding what to hold back inline; the longest one's length. */
    private final byte[][] texts;
    private final int longestText;
    /** Holds waiting to be sent (their {@link Held#pending} is set). */
    private Held[] pendingHolds = new Held[8];
    private int pendingCount;
    private long held;
    private long heldFlushed;
    private long splitDropped;
    private final io.judo.packet.decode.PacketDecoder heldDecoder = new io.judo.packet.decode.PacketDecoder(false);
    private final PacketView heldView = new PacketView();
    private final PayloadEdits noEdits = new PayloadEdits();
    /** The port (bridge side) the packet being rewritten goes out of. */
    private int port;
    private long now;
    /** The packet being rewritten, its flow, direction and flow state. */
    private PacketView current;
    private Flow flow;
    private int direction;
    private PerFlow state;

    /**
     * @param kinds the edit kinds by id (null entries allowed)
     * @param strings the program's string pool (remap addresses)
     */
    PolicyRewrites(List<EditKind> kinds, List<byte[]> strings) {
        this.kinds = kinds.toArray(EditKind[]::new);
        this.strings = strings;
        this.replaceSelected = new long[(this.kinds.length + 63) / 64];
        this.remapAddresses = new byte[strings.size()][];
        this.texts = kinds.stream().filter(k -> k != null).map(EditKind::old).toArray(byte[][]::new);
        int longest = 0;
        for (byte[] t : texts) {
            longest = Math.max(longest, t.length);
        }
        this.longestText = longest;
    }

    /** A new packet: forget the last one's requests. */
    void startPacket() {
        if (anySelected) {
            Arrays.fill(replaceSelected, 0);
            anySelected = false;
        }
        foundCount = 0;
        lastEditCount = 0;
        pendingTos = -1;
        pendingTtl = -1;
        mappedNat = false;
        mappedRdr = false;
        mappedRule = -1;
        pendingNat = -1;
        pendingNatPort = -1;
        pendingRdr = -1;
        pendingRdrPort = -1;
    }

    /**
     * An occurrence of edit kind {@code rule}'s text at {@code streamOffset} of flow direction {@code dir}, in the
     * stream bytes this packet delivered.
     */
    void found(long streamOffset, int rule, int dir) {
        if (foundCount == foundAt.length) {
            foundAt = Arrays.copyOf(foundAt, foundCount * 2);
            foundRule = Arrays.copyOf(foundRule, foundCount * 2);
            foundDirection = Arrays.copyOf(foundDirection, foundCount * 2);
        }
        foundDirection[foundCount] = dir;
        foundAt[foundCount] = streamOffset;
        foundRule[foundCount++] = rule;
    }

    /** Replace rule {@code rule}'s header selected this packet. */
    void selected(int rule) {
        replaceSelected[rule >>> 6] |= 1L << rule;
        anySelected = true;
    }

    /** {@code remap_addr}: which 0 for nat-to (source), 1 for rdr-to (destination); the address string's index. */
    void remapAddress(int which, int stringIndex) {
        if (which == 0) {
            pendingNat = stringIndex;
        } else {
            pendingRdr = stringIndex;
        }
    }

    /** {@code remap_port}. */
    void remapPort(int which, int port) {
        if (which == 0) {
            pendingNatPort = port;
        } else {
            pendingRdrPort = port;
        }
    }

    /** Whether the packet last rewritten fixed its flow's nat-to / rdr-to mapping, and by which rule (or -1). */
    private boolean mappedNat;
    private boolean mappedRdr;
    private int mappedRule = -1;
    /** Per string of the program, the rule whose remap named it (strings "natN" / "rdrN"), or -1. */
    private int[] stringRules;

    /** Names of the program's strings, to tell which rule a remap came from. */
    void stringNames(List<String> names) {
        stringRules = new int[names.size()];
        for (int i = 0; i < names.size(); i++) {
            String n = names.get(i);
            stringRules[i] = (n.startsWith("nat") || n.startsWith("rdr")) && n.length() > 3
                    && n.substring(3).chars().allMatch(Character::isDigit) ? Integer.parseInt(n.substring(3)) : -1;
        }
    }

    private int ruleOfString(int index) {
        return stringRules == null || index < 0 || index >= stringRules.length ? -1 : stringRules[index];
    }

    /**
     * When the packet last rewritten fixed its flow's mapping: which halves ({@code 1} nat-to, {@code 2} rdr-to,
     * {@code 3} both); 0 otherwise.
     */
    public int lastMapping() {
        return (mappedNat ? 1 : 0) | (mappedRdr ? 2 : 0);
    }

    /** The rule (index into the policy's rules) that fixed the mapping {@link #lastMapping} reports, or -1. */
    public int lastMappingRule() {
        return mappedRule;
    }

    /** The flow state of the packet last rewritten: its mapping's addresses and ports. */
    public byte[] mappedNatAddress() {
        return state == null ? null : state.natAddress;
    }

    public int mappedNatPort() {
        return state == null ? -1 : state.natPort;
    }

    public byte[] mappedRdrAddress() {
        return state == null ? null : state.rdrAddress;
    }

    public int mappedRdrPort() {
        return state == null ? -1 : state.rdrPort;
    }

    /** {@code set_ttl}. */
    void ttl(int ttl) {
        pendingTtl = ttl & 0xff;
    }

    /** {@code set_tos}. */
    void tos(int tos) {
        pendingTos = tos & 0xff;
    }

    /**
     * Rewrites {@code packet} (of {@code packetFlow}, or null, in {@code packetDirection}, going out of bridge port
     * {@code outPort} at {@code timeNanos}): the occurrences of edit texts its rules selected are replaced — those
     * this segment carries whole; the end of a segment that begins a text is held back for the next one (see
     * {@link Held}; {@link #flushHeld} sends it when none comes), and occurrences found ahead wait as pending edits;
     * edits already made to the data it carries (a retransmission) are made again; its sequence, acknowledgement and
     * SACK numbers follow the flow's earlier edits; TOS, TTL and remaps are applied.
     *
     * @return the rewritten frame's length in {@code rewriter.output()}, 0 when the packet goes out unchanged, or a
     *     negative {@link SegmentRewriter} result (or {@link #OUT_OF_ORDER}) when it cannot be rewritten
     */
    int rewrite(SegmentRewriter rewriter, PacketView packet, Flow packetFlow, int packetDirection, PerFlow perFlow,
                int outPort, long timeNanos) {
        port = outPort;
        now = timeNanos;
        current = packet;
        flow = packetFlow;
        direction = packetDirection;
        state = perFlow;
        int length = current.ipProtocol() == 6 && flow != null ? rewriteSegment(rewriter) : 0;
        if (pendingTos >= 0 && length >= 0 && (current.ipVersion() == 4 || current.ipVersion() == 6)) {
            if (length == 0) {
                length = rewriter.copy(current);
            }
            if (length > 0) {
                rewriter.setTos(current.l3Offset() - current.start(), current.ipVersion(),
                        current.ipHeaderLength(), pendingTos);
                tosApplied++;
            }
        }
        if (pendingTtl >= 0 && length >= 0 && (current.ipVersion() == 4 || current.ipVersion() == 6)) {
            if (length == 0) {
                length = rewriter.copy(current);
            }
            if (length > 0) {
                rewriter.setTtl(current.l3Offset() - current.start(), current.ipVersion(),
                        current.ipHeaderLength(), pendingTtl);
                ttlApplied++;
            }
        }
        return remap(rewriter, length);
    }

    /**
     * nat-to and rdr-to, as seen from outside the translator (the capture is rewritten as if taken there): the first
     * packet of a flow a remap rule matches fixes the mapping; from then on that direction's source (nat-to) or
     * destination (rdr-to) is the new address and port, and the other direction's destination or source likewise.
     * A packet without a flow gets only its own rules' remaps.
     */
    private int remap(SegmentRewriter rewriter, int length) {
        byte[] nat = pendingNat >= 0 ? remapAddress(pendingNat) : null;
        byte[] rdr = pendingRdr >= 0 ? remapAddress(pendingRdr) : null;
        int natPort = pendingNatPort;
        int rdrPort = pendingRdrPort;
        boolean natSource = true;
        boolean rdrSource = false;
        if (flow != null) {
            PerFlow s = state;
            if (nat != null && s.natAddress == null) {
                s.natAddress = nat;
                s.natPort = natPort;
                s.natDirection = direction;
                mappedNat = true;
                mappedRule = ruleOfString(pendingNat);
            }
            if (rdr != null && s.rdrAddress == null) {
                s.rdrAddress = rdr;
                s.rdrPort = rdrPort;
                s.rdrDirection = direction;
                mappedRdr = true;
                mappedRule = Math.max(mappedRule, ruleOfString(pendingRdr));
            }
            nat = s.natAddress;
            natPort = s.natPort;
            natSource = direction == s.natDirection;
            rdr = s.rdrAddress;
            rdrPort = s.rdrPort;
            rdrSource = direction != s.rdrDirection;
        }
        if ((nat == null && rdr == null) || length < 0) {
            return length;
        }
        if (length == 0) {
            length = rewriter.copy(current);
            if (length < 0) {
                return length;
            }
        }
        int l3 = current.l3Offset() - current.start();
        int l4 = current.l4Offset() - current.start();
        // inline, replies arrive in the translated terms and were translated back on arrival (replies()): only the
        // flow's mapped direction is remapped here
        boolean inline = rewriter.isInline();
        boolean forward = false;
        if (nat != null && (!inline || natSource)) {
            count(rewriter.remap(l3, current.ipVersion(), current.ipHeaderLength(), l4, current.ipProtocol(),
                    natSource, nat, natPort));
            forward = natSource;
        }
        if (rdr != null && (!inline || !rdrSource)) {
            count(rewriter.remap(l3, current.ipVersion(), current.ipHeaderLength(), l4, current.ipProtocol(),
                    rdrSource, rdr, rdrPort));
            forward |= !rdrSource;
        }
        if (inline && forward && flow != null && !state.replyRecorded) {
            recordReply(rewriter.output(), l3, l4);
            state.replyRecorded = true;
        }
        return length;
    }

    /** Inline: the reply of the packet just remapped (in {@code out}) will arrive as its swap; record the way back. */
    private void recordReply(byte[] out, int l3, int l4) {
        int n = current.addressLength();
        int srcAt = current.srcAddressOffset() - current.start();
        int dstAt = current.dstAddressOffset() - current.start();
        byte[] newSrc = Arrays.copyOfRange(out, srcAt, srcAt + n);
        byte[] newDst = Arrays.copyOfRange(out, dstAt, dstAt + n);
        byte[] oldSrc = new byte[n];
        byte[] oldDst = new byte[n];
        current.buffer().get(current.srcAddressOffset(), oldSrc);
        current.buffer().get(current.dstAddressOffset(), oldDst);
        int proto = current.ipProtocol();
        boolean ports = proto == 6 || proto == 17;
        int newSport = ports ? (out[l4] & 0xff) << 8 | out[l4 + 1] & 0xff : 0;
        int newDport = ports ? (out[l4 + 2] & 0xff) << 8 | out[l4 + 3] & 0xff : 0;
        replies.put(proto, newDst, newDport, newSrc, newSport, oldDst, ports ? current.dstPort() : 0, oldSrc,
                ports ? current.srcPort() : 0);
    }

    /** Inline: the way back for replies of remapped flows (see {@link io.judo.rewrite.RemapTable}). */
    public io.judo.rewrite.RemapTable replies() {
        return replies;
    }

    private final io.judo.rewrite.RemapTable replies = new io.judo.rewrite.RemapTable(1 << 16);

    private void count(boolean applied) {
        if (applied) {
            remapsApplied++;
        } else {
            remapsRefused++;
        }
    }

    /** The address of remap string {@code index}, parsed once; an empty array (never applies) if it is no address. */
    private byte[] remapAddress(int index) {
        byte[] a = remapAddresses[index];
        if (a == null) {
            try {
                a = Addresses.parse(new String(strings.get(index), StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException e) {
                a = new byte[0];
            }
            remapAddresses[index] = a;
        }
        return a;
    }

    /** Address and port rewrites made in written packets. */
    public long remapsApplied() {
        return remapsApplied;
    }

    /** Remaps not made: the address family differs from the packet's, or the address did not parse. */
    public long remapsRefused() {
        return remapsRefused;
    }

    /** {@link #rewrite} for a TCP segment of a tracked flow: payload edits and sequence-space moves. */
    private int rewriteSegment(SegmentRewriter rewriter) {
        lastEditCount = 0;
        PerFlow s = state;
        TcpStream own = flow.stream(direction);
        TcpStream other = flow.stream(1 - direction);
        boolean ownKnown = own != null && own.hasIsn();
        edits.clear();
        int editCount = 0;
        int payloadLength = current.payloadLength();
        long payloadAt = ownKnown ? DeltaMap.offsetOf(current.seq(), own.isn()) : 0;
        boolean data = ownKnown && payloadLength > 0 && (current.tcpFlags() & 0x02) == 0; // stream bytes, no SYN
        boolean holding = data && longestText > 1;
        if (data) {
            s.seen[direction] = Math.max(s.seen[direction], payloadAt + payloadLength);
        }
        if (rewriter.isInline()) {
            receiverSaid(s, other);
        }
        if (rewriter.isInline() && data && longestText > 0 && payloadAt > s.front[direction]) {
            // inline, a flow that may be rewritten goes out in order: a segment beyond a gap would leave before
            // occurrences in it can be found (reassembly delivers it when the gap fills); the sender sends it again.
            // What reassembly found with it (bytes it delivered now) waits for the segments that carry it out.
            for (int i = 0; i < foundCount; i++) {
                int kind = foundRule[i];
                if ((replaceSelected[kind >>> 6] & 1L << kind) != 0 && foundDirection[i] == direction) {
                    addPending(s, foundAt[i], kind);
                }
            }
            outOfOrderDropped++;
            return OUT_OF_ORDER;
        }
        Held h = holding ? s.held[direction] : null;
        int prefixLength = 0;
        int to = payloadLength;
        if (h != null && h.length > 0) {
            if (payloadAt == h.to()) {
                prefixLength = h.length; // the next segment: the held bytes go out in front of it
            } else if (payloadAt < h.to() && payloadAt + payloadLength > h.from) {
                if (payloadAt >= h.from || payloadAt + payloadLength >= h.to()) {
                    release(h); // a retransmission carrying the held bytes: they go out in it
                } else {
                    to = (int) (h.from - payloadAt); // an earlier segment again: still without the held bytes
                }
            }
        }
        // inline, a segment starting inside an edited span (the sender resends from an acknowledgement that fell
        // inside a replacement, split over frames) starts at the span instead: the whole replacement goes out again,
        // the span's original bytes before the segment stood in for by placeholders
        int lead = 0;
        DeltaMap made = s.deltas[direction];
        if (rewriter.isInline() && data && prefixLength == 0 && made != null) {
            int e = made.editAround(payloadAt);
            if (e >= 0) {
                lead = (int) (payloadAt - made.start(e));
            }
        }
        long sendAt = payloadAt - prefixLength - lead;
        int sendLength = prefixLength + lead + to;
        int trail = 0;
        extendTo = Long.MIN_VALUE;
        editsEnd = sendAt;
        // pending occurrences count too: they may be all a flow has when every segment so far lay beyond a gap
        if (ownKnown && sendLength > 0 && (foundCount > 0 || made != null || s.pendingCount[direction] > 0)) {
            editCount = collectEdits(made, sendAt, sendLength, rewriter.isInline());
            if (extendTo > sendAt + sendLength) {
                trail = (int) (extendTo - sendAt - sendLength);
                sendLength += trail;
            }
        }
        int k = 0;
        int through = to; // this segment's bytes up to here go out now or are held to go out next
        if (holding && trail == 0 && (current.tcpFlags() & 0x01) == 0 && to == payloadLength
                && payloadAt + to >= s.front[direction]) {
            k = lead > 0 ? holdable(h, 0, (int) Math.max(editsEnd - payloadAt, 0), to)
                    : holdable(h, prefixLength, (int) Math.max(editsEnd - sendAt, 0), sendLength);
        }
        if (data) {
            // what goes out now or is held; a segment cut short before an edited span leaves its rest to come again
            s.front[direction] = Math.max(s.front[direction], payloadAt + through);
        }
        int prefixSent = prefixLength;
        if (k > to) {
            prefixSent -= k - to; // the held suffix reaches into the bytes held before: they wait again
            to = 0;
        } else {
            to -= k;
        }
        if ((editCount > 0 || k > 0) && s.deltas[direction] == null) {
            // a hold needs one too: the other direction's acks pass through it (limitAcks below)
            s.deltas[direction] = new DeltaMap();
        }
        DeltaMap ownMap = ownKnown ? s.deltas[direction] : null;
        DeltaMap otherMap = other != null && other.hasIsn() ? s.deltas[1 - direction] : null;
        boolean reshaped = prefixLength > 0 || lead > 0 || trail > 0 || to < payloadLength;
        if (ownMap == null && otherMap == null && !reshaped) {
            return 0;
        }
        Held otherHeld = s.held[1 - direction];
        if (!rewriter.isInline() && otherMap != null && otherHeld != null && otherHeld.length > 0) {
            // a capture: the recorded receiver acknowledged bytes still held back here; it must not be seen to
            rewriter.limitAcks(otherHeld.from + other.isn() + 1);
        }
        int length = rewriter.rewrite(current, prefixLength > 0 ? h.bytes : lead > 0 ? placeholders(lead) : null, 0,
                prefixSent + lead, 0, to, trail, edits, editRules, ownMap, ownKnown ? own.isn() : 0, otherMap,
                otherMap == null ? 0 : other.isn());
        if (k > 0) {
            if (h == null) {
                h = new Held();
                s.held[direction] = h;
            }
            hold(h, s, sendAt + sendLength - k, k, own.isn(), other); // may take bytes from the earlier hold
        } else if (prefixLength > 0) {
            release(h);
        }
        if (length > 0) {
            rewritesApplied += editCount;
            lastEditCount = editCount;
            lastPayloadAt = sendAt;
        }
        if (length == SegmentRewriter.SPLIT_EDIT && rewriter.isInline()) {
            splitDropped++;
        }
        return length;
    }

    /**
     * Inline: what the packet's sender, as the receiver of the other direction, says of it (its acknowledgement and
     * window), for {@link #flushHeld}; and the window scale a SYN announces.
     */
    private void receiverSaid(PerFlow s, TcpStream other) {
        int flags = current.tcpFlags();
        if ((flags & 0x02) != 0) {
            s.scale[direction] = Math.max(0, current.windowScale());
            return; // a SYN's window is never scaled
        }
        if ((flags & 0x10) == 0 || other == null || !other.hasIsn()) {
            return;
        }
        int d = 1 - direction;
        long at = DeltaMap.offsetOf(current.ack(), other.isn());
        int shift = s.scale[0] >= 0 && s.scale[1] >= 0 ? Math.min(14, s.scale[direction]) : 0;
        long window = (long) current.window() << shift;
        if (at > s.acked[d] || at == s.acked[d] && window > s.window[d] || s.ackMoved[d] == 0) {
            s.ackMoved[d] = now; // the sender may send more from now on: give it the time to
        }
        if (at >= s.acked[d]) {
            s.acked[d] = at;
            s.window[d] = window;
        }
    }

    /** A full segment: a sender whose window has less room than this left waits for it to open. */
    private static final int SEGMENT = 1500;

    /**
     * Whether the sender of held bytes {@code h} may still be waiting for its receiver: the receiver has not yet
     * acknowledged everything before them, its acknowledgement or window moved less than {@link #HOLD_NANOS} ago, or
     * its window leaves the sender no room for a segment. Then the sender's next bytes can still come, and the held
     * ones wait for them.
     */
    private static boolean senderWaits(Held h, long timeNanos) {
        PerFlow f = h.flow;
        int d = h.direction;
        DeltaMap map = f.deltas[d];
        long heldAt = map == null ? h.from : map.toRewrittenStart(h.from);
        return f.acked[d] < heldAt || timeNanos - f.ackMoved[d] < HOLD_NANOS || windowShut(f, d);
    }

    /** Whether direction {@code d}'s receiver window leaves its sender no room for a segment beyond what it sent. */
    private static boolean windowShut(PerFlow f, int d) {
        DeltaMap map = f.deltas[d];
        // the window as the sender sees it: from the acknowledgement translated back, in its own (original) bytes
        long windowEnd = (map == null ? f.acked[d] : map.toOriginal(f.acked[d])) + f.window[d];
        return f.ackMoved[d] != 0 && windowEnd - f.seen[d] < SEGMENT;
    }

    /**
     * How many of the last bytes about to be sent begin a replace text (the longest such suffix, shorter than the
     * text, starting at or after {@code from}): those are held back. The bytes are {@code prefixLength} held ones
     * ({@code h.bytes}) followed by the current payload, {@code length} in all.
     */
    private int holdable(Held h, int prefixLength, int from, int length) {
        int most = Math.min(longestText - 1, length - from);
        for (int k = most; k > 0; k--) {
            for (byte[] t : texts) {
                if (t.length > k && endsWithPrefix(h, prefixLength, length - k, k, t)) {
                    return k;
                }
            }
        }
        return 0;
    }

    private boolean endsWithPrefix(Held h, int prefixLength, int at, int k, byte[] text) {
        java.nio.ByteBuffer b = current.buffer();
        int payload = current.payloadOffset();
        for (int i = 0; i < k; i++) {
            int j = at + i;
            byte c = j < prefixLength ? h.bytes[j] : b.get(payload + j - prefixLength);
            if (c != text[i]) {
                return false;
            }
        }
        return true;
    }

    /** Holds the last {@code k} bytes about to be sent, starting at stream offset {@code from}. */
    private void hold(Held h, PerFlow s, long from, int k, long ownIsn, TcpStream other) {
        // the held bytes: some may be the earlier held ones (still at the start of h.bytes), the rest from this payload
        byte[] bytes = holdScratch(k);
        long heldBefore = h.length > 0 ? h.from : from;
        for (int i = 0; i < k; i++) {
            long at = from + i;
            long fromPayload = at - DeltaMap.offsetOf(current.seq(), ownIsn);
            bytes[i] = fromPayload >= 0 ? current.buffer().get(current.payloadOffset() + (int) fromPayload)
                    : h.bytes[(int) (at - heldBefore)];
        }
        if (h.bytes.length < k) {
            h.bytes = new byte[Math.max(k, h.bytes.length * 2)];
        }
        System.arraycopy(bytes, 0, h.bytes, 0, k);
        int headers = current.payloadOffset() - current.start();
        if (h.header.length < headers) {
            h.header = new byte[Math.max(headers, h.header.length * 2)];
        }
        current.buffer().get(current.start(), h.header, 0, headers);
        java.nio.ByteBuffer w = h.headerBuffer();
        int l3 = current.l3Offset() - current.start();
        int l4 = current.l4Offset() - current.start();
        if (current.ipVersion() == 4) {
            w.putShort(l3 + 2, (short) (headers - l3));
        } else {
            w.putShort(l3 + 4, (short) (headers - l3 - 40));
        }
        w.putInt(l4 + 4, (int) ((from + k + ownIsn + 1) & 0xffffffffL));
        w.put(l4 + 13, (byte) (w.get(l4 + 13) & ~0x01));
        h.headerLength = headers;
        h.linkType = current.linkType();
        // The same bytes held again (a retransmission of bytes released or sent alone before) keep the first hold's
        // time: otherwise a sender that only ever resends them (window shut, or the end of its stream) would be
        // held back afresh each time, and the bytes would never go out; the waits stay bounded from the first hold.
        boolean again = h.length == 0 && h.since != 0 && h.from == from;
        h.length = k;
        h.from = from;
        h.since = again ? h.since : now;
        h.port = port;
        h.ownIsn = ownIsn;
        h.otherKnown = other != null && other.hasIsn();
        h.otherIsn = h.otherKnown ? other.isn() : 0;
        h.flow = s;
        h.direction = direction;
        h.push = (current.tcpFlags() & 0x08) != 0;
        h.windowShut = windowShut(s, direction);
        held++;
        if (!h.pending) {
            h.pending = true;
            if (pendingCount == pendingHolds.length) {
                pendingHolds = Arrays.copyOf(pendingHolds, pendingCount * 2);
            }
            pendingHolds[pendingCount++] = h;
        }
    }

    private byte[] placeholders = new byte[64];

    /** Stand-ins for original bytes of an edited span that a segment does not carry (all replaced). */
    private byte[] placeholders(int length) {
        if (placeholders.length < length) {
            placeholders = new byte[Math.max(length, placeholders.length * 2)];
        }
        return placeholders;
    }

    private byte[] holdBytes = new byte[64];

    private byte[] holdScratch(int k) {
        if (holdBytes.length < k) {
            holdBytes = new byte[Math.max(k, holdBytes.length * 2)];
        }
        return holdBytes;
    }

    private static void release(Held h) {
        h.length = 0;
    }

    /** Receives held bytes sent on their own by {@link #flushHeld}. */
    public interface HeldSink {
        /** One frame of {@code length} bytes in {@code frame}, to go out of bridge port {@code port}. */
        void frame(int port, byte[] frame, int length);
    }

    /**
     * Sends, each as a segment of its own, bytes held back longer than {@link #HOLD_NANOS} (or all, when
     * {@code all}): no next segment came to carry them. Returns how many holds remain.
     */
    public int flushHeld(long timeNanos, boolean all, SegmentRewriter rewriter, HeldSink out) {
        int kept = 0;
        for (int i = 0; i < pendingCount; i++) {
            Held h = pendingHolds[i];
            // later bytes may be coming, so wait for them (bounded): the sender already sent some (dropped beyond a
            // gap, its retransmission will carry the held ones too), it had more queued (no PSH), it had filled the
            // receiver's window (a slow reader in a long transfer), or it may be waiting for its receiver still
            boolean awaited = (h.flow.seen[h.direction] > h.to() || !h.push || h.windowShut
                    || senderWaits(h, timeNanos)) && timeNanos - h.since < HOLD_MAX_NANOS;
            if (h.length > 0 && (all || timeNanos - h.since >= HOLD_NANOS && !awaited)) {
                PacketView v = heldDecoder.decode(h.headerBuffer(), 0, h.headerLength,
                        h.headerLength, h.linkType, heldView);
                noEdits.clear();
                int length = rewriter.rewrite(v, h.bytes, 0, h.length, 0, 0, noEdits, null, h.flow.deltas[h.direction], h.ownIsn, h.otherKnown
                                ? h.flow.deltas[1 - h.direction] : null, h.otherIsn);
                h.length = 0;
                if (length > 0) {
                    heldFlushed++;
                    out.frame(h.port, rewriter.output(), length);
                }
            }
            if (h.length > 0) {
                pendingHolds[kept++] = h;
            } else {
                h.pending = false;
            }
        }
        for (int i = kept; i < pendingCount; i++) {
            pendingHolds[i] = null;
        }
        pendingCount = kept;
        return kept;
    }

    /** Holds made (inline): segment ends held back because they began a replace text. */
    public long holds() {
        return held;
    }

    /** Of {@link #holds}, those sent alone after waiting {@link #HOLD_NANOS} for a next segment. */
    public long holdsFlushed() {
        return heldFlushed;
    }

    /** {@link #rewrite} result: inline, a segment beyond a gap in a flow that may be rewritten; drop it. */
    public static final int OUT_OF_ORDER = -6;
    private long outOfOrderDropped;

    /** Inline: segments beyond a gap dropped so that rewritten flows go out in order. */
    public long outOfOrderDropped() {
        return outOfOrderDropped;
    }

    /** Inline: retransmissions starting inside an edited span, dropped (the sender resends from an edit boundary). */
    public long splitDropped() {
        return splitDropped;
    }

    /**
     * Where an inline segment ending inside an edited span is extended to: the span's end ({@link Long#MIN_VALUE}: not
     * extended).
     */
    private long extendTo;
    /** The stream offset where the last collected edit ends (or the segment's start). */
    private long editsEnd;

    /**
     * Fills {@link #edits} for the bytes [{@code payloadAt}, +{@code payloadLength}) of the stream about to be sent;
     * returns the count. Inline, an earlier edit cut by the end of these bytes sets {@link #extendTo}.
     */
    private int collectEdits(DeltaMap made, long payloadAt, int payloadLength, boolean inline) {
        extendTo = Long.MIN_VALUE;
        editsEnd = payloadAt;
        // candidates: edits made before to these bytes (retransmitted), then this packet's new selected occurrences
        int n = 0;
        if (made != null) {
            for (int i = made.firstAtOrAfter(payloadAt); i < made.size()
                    && made.start(i) + made.oldLength(i) <= payloadAt + payloadLength; i++) {
                n = addCandidate(n, made.start(i), made.label(i));
            }
            int crossing = made.firstAtOrAfter(payloadAt);
            while (inline && crossing < made.size() && made.start(crossing) < payloadAt + payloadLength) {
                long end = made.start(crossing) + made.oldLength(crossing);
                if (end > payloadAt + payloadLength) {
                    // the bytes end inside an edited span (a retransmission trimmed to an acknowledgement): the whole
                    // replacement goes out, the span's missing original bytes stood in for by placeholders. Cut
                    // before the span instead, a sender whose segment starts at it would never get past it.
                    extendTo = end;
                    n = addCandidate(n, made.start(crossing), made.label(crossing));
                    payloadLength = (int) (end - payloadAt);
                    break;
                }
                crossing++;
            }
        }
        PerFlow s = state;
        for (int i = 0; i < foundCount; i++) {
            int rule = foundRule[i];
            if ((replaceSelected[rule >>> 6] & 1L << rule) == 0 || foundDirection[i] != direction) {
                continue;
            }
            long start = foundAt[i];
            if (start < payloadAt) {
                rewritesSpanning++; // its first bytes already went out
            } else if (start + kinds[rule].old().length > payloadAt + payloadLength) {
                addPending(s, start, rule); // ahead of this segment: for the segment that carries it
            } else {
                n = addCandidate(n, start, rule);
            }
        }
        // occurrences found earlier ahead of the segments then: those this one carries are made now
        int kept = 0;
        long[] pendingAt = s.pendingAt[direction];
        int[] pendingKind = s.pendingKind[direction];
        for (int i = 0; i < s.pendingCount[direction]; i++) {
            long start = pendingAt[i];
            long end = start + kinds[pendingKind[i]].old().length;
            if (start >= payloadAt && end <= payloadAt + payloadLength) {
                n = addCandidate(n, start, pendingKind[i]);
            } else if (start < payloadAt) {
                rewritesSpanning++; // the bytes went out without it (offline: written before it was found)
            } else {
                // ahead, or cut by this segment's end: the hold (below) keeps such an end for the next segment
                pendingAt[kept] = start;
                pendingKind[kept++] = pendingKind[i];
            }
        }
        s.pendingCount[direction] = kept;
        long[] at = candidateAt;
        // in stream order; the first edit at a place wins, later overlapping ones are dropped
        for (int i = 1; i < n; i++) {
            for (int j = i; j > 0 && at[j - 1] > at[j]; j--) {
                long t = at[j];
                at[j] = at[j - 1];
                at[j - 1] = t;
                int r = candidateRule[j];
                candidateRule[j] = candidateRule[j - 1];
                candidateRule[j - 1] = r;
            }
        }
        long end = -1;
        int count = 0;
        for (int i = 0; i < n; i++) {
            EditKind k = kinds[candidateRule[i]];
            int oldLength = k.old().length;
            if (at[i] < end) {
                continue;
            }
            if (count == editRules.length) {
                editRules = Arrays.copyOf(editRules, count * 2);
            }
            edits.add((int) (at[i] - payloadAt), oldLength, k.replacement());
            editRules[count++] = candidateRule[i];
            end = at[i] + oldLength;
            editsEnd = end;
        }
        return count;
    }

    private void addPending(PerFlow s, long start, int kind) {
        int d = direction;
        if (s.pendingAt[d] == null) {
            s.pendingAt[d] = new long[4];
            s.pendingKind[d] = new int[4];
        }
        for (int i = 0; i < s.pendingCount[d]; i++) {
            if (s.pendingAt[d][i] == start) {
                return;
            }
        }
        if (s.pendingCount[d] == s.pendingAt[d].length) {
            s.pendingAt[d] = Arrays.copyOf(s.pendingAt[d], s.pendingCount[d] * 2);
            s.pendingKind[d] = Arrays.copyOf(s.pendingKind[d], s.pendingCount[d] * 2);
        }
        s.pendingAt[d][s.pendingCount[d]] = start;
        s.pendingKind[d][s.pendingCount[d]++] = kind;
    }

    private long[] candidateAt = new long[8];
    private int[] candidateRule = new int[8];

    private int addCandidate(int n, long at, int rule) {
        if (n == candidateAt.length) {
            candidateAt = Arrays.copyOf(candidateAt, n * 2);
            candidateRule = Arrays.copyOf(candidateRule, n * 2);
        }
        candidateAt[n] = at;
        candidateRule[n] = rule;
        return n + 1;
    }

    /** Replacements made in written packets (a retransmission's repeat counts again). */
    public long rewritesApplied() {
        return rewritesApplied;
    }

    /** Payload edits made in the packet last rewritten by {@link #rewrite} (0 when none). */
    public int lastEditCount() {
        return lastEditCount;
    }

    /** The edits of the packet last rewritten (valid for {@link #lastEditCount} entries). */
    public PayloadEdits lastEdits() {
        return edits;
    }

    /** The kind (and so the rule) of edit {@code i} of the packet last rewritten. */
    public EditKind lastEditKind(int i) {
        return kinds[editRules[i]];
    }

    /** The stream offset (original stream) where edit {@code i} of the packet last rewritten starts. */
    public long lastEditStreamOffset(int i) {
        return lastPayloadAt + edits.offset(i);
    }

    /** Packets written with the TTL / hop limit a {@code set ttl} rule gave them. */
    public long ttlApplied() {
        return ttlApplied;
    }

    /** Packets written with the TOS / traffic class a {@code set tos} rule gave them. */
    public long tosApplied() {
        return tosApplied;
    }

    /** Selected occurrences that spanned segments and so were not replaced. */
    public long rewritesSpanning() {
        return rewritesSpanning;
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
