package io.judo.rewrite.flow;

import io.judo.packet.Addresses;
import io.judo.packet.decode.PacketView;
import io.judo.rewrite.RemapTable;
import io.judo.rewrite.SegmentRewriter;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * nat-to and rdr-to: the remaps a rule engine's rules gave the packet just decided (address strings of its program,
 * parsed once, and ports), fixed as the flow's mapping ({@link FlowRewrite}) by the first packet of a flow a remap
 * rule matches, and applied to the written frame; inline, the way back for the flow's replies goes into a
 * {@link RemapTable}.
 */
final class Remapper {
    private final List<byte[]> strings;
    /** Remap addresses parsed once per string of the program. */
    private final byte[][] addresses;
    private final RewriteCounters counters;
    private final RemapTable replies = new RemapTable(1 << 16);
    /** Per string of the program, the rule whose remap named it (strings "natN" / "rdrN"), or -1. */
    private int[] stringRules;
    /** The nat-to / rdr-to a rule gave this packet: address string index (or -1) and port (or -1). */
    private int nat = -1;
    private int natPort = -1;
    private int rdr = -1;
    private int rdrPort = -1;
    /** Whether the packet last rewritten fixed its flow's nat-to / rdr-to mapping, and by which rule (or -1). */
    private boolean mappedNat;
    private boolean mappedRdr;
    private int mappedRule = -1;

    Remapper(List<byte[]> strings, RewriteCounters counters) {
        this.strings = strings;
        this.addresses = new byte[strings.size()][];
        this.counters = counters;
    }

    /** A new packet: forget the last one's remaps. */
    /** Whether a rule asked for a nat-to or rdr-to on this packet. */
    boolean asked() {
        return nat >= 0 || rdr >= 0 || natPort >= 0 || rdrPort >= 0;
    }

    void startPacket() {
        mappedNat = false;
        mappedRdr = false;
        mappedRule = -1;
        nat = -1;
        natPort = -1;
        rdr = -1;
        rdrPort = -1;
    }

    void address(int which, int stringIndex) {
        if (which == 0) {
            nat = stringIndex;
        } else {
            rdr = stringIndex;
        }
    }

    void port(int which, int port) {
        if (which == 0) {
            natPort = port;
        } else {
            rdrPort = port;
        }
    }

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

    int lastMapping() {
        return (mappedNat ? 1 : 0) | (mappedRdr ? 2 : 0);
    }

    int lastMappingRule() {
        return mappedRule;
    }

    RemapTable replies() {
        return replies;
    }

    /**
     * Applies the remaps to {@code current} of flow state {@code s} (null: no flow, only its own rules' remaps) in
     * {@code direction}, whose written frame (if any) is {@code length} bytes in {@code rewriter.output()}. As seen
     * from outside the translator (a capture is rewritten as if taken there): once a flow is mapped, that
     * direction's source (nat-to) or destination (rdr-to) is the new address and port, and the other direction's
     * destination or source likewise.
     *
     * @return the frame's length, as {@code length} or newly copied; a negative {@code length} is returned unchanged
     */
    int apply(SegmentRewriter rewriter, PacketView current, FlowRewrite s, int direction, int length) {
        byte[] natAddress = nat >= 0 ? address(nat) : null;
        byte[] rdrAddress = rdr >= 0 ? address(rdr) : null;
        int natTo = natPort;
        int rdrTo = rdrPort;
        boolean natSource = true;
        boolean rdrSource = false;
        if (s != null) {
            if (natAddress != null && s.natAddress == null) {
                s.natAddress = natAddress;
                s.natPort = natTo;
                s.natDirection = direction;
                mappedNat = true;
                mappedRule = ruleOfString(nat);
            }
            if (rdrAddress != null && s.rdrAddress == null) {
                s.rdrAddress = rdrAddress;
                s.rdrPort = rdrTo;
                s.rdrDirection = direction;
                mappedRdr = true;
                mappedRule = Math.max(mappedRule, ruleOfString(rdr));
            }
            natAddress = s.natAddress;
            natTo = s.natPort;
            natSource = direction == s.natDirection;
            rdrAddress = s.rdrAddress;
            rdrTo = s.rdrPort;
            rdrSource = direction != s.rdrDirection;
        }
        if ((natAddress == null && rdrAddress == null) || length < 0) {
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
        if (natAddress != null && (!inline || natSource)) {
            count(rewriter.remap(l3, current.ipVersion(), current.ipHeaderLength(), l4, current.ipProtocol(),
                    natSource, natAddress, natTo));
            forward = natSource;
        }
        if (rdrAddress != null && (!inline || !rdrSource)) {
            count(rewriter.remap(l3, current.ipVersion(), current.ipHeaderLength(), l4, current.ipProtocol(),
                    rdrSource, rdrAddress, rdrTo));
            forward |= !rdrSource;
        }
        if (inline && forward && s != null && !s.replyRecorded) {
            replies.recordReply(current, rewriter.output());
            s.replyRecorded = true;
        }
        return length;
    }

    private void count(boolean applied) {
        counters.increment(applied ? RewriteCounter.REMAPS_APPLIED : RewriteCounter.REMAPS_REFUSED);
    }

    /** The address of remap string {@code index}, parsed once; an empty array (never applies) if it is no address. */
    private byte[] address(int index) {
        byte[] a = addresses[index];
        if (a == null) {
            try {
                a = Addresses.parse(new String(strings.get(index), StandardCharsets.ISO_8859_1));
            } catch (IllegalArgumentException e) {
                a = new byte[0];
            }
            addresses[index] = a;
        }
        return a;
    }
}
