package io.judo.engine.detect;

import io.judo.matcher.Engine;
import io.judo.matcher.MatchSink;
import io.judo.matcher.PatternDatabase;
import io.judo.matcher.Scanner;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.StreamConfig;
import io.judo.rewrite.SegmentRewriter;
import io.judo.rules.judo.CompiledPolicy;
import io.judo.rules.judo.JudoRule;
import io.judo.vm.Verdict;
import io.judo.vm.interp.BufferOps;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Helpers;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.interp.ProgramRunner;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * Runs a judo-language policy: one program run per packet with pf's semantics, tags, queue and priority kept per flow
 * (as pf keeps them in the state entry, so they stick to later packets), and payload conditions on the reassembled
 * stream evaluated as its bytes arrive: once a rule's stream condition has held in a flow direction it stays true
 * for that direction, so a {@code block ... content} blocks the packet that completed the match and every later one.
 * Rewrites, remaps and TOS changes are counted here and applied by {@link #rewriteLast} ({@link PolicyRewrites}).
 * One per worker.
 */
public final class PolicyEngine implements AutoCloseable, Rewriting {
    private static final int SLOT = 1;

    /** A packet a {@code log} rule matched, with the decision the whole policy reached for it. */
    public record Logged(long timeNanos, long flowId, PacketView packet, JudoRule rule, int verdict) {
    }

    private final CompiledPolicy policy;
    private final List<JudoRule> rules;
    private final FlowPath path;
    private final ProgramRunner interpreter;
    private final PacketContext ctx = new PacketContext();
    /** The stream rules' program (null when there are none), run a region at a time on each stream chunk. */
    private final ProgramRunner streamRunner;
    private final PacketContext streamCtx = new PacketContext();
    private static final java.nio.ByteBuffer NO_FRAME = java.nio.ByteBuffer.allocate(0);
    private final StreamWindows windows = new StreamWindows();
    private final PatternDatabase db;
    private final Scanner scanner;
    private final long[] candidates;
    private final MatchSink marks;
    private final Consumer<Logged> log;
    private final int[] logged;
    private int loggedCount;
    private PacketView current;
    private long now;
    private Flow flow;
    private int direction;
    private final long[] decidedBy;
    /** Per replace rule: occurrences of its text that ended in this packet's new stream bytes. */
    private final int[] occurrences;
    private final int[] ruleOfReplacement;
    private boolean anyOccurrence;
    private final PolicyRewrites rewrites;
    private final long[] taggedPackets;
    private final long[] queuedPackets;
    private final long[] queuedBytes;
    private final long[] verdicts = new long[4];
    private long replaceMatches;
    private long remaps;
    private long tosChanges;
    private long ttlChanges;
    private long streamMatches;
    private long lastQueue;

    /** Per-flow policy state. */
    private static final class FlowState {
        long tag;
        long queue;
        long prio = -1;
        /** Per direction, the rules whose stream conditions have held. */
        final long[][] matched = new long[2][];
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
        this.rewrites = new PolicyRewrites(PolicyRewrites.kindsOf(rules),
                policy.program().program().strings().values());
        rewrites.stringNames(policy.program().program().strings().names());
        this.occurrences = new int[rules.size()];
        int[] replacements = policy.replacements();
        this.ruleOfReplacement = new int[rules.size()];
        for (int i = 0; i < replacements.length; i++) {
            if (replacements[i] >= 0) {
                ruleOfReplacement[replacements[i]] = i;
            }
        }
        HelperTable helpers = BufferOps.bind(new HelperTable(), policy.program().program())
                .bind(Helpers.REGEX, new RegexHelper(policy.regexes()))
                .bind(Helpers.STREAM_MATCHED, (c, r1, r2, r3, r4, r5) -> streamMatched((int) r1) ? 1 : 0)
                .bind(Helpers.LOG, (c, r1, r2, r3, r4, r5) -> {
                    logged[loggedCount++ % logged.length] = (int) r1 - 1;
                    return 0;
                })
                .bind(Helpers.REPLACE_MATCH, (c, r1, r2, r3, r4, r5) -> {
                    int rule = ruleOfReplacement[(int) r1];
                    replaceMatches += occurrences[rule];
                    rewrites.selected(rule);
                    return occurrences[rule];
                })
                .bind(Helpers.REMAP_ADDR, (c, r1, r2, r3, r4, r5) -> {
                    remaps++;
                    rewrites.remapAddress((int) r1, (int) r2);
                    return 0;
                })
                .bind(Helpers.REMAP_PORT, (c, r1, r2, r3, r4, r5) -> {
                    rewrites.remapPort((int) r1, (int) r2);
                    return 0;
                })
                .bind(Helpers.SET_TOS, (c, r1, r2, r3, r4, r5) -> {
                    tosChanges++;
                    rewrites.tos((int) r1);
                    return 0;
                })
                .bind(Helpers.SET_TTL, (c, r1, r2, r3, r4, r5) -> {
                    ttlChanges++;
                    rewrites.ttl((int) r1);
                    return 0;
                });
        this.interpreter = Detector.runner(policy.program(), helpers, jit);
        if (policy.streamProgram() == null) {
            this.streamRunner = null;
        } else {
            // a stream rule's chain holds on a chunk on its own: progress across chunks is the sticky matched bit
            HelperTable streamHelpers = BufferOps.bind(new HelperTable(), policy.streamProgram().program())
                    .bind(Helpers.REGEX, new RegexHelper(policy.streamRegexes()))
                    .bind(Helpers.PROGRESS, (c, r1, r2, r3, r4, r5) -> 0)
                    .bind(Helpers.PROGRESS_SET, (c, r1, r2, r3, r4, r5) -> 0);
            this.streamRunner = Detector.runner(policy.streamProgram(), streamHelpers, jit);
        }
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
            anyOccurrence = false;
        }
        rewrites.startPacket();
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
        lastQueue = queue;
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
        streamCtx.bind(NO_FRAME, 0, 0, 0).stream(window, windows.length(), windows.base(), windows.newFrom());
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
                    int n = countNew(r, rule, window, dir);
                    occurrences[rule] += n;
                    anyOccurrence |= n > 0;
                    continue;
                }
                long[] matched = s.matched[dir];
                if (matched != null && (matched[rule >>> 6] & 1L << rule) != 0) {
                    continue; // already true for this direction
                }
                if (streamHolds(rule)) {
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
    private int countNew(JudoRule r, int rule, byte[] window, int dir) {
        byte[] old = PolicyRewrites.replaced(r);
        int n = 0;
        int from = Math.max(0, windows.newFrom() - old.length + 1);
        for (int at = from; at + old.length <= windows.length(); at++) {
            if (Arrays.equals(window, at, at + old.length, old, 0, old.length)) {
                n++;
                rewrites.found(windows.base() + at, rule, dir);
                at += old.length - 1;
            }
        }
        return n;
    }

    /**
     * Rewrites the packet {@link #packet} last decided as the policy asked (see {@link PolicyRewrites#rewrite}).
     *
     * @return the rewritten frame's length in {@code rewriter.output()}, 0 when the packet goes out unchanged, or a
     *     negative {@link SegmentRewriter} result when it cannot be rewritten (send it unchanged, count the reason)
     */
    public int rewriteLast(SegmentRewriter rewriter) {
        return rewriteLast(rewriter, 0);
    }

    /**
     * As {@link #rewriteLast(SegmentRewriter)}, for a packet going out of bridge port {@code port}: inline, bytes at
     * a segment's end that begin a replace text may be held back; {@link #flushHeld} sends those that waited too long.
     */
    @Override
    public int rewriteLast(SegmentRewriter rewriter, int port) {
        return current == null ? 0 : rewrites.rewriteInFlow(rewriter, current, flow, direction, port, now);
    }


    /** What the policy's rewrites did: counts, and the edits of the packet last rewritten. */
    @Override
    public PolicyRewrites rewrites() {
        return rewrites;
    }

    /** Whether stream rule {@code rule}'s chain holds on the chunk bound to the stream context. */
    private boolean streamHolds(int rule) {
        int region = policy.streamRegionOfRule()[rule];
        return region >= 0 && streamRunner.runRegion(streamCtx,
                policy.streamProgram().program().regions().get(region)) == Verdict.PASS;
    }

    /**
     * The {@code stream_matched} helper: for a replace rule, whether this packet's stream bytes held its text; for
     * another stream rule, its sticky result for this direction.
     */
    private boolean streamMatched(int rule) {
        JudoRule r = rules.get(rule);
        if (r.replaceWith() != null) {
            return occurrences[rule] > 0 && flow != null;
        }
        if (flow == null) {
            return false;
        }
        long[] matched = state(flow).matched[direction];
        return matched != null && (matched[rule >>> 6] & 1L << rule) != 0;
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
    @Override
    public PacketView lastPacket() {
        return current;
    }

    /** The time of the packet last decided (nanoseconds since the epoch). */
    @Override
    public long lastTime() {
        return now;
    }

    /** The direction (0 client to server) of the packet last decided within its flow. */
    @Override
    public int lastDirection() {
        return direction;
    }

    /** The flow of the packet last decided, or null. */
    @Override
    public Flow lastFlow() {
        return flow;
    }

    /** The queue (1-based id as in the policy, 0 for none) the packet last decided was put in. */
    public int lastQueue() {
        return (int) lastQueue;
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

    /** Packets a {@code set ttl} rule matched. */
    public long ttlChanges() {
        return ttlChanges;
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
