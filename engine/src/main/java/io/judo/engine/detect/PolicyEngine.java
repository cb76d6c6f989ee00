package io.judo.engine.detect;

import io.judo.matcher.Engine;
import io.judo.matcher.MatchSink;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.Scanner;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.StreamConfig;
import io.judo.reassembly.TcpStream;
import io.judo.rewrite.DeltaMap;
import io.judo.rewrite.PayloadEdits;
import io.judo.rewrite.SegmentRewriter;
import io.judo.rules.judo.CompiledPolicy;
import io.judo.rules.judo.JudoRule;
import io.judo.rules.suricata.PayloadInspector;
import io.judo.vm.Verdict;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Helpers;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.ProgramRunner;
import io.judo.vm.interp.PacketContext;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a judo-language policy: one program run per packet with pf's semantics, tags, queue and priority kept per flow
 * (as pf keeps them in the state entry, so they stick to later packets), and payload conditions on the reassembled
 * stream evaluated as its bytes arrive: once a rule's stream condition has held in a flow direction it stays true
 * for that direction, so a {@code block ... content} blocks the packet that completed the match and every later one.
 * Rewrites, remaps and TOS changes are counted here; applying them is the rewrite engine's job. One per worker.
 */
public final class PolicyEngine implements AutoCloseable {
    private static final int SLOT = 1;

    /** A packet a {@code log} rule matched, with the decision the whole policy reached for it. */
    public record Logged(long timeNanos, long flowId, PacketView packet, JudoRule rule, int verdict) {
    }

    private final CompiledPolicy policy;
    private final List<JudoRule> rules;
    private final FlowPath path;
    private final ProgramRunner interpreter;
    private final PacketContext ctx = new PacketContext();
    private final PayloadInspector inspector = new PayloadInspector();
    private final StreamWindows windows = new StreamWindows();
    private final PatternDatabase db;
    private final Scanner scanner;
    private final long[] candidates;
    private final MatchSink marks;
    private final Consumer<Logged> log;
    private final int[] logged;
    private int loggedCount;
    private byte[] packetScratch = new byte[2048];
    private PacketView current;
    private long now;
    private Flow flow;
    private int direction;
    private final long[] decidedBy;
    /** Per replace rule: occurrences of its text that ended in this packet's new stream bytes. */
    private final int[] occurrences;
    private final int[] ruleOfReplacement;
    private boolean anyOccurrence;
    /** This packet's new occurrences of replace texts: stream offset, rule, direction (few per packet). */
    private long[] foundAt = new long[8];
    private int[] foundRule = new int[8];
    private int foundCount;
    /** Replace rules whose header selected this packet (their {@code replace_match} ran). */
    private final long[] replaceSelected;
    private final PayloadEdits edits = new PayloadEdits();
    private int[] editRules = new int[8];
    private long rewritesApplied;
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
    private long rewritesSpanning;
    private final long[] taggedPackets;
    private final long[] queuedPackets;
    private final long[] queuedBytes;
    private final long[] verdicts = new long[4];
    private long replaceMatches;
    private long remaps;
    private long tosChanges;
    private long streamMatches;

    /** Per-flow policy state. */
    private static final class FlowState {
        long tag;
        long queue;
        long prio = -1;
        /** Per direction, the rules whose stream conditions have held. */
        final long[][] matched = new long[2][];
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
        final StreamWindows.Tails tails = new StreamWindows.Tails();
    }

    public PolicyEngine(CompiledPolicy policy, Engine matcher, StreamConfig config, boolean validateChecksums,
            Consumer<Logged> log) {
        this(policy, matcher, config, validateChecksums, log, false);
    }

    /** As above; {@code jit} runs the policy program JIT-compiled (falling back to the interpreter on failure). */
    public PolicyEngine(CompiledPolicy policy, Engine matcher, StreamConfig config, boolean validateChecksums,
            Consumer<Logged> log, boolean jit) {
        this.policy = policy;
        this.rules = policy.policy().rules();
        this.log = log;
        this.logged = new int[Math.max(1, rules.size())];
        this.decidedBy = new long[rules.size() + 1];
        this.taggedPackets = new long[policy.policy().tags().size() + 1];
        this.queuedPackets = new long[policy.policy().queues().size() + 1];
        this.queuedBytes = new long[policy.policy().queues().size() + 1];
        this.candidates = new long[(rules.size() + 63) / 64];
        this.replaceSelected = new long[candidates.length];
        this.remapAddresses = new byte[policy.program().program().strings().values().size()][];
        this.occurrences = new int[rules.size()];
        int[] replacements = policy.replacements();
        this.ruleOfReplacement = new int[rules.size()];
        for (int i = 0; i < replacements.length; i++) {
            if (replacements[i] >= 0) {
                ruleOfReplacement[replacements[i]] = i;
            }
        }
        HelperTable helpers = new HelperTable()
                .bind(Helpers.INSPECT, (c, r1, r2, r3, r4, r5) -> inspect((int) r1) ? 1 : 0)
                .bind(Helpers.LOG, (c, r1, r2, r3, r4, r5) -> {
                    logged[loggedCount++ % logged.length] = (int) r1 - 1;
                    return 0;
                })
                .bind(Helpers.REPLACE_MATCH, (c, r1, r2, r3, r4, r5) -> {
                    int rule = ruleOfReplacement[(int) r1];
                    replaceMatches += occurrences[rule];
                    replaceSelected[rule >>> 6] |= 1L << rule;
                    return occurrences[rule];
                })
                .bind(Helpers.REMAP_ADDR, (c, r1, r2, r3, r4, r5) -> {
                    remaps++;
                    if (r1 == 0) {
                        pendingNat = (int) r2;
                    } else {
                        pendingRdr = (int) r2;
                    }
                    return 0;
                })
                .bind(Helpers.REMAP_PORT, (c, r1, r2, r3, r4, r5) -> {
                    if (r1 == 0) {
                        pendingNatPort = (int) r2;
                    } else {
                        pendingRdrPort = (int) r2;
                    }
                    return 0;
                })
                .bind(Helpers.SET_TOS, (c, r1, r2, r3, r4, r5) -> {
                    tosChanges++;
                    pendingTos = (int) r1 & 0xff;
                    return 0;
                });
        this.interpreter = Detector.runner(policy.program(), helpers, jit);
        this.db = policy.prefilter().isEmpty() ? null : matcher.compile(policy.prefilter());
        this.scanner = db == null ? null : db.scanner();
        this.marks = (id, start, end) -> {
            for (int rule : policy.rulesOfPattern()[id]) {
                candidates[rule >>> 6] |= 1L << rule;
            }
        };
        this.path = new FlowPath(config, validateChecksums, this::stream, f -> {
            FlowState s = (FlowState) f.slot(SLOT);
            return s == null ? null : s.tails;
        });
    }

    /** {@link #packet} result for a fragment held until its datagram completes (the completing one decides). */
    public static final int HELD = 0;

    /**
     * Decides one packet.
     *
     * @return the verdict ({@link Verdict#PASS}, {@link Verdict#DROP} or {@link Verdict#REJECT}), or {@link #HELD}
     *     for a fragment kept until its datagram is whole: pf decides reassembled datagrams, not fragments
     */
    public int packet(PacketView v, long timeNanos) {
        if (anyOccurrence) {
            Arrays.fill(occurrences, 0);
            Arrays.fill(replaceSelected, 0);
            anyOccurrence = false;
        }
        foundCount = 0;
        lastEditCount = 0;
        pendingTos = -1;
        pendingNat = -1;
        pendingNatPort = -1;
        pendingRdr = -1;
        pendingRdrPort = -1;
        now = timeNanos;
        v = path.track(v, timeNanos);
        if (v == null) {
            verdicts[HELD]++;
            return HELD;
        }
        current = v;
        flow = path.flow();
        direction = flow == null ? 0 : path.direction();
        FlowState s = flow == null ? null : state(flow);
        ctx.bind(v);
        ctx.flow(direction, flow == null ? 0 : (flow.established() ? 1 : 0) | 2, 0);
        if (s != null) {
            ctx.metadata(s.tag, s.queue, 0, Math.max(0, s.prio));
        }
        loggedCount = 0;
        int result = interpreter.run(ctx);
        int verdict = result & 0xff;
        verdicts[verdict]++;
        decidedBy[(int) Math.min(decidedBy.length - 1, Math.max(0, ctx.ruleId()))]++;
        long tag = ctx.tag();
        long queue = ctx.queue();
        if (s != null) {
            s.tag = tag;
            s.queue = queue;
            s.prio = ctx.prio();
        }
        if (tag > 0 && tag < taggedPackets.length) {
            taggedPackets[(int) tag]++;
        }
        if (verdict == Verdict.PASS && queue > 0 && queue < queuedPackets.length) {
            queuedPackets[(int) queue]++;
            queuedBytes[(int) queue] += v.originalLength();
        }
        for (int i = 0; i < Math.min(loggedCount, logged.length); i++) {
            log.accept(new Logged(timeNanos, flow == null ? 0 : flow.id(), v, rules.get(logged[i]), verdict));
        }
        return verdict;
    }

    /** Stream bytes: every stream rule whose literal occurs (or that has none) is checked on the window. */
    private void stream(Flow f, int dir, long offset, byte[] data, int from, int length) {
        if (policy.prefilter().isEmpty() && policy.streamAlways().length == 0) {
            return;
        }
        FlowState s = state(f);
        byte[] window = windows.assemble(s.tails, dir, offset, data, from, length);
        Arrays.fill(candidates, 0);
        for (int rule : policy.streamAlways()) {
            candidates[rule >>> 6] |= 1L << rule;
        }
        if (scanner != null) {
            scanner.scan(windows.view(), 0, windows.length(), marks);
        }
        for (int w = 0; w < candidates.length; w++) {
            long bits = candidates[w];
            while (bits != 0) {
                int rule = (w << 6) + Long.numberOfTrailingZeros(bits);
                bits &= bits - 1;
                JudoRule r = rules.get(rule);
                if (r.replaceWith() != null) {
                    int n = countNew(r, rule, window);
                    occurrences[rule] += n;
                    anyOccurrence |= n > 0;
                    continue;
                }
                long[] matched = s.matched[dir];
                if (matched != null && (matched[rule >>> 6] & 1L << rule) != 0) {
                    continue; // already true for this direction
                }
                if (inspector.matches(rules.get(rule).chain(), window, windows.length(), windows.base(),
                        windows.newFrom())) {
                    if (matched == null) {
                        matched = new long[candidates.length];
                        s.matched[dir] = matched;
                    }
                    matched[rule >>> 6] |= 1L << rule;
                    streamMatches++;
                }
            }
        }
        windows.keep(s.tails, dir);
    }

    /**
     * Occurrences of a replace rule's text that end in the window's new bytes: each is one rewrite, made once however
     * many packets later belong to the flow (a rewriting proxy's "every occurrence in the stream").
     */
    private int countNew(JudoRule r, int rule, byte[] window) {
        byte[] old = replaced(r);
        int n = 0;
        int from = Math.max(0, windows.newFrom() - old.length + 1);
        for (int at = from; at + old.length <= windows.length(); at++) {
            if (Arrays.equals(window, at, at + old.length, old, 0, old.length)) {
                n++;
                if (foundCount == foundAt.length) {
                    foundAt = Arrays.copyOf(foundAt, foundCount * 2);
                    foundRule = Arrays.copyOf(foundRule, foundCount * 2);
                }
                foundAt[foundCount] = windows.base() + at;
                foundRule[foundCount++] = rule;
                at += old.length - 1;
            }
        }
        return n;
    }

    private static byte[] replaced(JudoRule r) {
        return ((io.judo.rules.suricata.SuricataRule.Content) r.chain().get(0)).bytes();
    }

    /**
     * Rewrites the TCP segment {@link #packet} last decided: the occurrences of replace texts that its rules selected
     * and that lie wholly in this segment are replaced (an occurrence spanning segments is counted, not replaced),
     * edits already made to the data it carries (a retransmission) are made again, and its sequence, acknowledgement
     * and SACK numbers follow the flow's earlier edits.
     *
     * @return the rewritten frame's length in {@code rewriter.output()}, 0 when the packet goes out unchanged, or a
     *     negative {@link SegmentRewriter} result when it cannot be rewritten (send it unchanged, count the reason)
     */
    public int rewriteLast(SegmentRewriter rewriter) {
        if (current == null) {
            return 0;
        }
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
            FlowState s = state(flow);
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
                a = io.judo.packet.Addresses.parse(new String(policy.program().program().strings().values().get(index),
                        java.nio.charset.StandardCharsets.ISO_8859_1));
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

    /** {@link #rewriteLast} for a TCP segment of a tracked flow: payload edits and sequence-space moves. */
    private int rewriteSegment(SegmentRewriter rewriter) {
        lastEditCount = 0;
        FlowState s = state(flow);
        TcpStream own = flow.stream(direction);
        TcpStream other = flow.stream(1 - direction);
        boolean ownKnown = own != null && own.hasIsn();
        edits.clear();
        int editCount = 0;
        if (ownKnown && current.payloadLength() > 0 && (foundCount > 0 || s.deltas[direction] != null)) {
            editCount = collectEdits(s.deltas[direction], (current.seq() - own.isn() - 1) & 0xffffffffL);
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
            lastPayloadAt = (current.seq() - own.isn() - 1) & 0xffffffffL;
        }
        return length;
    }

    /** Fills {@link #edits} for a segment whose payload starts at stream offset {@code payloadAt}; returns the count. */
    private int collectEdits(DeltaMap made, long payloadAt) {
        int payloadLength = current.payloadLength();
        // candidates: edits made before to these bytes (retransmitted), then this packet's new selected occurrences
        int n = 0;
        long[] at = candidateAt;
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
        at = candidateAt;
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

    /** Payload edits made in the packet last rewritten by {@link #rewriteLast} (0 when none). */
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

    /**
     * The {@code inspect} helper: for a replace rule, whether this packet's stream bytes held its text; for another
     * stream rule, its sticky result for this direction; otherwise the packet's payload.
     */
    private boolean inspect(int rule) {
        JudoRule r = rules.get(rule);
        if (r.replaceWith() != null && r.stream()) {
            return occurrences[rule] > 0 && flow != null;
        }
        if (r.stream()) {
            if (flow == null) {
                return false;
            }
            long[] matched = state(flow).matched[direction];
            return matched != null && (matched[rule >>> 6] & 1L << rule) != 0;
        }
        int length = Math.max(0, current.payloadLength());
        if (packetScratch.length < length) {
            packetScratch = new byte[Math.max(length, packetScratch.length * 2)];
        }
        current.buffer().get(current.payloadOffset(), packetScratch, 0, length);
        return inspector.matches(r.chain(), packetScratch, length, 0, 0);
    }

    private FlowState state(Flow f) {
        FlowState s = (FlowState) f.slot(SLOT);
        if (s == null) {
            s = new FlowState();
            f.slot(SLOT, s);
        }
        return s;
    }

    /** Sends stream anomalies to {@code sink} (see {@link Detector#onAnomaly}). */
    public void onAnomaly(java.util.function.Consumer<Detector.Anomaly> sink) {
        path.anomalies((f, dir, event, offset) -> sink.accept(new Detector.Anomaly(now, f, dir, event, offset)));
    }

    /** The packet {@link #packet} last decided (the whole datagram for a reassembled one). */
    public PacketView lastPacket() {
        return current;
    }

    /** The time of the packet last decided (nanoseconds since the epoch). */
    public long lastTime() {
        return now;
    }

    /** The direction (0 client to server) of the packet last decided within its flow. */
    public int lastDirection() {
        return direction;
    }

    /** The flow of the packet last decided, or null. */
    public Flow lastFlow() {
        return flow;
    }

    /** The rule that decided the last packet (index into the policy's rules), or -1 for the default. */
    public int lastRule() {
        return (int) ctx.ruleId() - 1;
    }

    /** Ends every flow (end of input). */
    public void finish() {
        path.finish();
    }

    /** Packets per verdict, indexed by {@link Verdict} code ({@link #HELD} at 0). */
    public long[] verdicts() {
        return verdicts;
    }

    /** Packets decided per rule id (index 0: the default, no pass/block rule matched). */
    public long[] decidedBy() {
        return decidedBy;
    }

    /** Packets carrying each tag (1-based ids as in the policy). */
    public long[] taggedPackets() {
        return taggedPackets;
    }

    /** Passed packets per queue (1-based ids) and their bytes on the wire. */
    public long[] queuedPackets() {
        return queuedPackets;
    }

    public long[] queuedBytes() {
        return queuedBytes;
    }

    /** Occurrences of replace rules' texts in streams whose packets the rule's header selected: rewrites the rewrite
     *  engine will apply. */
    public long replaceMatches() {
        return replaceMatches;
    }

    public long remaps() {
        return remaps;
    }

    public long tosChanges() {
        return tosChanges;
    }

    /** Stream conditions that became true (once per rule and flow direction). */
    public long streamMatches() {
        return streamMatches;
    }

    public CompiledPolicy policy() {
        return policy;
    }

    public io.judo.reassembly.TcpReassembler reassembler() {
        return path.reassembler();
    }

    @Override
    public void close() {
        if (scanner != null) {
            scanner.close();
        }
        if (db != null) {
            db.close();
        }
    }
}
