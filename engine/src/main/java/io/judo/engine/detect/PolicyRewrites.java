package io.judo.engine.detect;

import io.judo.packet.Addresses;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.TcpStream;
import io.judo.rewrite.DeltaMap;
import io.judo.rewrite.PayloadEdits;
import io.judo.rewrite.SegmentRewriter;
import io.judo.rules.judo.JudoRule;
import io.judo.rules.suricata.SuricataRule;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The rewriting half of a judo policy: what its rules asked of the packet just decided (replace occurrences found in
 * the stream and selected by their rule's header, nat-to/rdr-to, set tos), turned into a rewritten frame by a
 * {@link SegmentRewriter} with the flow's {@link PerFlow} state. One per {@link PolicyEngine}; allocates nothing per
 * packet once its arrays have grown.
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
    }

    private final List<JudoRule> rules;
    private final List<byte[]> strings;
    /** This packet's new occurrences of replace texts: stream offset and rule (few per packet). */
    private long[] foundAt = new long[8];
    private int[] foundRule = new int[8];
    private int foundCount;
    /** Replace rules whose header selected this packet (their {@code replace_match} ran). */
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
    private long tosApplied;
    /** The packet being rewritten, its flow, direction and flow state. */
    private PacketView current;
    private Flow flow;
    private int direction;
    private PerFlow state;

    PolicyRewrites(List<JudoRule> rules, List<byte[]> strings) {
        this.rules = rules;
        this.strings = strings;
        this.replaceSelected = new long[(rules.size() + 63) / 64];
        this.remapAddresses = new byte[strings.size()][];
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
        pendingNat = -1;
        pendingNatPort = -1;
        pendingRdr = -1;
        pendingRdrPort = -1;
    }

    /** An occurrence of replace rule {@code rule}'s text at {@code streamOffset} in this packet's new stream bytes. */
    void found(long streamOffset, int rule) {
        if (foundCount == foundAt.length) {
            foundAt = Arrays.copyOf(foundAt, foundCount * 2);
            foundRule = Arrays.copyOf(foundRule, foundCount * 2);
        }
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

    /** {@code set_tos}. */
    void tos(int tos) {
        pendingTos = tos & 0xff;
    }

    /**
     * Rewrites {@code packet} (of {@code packetFlow}, or null, in {@code packetDirection}): the occurrences of replace
     * texts its rules selected and that lie wholly in this segment are replaced (an occurrence spanning segments is
     * counted, not replaced), edits already made to the data it carries (a retransmission) are made again, its
     * sequence, acknowledgement and SACK numbers follow the flow's earlier edits, and TOS and remaps are applied.
     *
     * @return the rewritten frame's length in {@code rewriter.output()}, 0 when the packet goes out unchanged, or a
     *     negative {@link SegmentRewriter} result when it cannot be rewritten
     */
    public int rewrite(SegmentRewriter rewriter, PacketView packet, Flow packetFlow, int packetDirection,
                       PerFlow perFlow) {
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
            }
            if (rdr != null && s.rdrAddress == null) {
                s.rdrAddress = rdr;
                s.rdrPort = rdrPort;
                s.rdrDirection = direction;
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
        if (nat != null) {
            count(rewriter.remap(l3, current.ipVersion(), current.ipHeaderLength(), l4, current.ipProtocol(),
                    natSource, nat, natPort));
        }
        if (rdr != null) {
            count(rewriter.remap(l3, current.ipVersion(), current.ipHeaderLength(), l4, current.ipProtocol(),
                    rdrSource, rdr, rdrPort));
        }
        return length;
    }

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
        long payloadAt = ownKnown ? DeltaMap.offsetOf(current.seq(), own.isn()) : 0;
        if (ownKnown && current.payloadLength() > 0 && (foundCount > 0 || s.deltas[direction] != null)) {
            editCount = collectEdits(s.deltas[direction], payloadAt);
        }
        if (editCount > 0 && s.deltas[direction] == null) {
            s.deltas[direction] = new DeltaMap();
        }
        DeltaMap ownMap = ownKnown ? s.deltas[direction] : null;
        DeltaMap otherMap = other != null && other.hasIsn() ? s.deltas[1 - direction] : null;
        if (ownMap == null && otherMap == null) {
            return 0;
        }
        int length = rewriter.rewrite(current, edits, editRules, ownMap, ownKnown ? own.isn() : 0, otherMap,
                otherMap == null ? 0 : other.isn());
        if (length > 0) {
            rewritesApplied += editCount;
            lastEditCount = editCount;
            lastPayloadAt = payloadAt;
        }
        return length;
    }

    /** Fills {@link #edits} for a segment whose payload starts at stream offset {@code payloadAt}; returns the count. */
    private int collectEdits(DeltaMap made, long payloadAt) {
        int payloadLength = current.payloadLength();
        // candidates: edits made before to these bytes (retransmitted), then this packet's new selected occurrences
        int n = 0;
        if (made != null) {
            for (int i = made.firstAtOrAfter(payloadAt); i < made.size()
                    && made.start(i) + made.oldLength(i) <= payloadAt + payloadLength; i++) {
                n = addCandidate(n, made.start(i), made.label(i));
            }
        }
        for (int i = 0; i < foundCount; i++) {
            int rule = foundRule[i];
            if ((replaceSelected[rule >>> 6] & 1L << rule) == 0) {
                continue;
            }
            long start = foundAt[i];
            if (start < payloadAt || start + replaced(rules.get(rule)).length > payloadAt + payloadLength) {
                rewritesSpanning++;
                continue;
            }
            n = addCandidate(n, start, rule);
        }
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
            JudoRule r = rules.get(candidateRule[i]);
            int oldLength = replaced(r).length;
            if (at[i] < end) {
                continue;
            }
            if (count == editRules.length) {
                editRules = Arrays.copyOf(editRules, count * 2);
            }
            edits.add((int) (at[i] - payloadAt), oldLength, r.replaceWith());
            editRules[count++] = candidateRule[i];
            end = at[i] + oldLength;
        }
        return count;
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

    /** The replace rule of edit {@code i} of the packet last rewritten. */
    public JudoRule lastEditRule(int i) {
        return rules.get(editRules[i]);
    }

    /** The stream offset (original stream) where edit {@code i} of the packet last rewritten starts. */
    public long lastEditStreamOffset(int i) {
        return lastPayloadAt + edits.offset(i);
    }

    /** Packets written with the TOS / traffic class a {@code set tos} rule gave them. */
    public long tosApplied() {
        return tosApplied;
    }

    /** Selected occurrences that spanned segments and so were not replaced. */
    public long rewritesSpanning() {
        return rewritesSpanning;
    }

    /** The text a replace rule replaces (its chain's one content). */
    static byte[] replaced(JudoRule r) {
        return ((SuricataRule.Content) r.chain().get(0)).bytes();
    }
}
