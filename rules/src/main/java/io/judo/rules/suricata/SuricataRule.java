package io.judo.rules.suricata;

import io.judo.rules.ir.Content;
import io.judo.rules.ir.Flowbit;
import io.judo.rules.ir.Flowint;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Inspection;
import io.judo.rules.ir.UintTest;
import io.judo.rules.ir.Xbit;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import java.util.List;

/**
 * One parsed rule: the header resolved to sets (null meaning "any"), the informational options, and the payload
 * keywords as inspections: one chain per buffer (the packet data, or an HTTP buffer with its transforms), each in
 * rule order, as Suricata evaluates them.
 *
 * @param src source addresses, null for any
 * @param srcPorts source ports, null for any
 * @param bidirectional {@code <>}: the rule also matches with source and destination swapped
 * @param http the header protocol is {@code http} (or {@code http1}): a TCP rule for flows whose application layer
 *     is HTTP
 * @param appProtos the {@code app-layer-protocol} tests, all of which must hold
 * @param appEvents the {@code app-layer-event:http.NAME} events, by the HTTP parser's event name (NAME upper-cased),
 *     and the {@code app-layer-event:dns.NAME} events as {@code dns.NAME},
 *     all of which the inspected transaction must have raised
 * @param inspections the rule's chains, each over one buffer; at most one is {@link Inspection#raw()}
 * @param events the {@code decode-event}, {@code stream-event} and {@code engine-event} tests, all of which the
 *     packet must pass
 * @param checksums the {@code ipv4-csum}, {@code tcpv4-csum} (and kin) tests, all of which the packet must pass
 */
public record SuricataRule(String file, int line, String text, Action action, Proto proto,
        CidrSet src, IntRangeSet srcPorts, boolean bidirectional, CidrSet dst, IntRangeSet dstPorts,
        boolean http, String msg, int gid, long sid, int rev, String classtype, int priority, String target,
        List<Inspection> inspections, List<AppProto> appProtos, List<String> appEvents, FlowSpec flow, UintTest dsize, FlagsTest flags,
        UintTest ttl, UintTest itype, UintTest icode, int ipProto, List<Flowbit> flowbits, boolean noalert, Threshold threshold,
        Threshold detectionFilter, StreamSize streamSize, List<Xbit> xbits, List<Flowint> flowints,
        List<Suppression> suppressions, RateFilter rateFilter, List<EventTest> events, List<ChecksumTest> checksums) {

    /**
     * One {@code decode-event}, {@code stream-event} or {@code engine-event}: the packet has the decode problem
     * ({@code io.judo.packet.decode.Malformed}) of ordinal {@code bit} and, when {@code layer} is not -1, showed the
     * protocol ({@code io.judo.packet.decode.Protocol}) of that ordinal; or, for a {@code stream} test, tracking the
     * packet raised the {@code io.judo.reassembly.StreamEvent} of ordinal {@code bit}.
     *
     * @param name Suricata's full name of the event ({@code decoder.ipv4.trunc_pkt}), lower case
     */
    public record EventTest(String name, boolean stream, int bit, int layer) {
    }

    /**
     * One checksum keyword ({@code ipv4-csum:valid}, {@code tcpv6-csum:invalid}, ...): the packet's innermost IP
     * header is of version {@code ipVersion} and, for a transport keyword, carries protocol {@code ipProto} (-1 for
     * {@code ipv4-csum}, which judges the IPv4 header); the checksum can be judged (see
     * {@code io.judo.packet.decode.Checksums}) and is good ({@code valid}) or wrong.
     *
     * @param keyword the keyword as written, lower case ({@code tcpv4-csum})
     */
    public record ChecksumTest(String keyword, int ipVersion, int ipProto, boolean valid) {
        /** Whether the test judges the IPv4 header rather than the transport header. */
        public boolean ipHeader() {
            return ipProto < 0;
        }
    }

    /**
     * {@code stream_size}: {@code test} on the size of the client's or the server's TCP stream (next sequence number
     * minus initial, as Suricata computes it), on both or on either; null in a rule without it.
     */
    public record StreamSize(Side side, UintTest test) {
        /** Which stream or streams the test reads. */
        public enum Side { CLIENT, SERVER, BOTH, EITHER }
    }

    /** What a match does. */
    public enum Action { ALERT, PASS, DROP, REJECT }

    /** The header protocol; {@code tcp-pkt} and {@code tcp-stream} fix where content is looked for. */
    public enum Proto { IP, TCP, UDP, ICMP, TCP_PKT, TCP_STREAM }

    /**
     * {@code flow}: direction -1 any, 0 to the server, 1 to the client; established -1 any, 1 yes, 0 no; stream -1
     * either, 1 only the reassembled stream, 0 only packets.
     */
    public record FlowSpec(int direction, int established, boolean stateless, int stream) {
        public static final FlowSpec ANY = new FlowSpec(-1, -1, false, -1);
    }

    /**
     * {@code flags}: the bits in {@code bits} tested under {@code mod} ({@code '='} exactly, {@code '+'} all of them,
     * {@code '*'} any of them, {@code '!'} none of them), after removing the bits in {@code ignore}.
     */
    public record FlagsTest(int bits, char mod, int ignore) {
        public boolean test(int flags) {
            int f = flags & ~ignore & 0xff;
            switch (mod) {
                case '+': return (f & bits) == bits;
                case '*': return (f & bits) != 0;
                case '!': return (f & bits) == 0;
                default: return f == bits;
            }
        }
    }

    /**
     * threshold or detection_filter: type limit/threshold/both/filter, counted per {@code track} key over windows of
     * {@code seconds}.
     */
    public record Threshold(String type, Track track, int count, int seconds) {
    }

    /**
     * What a threshold counts per ({@code track by_src} and so on): one counter per source, destination, rule, unordered
     * address pair or flow; a suppression matches its addresses against the source, the destination or either.
     */
    public enum Track {
        SRC("by_src"), DST("by_dst"), RULE("by_rule"), BOTH("by_both"), FLOW("by_flow"), EITHER("by_either");

        private final String word;

        Track(String word) {
            this.word = word;
        }

        /** As written in a rule or threshold.config ({@code by_src}). */
        public String word() {
            return word;
        }

        /** The track named {@code word}, or null. */
        public static Track named(String word) {
            for (Track t : values()) {
                if (t.word.equals(word)) {
                    return t;
                }
            }
            return null;
        }
    }

    /**
     * A threshold.config {@code suppress}: no alert when {@code track} is null (the whole rule), else when the packet's
     * source ({@link Track#SRC}), destination ({@link Track#DST}) or either ({@link Track#EITHER}) is in
     * {@code addresses}. The rule still runs, sets its flow bits and applies its action.
     */
    public record Suppression(Track track, CidrSet addresses) {
        /** Whether an alert of a packet from {@code src} to {@code dst} (addresses at these offsets) is suppressed. */
        public boolean suppresses(java.nio.ByteBuffer b, int src, int dst, int length) {
            return switch (track == null ? Track.RULE : track) {
                case SRC -> addresses.contains(b, src, length);
                case DST -> addresses.contains(b, dst, length);
                case EITHER -> addresses.contains(b, src, length) || addresses.contains(b, dst, length);
                default -> true;
            };
        }
    }

    /**
     * A threshold.config {@code rate_filter}: once more than {@code count} matches per {@code track} key fall in
     * {@code seconds}, matches take {@code newAction} for {@code timeout} seconds.
     */
    public record RateFilter(Track track, int count, int seconds, Action newAction, int timeout) {
    }

    /**
     * This rule with the alert filters a threshold.config gave it: its threshold and detection_filter replaced (null
     * for none), its suppressions and rate filter set.
     */
    public SuricataRule withFilters(Threshold threshold, Threshold detectionFilter, List<Suppression> suppressions,
            RateFilter rateFilter) {
        return new SuricataRule(file, line, text, action, proto, src, srcPorts, bidirectional, dst, dstPorts, http, msg,
                gid, sid, rev, classtype, priority, target, inspections, appProtos, appEvents, flow, dsize, flags, ttl,
                itype, icode, ipProto, flowbits, noalert, threshold, detectionFilter, streamSize, xbits, flowints,
                List.copyOf(suppressions), rateFilter, events, checksums);
    }

    /**
     * {@code app-layer-protocol:[!]NAME}: {@code id} is one of the {@code Helpers.APP_PROTO_*} ids (HTTP, FAILED,
     * DNS); the header protocol {@code dns} is an implicit {@code app-layer-protocol:dns}.
     */
    public record AppProto(int id, boolean negated) {
    }

    /** The chain over the packet data (payload or stream): the raw inspection's items, empty when it has none. */
    public List<Inspect> chain() {
        for (Inspection i : inspections) {
            if (i.raw()) {
                return i.items();
            }
        }
        return List.of();
    }

    /** The inspections over application-layer (transaction) buffers. */
    public List<Inspection> transactionInspections() {
        return inspections.stream().filter(i -> !i.raw()).toList();
    }

    /** The packet data chain's content keywords. */
    public List<Content> contents() {
        return chain().stream().filter(i -> i instanceof Content).map(i -> (Content) i).toList();
    }

    /**
     * Runs on HTTP transactions: it inspects an HTTP buffer or tests an HTTP event, or it is an {@code http} rule with
     * nothing to inspect in the packet data (so it fires once per transaction rather than per packet).
     */
    public boolean transactionInspected() {
        return !transactionInspections().isEmpty() || !appEvents.isEmpty() || http && chain().isEmpty();
    }

    /**
     * Tests a decode problem: like Suricata's decoder-event rules it runs on every packet, also one whose decoding
     * stopped before an IP header.
     */
    public boolean decodeInspected() {
        return events.stream().anyMatch(e -> !e.stream());
    }

    /**
     * Inspects the reassembled stream rather than packets (for TCP with payload keywords); never a rule with a
     * decoder or stream event, which Suricata runs on packets only (the event is the packet's).
     */
    public boolean streamInspected() {
        if (chain().isEmpty() || proto == Proto.TCP_PKT || flow.stream() == 0 || !events.isEmpty()) {
            return false;
        }
        return proto == Proto.TCP || proto == Proto.TCP_STREAM;
    }

    /** {@code gid:sid:rev}, as Snort and Suricata print a rule id. */
    public String id() {
        return gid + ":" + sid + ":" + rev;
    }
}
