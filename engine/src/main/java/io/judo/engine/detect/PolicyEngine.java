package io.judo.engine.detect;

import io.judo.matcher.Engine;
import io.judo.matcher.PatternDatabase;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.FlowSlot;
import io.judo.reassembly.StreamConfig;
import io.judo.rewrite.SegmentRewriter;
import io.judo.rules.judo.CompiledPolicy;
import io.judo.rules.judo.JudoRule;
import io.judo.vm.Verdict;
import io.judo.vm.interp.BufferOps;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Helpers;
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
 * The policy stage of a partition; built on its own (the public constructors) it has a flow path of its own and
 * {@link #packet} drives both. One per partition.
 */
public final class PolicyEngine implements Stage, Rewriting {

    /** A packet a {@code log} rule matched, with the decision the whole policy reached for it. */
    public record Logged(long timeNanos, long flowId, PacketView packet, JudoRule rule, int verdict) {
    }

    private final CompiledPolicy policy;
    private final List<JudoRule> rules;
    private final FlowPath path;
    private final boolean standalone;
    private final PatternDatabase db;
    private final FlowSlot<FlowState> slot;
    private final ProgramRunner interpreter;
    private final PacketContext ctx = new PacketContext();
    /** The stream rules' program (null when there are none), run a region at a time on each stream chunk. */
    private final ProgramRunner streamRunner;
    private final PacketContext streamCtx = new PacketContext();
    private static final java.nio.ByteBuffer NO_FRAME = java.nio.ByteBuffer.allocate(0);
    private final StreamWindows windows = new StreamWindows();
    private final Candidates candidates;
    private final Candidates.Visitor visitor;
    private byte[] window;
    private FlowState windowState;
    private int windowDirection;
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
    private long lastTag;
    private final StateLimiter limiter;
    /** The rule that decided the packet last given, -1 for the default (what {@link #lastRule} answers). */
    private int lastRule = -1;
    private final AddressKey tableProbe = new AddressKey();
    /** Packets dropped by a state limit: a state refused, or a connection past max-src-conn or its rate. */
    private long limitDrops;

    /** Per-flow policy state. */
    static final class FlowState {
        /** The 1-based id of the keep-state pass rule that created the flow's pf state, 0 while it has none. */
        int stateRule;
        /** The TOS and TTL the state's rule set ({@code set tos}, {@code set ttl}), -1 for none: pf keeps them in the
         *  state and gives them to every packet of it, both ways. */
        int tos = -1;
        int ttl = -1;
        long tag;
        long queue;
        long prio = -1;
        /** The state limiter's part of the state, null when no limit tracks it. */
        StateLimiter.Tracked tracked;
        /** Whether the state's connection was counted against its source (its handshake completed). */
        boolean connected;
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
        this(policy, database(policy, matcher), new FlowPath(config, validateChecksums), true, log,
                jit ? new JitCache() : null, StateLimiter.of(policy.policy()));
    }

    /**
     * A stage of a partition: {@code path} is the partition's, {@code db} the policy's prefilter database (shared by
     * every partition built from the policy, null when it has none: {@link #database}), {@code limiter} the state
     * limits every partition shares ({@link StateLimiter#of}, null for none).
     */
    public PolicyEngine(CompiledPolicy policy, PatternDatabase db, FlowPath path, Consumer<Logged> log,
            JitCache jit, StateLimiter limiter) {
        this(policy, db, path, false, log, jit, limiter);
    }

    /** The policy's stream prefilter compiled with {@code matcher}, or null when it has no pattern. */
    public static PatternDatabase database(CompiledPolicy policy, Engine matcher) {
        return policy.prefilter().isEmpty() ? null : matcher.compile(policy.prefilter());
    }

    private PolicyEngine(CompiledPolicy policy, PatternDatabase db, FlowPath path, boolean standalone,
            Consumer<Logged> log, JitCache jit, StateLimiter limiter) {
        this.limiter = limiter;
        this.path = path;
        this.standalone = standalone;
        this.db = db;
        this.slot = path.slots().allocate(FlowState.class, "policy stage");
        this.policy = policy;
        this.rules = policy.policy().rules();
        this.log = log;
        this.logged = new int[Math.max(1, rules.size())];
        this.decidedBy = new long[rules.size() + 1];
        this.taggedPackets = new long[policy.policy().tags().size() + 1];
        this.queuedPackets = new long[policy.policy().queues().size() + 1];
        this.queuedBytes = new long[policy.policy().queues().size() + 1];
        this.rewrites = new PolicyRewrites(PolicyRewrites.kindsOf(rules),
                policy.program().program().strings().values(), path.slots().allocate(
                        io.judo.rewrite.flow.FlowRewrite.class, "policy stage's rewriting"));
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
                    setTos((int) r1);
                    return 0;
                })
                .bind(Helpers.SET_TTL, (c, r1, r2, r3, r4, r5) -> {
                    setTtl((int) r1);
                    return 0;
                })
                .bind(Helpers.TABLE, (c, r1, r2, r3, r4, r5) -> limiter != null
                        && limiter.tables().contains((int) r2, c.view(), (int) r1, tableProbe) ? 1 : 0);
        this.interpreter = JitCache.runner(jit, policy.program(), helpers).runner();
        if (policy.streamProgram() == null) {
            this.streamRunner = null;
        } else {
            // a stream rule's chain holds on a chunk on its own: progress across chunks is the sticky matched bit
            HelperTable streamHelpers = BufferOps.bind(new HelperTable(), policy.streamProgram().program())
                    .bind(Helpers.REGEX, new RegexHelper(policy.streamRegexes()))
                    .bind(Helpers.PROGRESS, (c, r1, r2, r3, r4, r5) -> 0)
                    .bind(Helpers.PROGRESS_SET, (c, r1, r2, r3, r4, r5) -> 0)
                    .bind(Helpers.SEARCHED, (c, r1, r2, r3, r4, r5) -> 0)
                    .bind(Helpers.SEARCHED_SET, (c, r1, r2, r3, r4, r5) -> 0);
            this.streamRunner = JitCache.runner(jit, policy.streamProgram(), streamHelpers).runner();
        }
        this.candidates = new Candidates(rules.size(), db, policy.rulesOfPattern());
        this.visitor = this::streamRule;
        path.listen(this);
    }

    /** The inside networks ({@link #inside}), or null. */
    private io.judo.vm.pool.CidrSet inside;
    /** Inline: the policy's interface ids of the bridge's sides (0 for a name no rule uses), and the arrival side. */
    private final int[] sideIds = new int[2];
    private int arrivalSide = -1;

    /**
     * The networks inside the firewall: a packet from one of them goes {@code out}, others come {@code in}; null (the
     * default) makes every packet come in, as offline, with no interface, the capture is all one can see.
     */
    public void inside(io.judo.vm.pool.CidrSet networks) {
        this.inside = networks;
    }

    /** Inline: the bridge's side names, for the rules' {@code on}. */
    public void sides(String side0, String side1) {
        sideIds[0] = policy.interfaces().indexOf(side0) + 1;
        sideIds[1] = policy.interfaces().indexOf(side1) + 1;
    }

    /** Inline: the side the next packet arrived by (-1: offline, no interface). */
    public void arrivedBy(int side) {
        this.arrivalSide = side;
    }

    /**
     * The {@code interface} metadata of packet {@code v}: the interface id shifted left one, bit 0 set for {@code out}.
     * A packet from an inside network goes out (on the side it leaves by, inline); others come in (on the side they
     * arrived by).
     */
    private long iface(PacketView v) {
        boolean out = inside != null && v.addressLength() > 0
                && inside.contains(v.buffer(), v.srcAddressOffset(), v.addressLength());
        int id = arrivalSide < 0 ? 0 : sideIds[out ? 1 - arrivalSide : arrivalSide];
        return (long) id << 1 | (out ? 1 : 0);
    }

    /** The TOS and TTL this packet was given (-1 none), which a state created by it keeps. */
    private int packetTos = -1;
    private int packetTtl = -1;

    private void setTos(int tos) {
        tosChanges++;
        packetTos = tos;
        rewrites.tos(tos);
    }

    private void setTtl(int ttl) {
        ttlChanges++;
        packetTtl = ttl;
        rewrites.ttl(ttl);
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
        if (!standalone) {
            throw new IllegalStateException("this policy engine is a partition's stage: the partition tracks packets");
        }
        path.run(alone, v, timeNanos);
        return lastVerdict;
    }

    private int lastVerdict;
    /** This stage, as the one stage of its own flow path. */
    private final Stage[] alone = {this};

    @Override
    public void begin(PacketView v, long timeNanos) {
        if (anyOccurrence) {
            Arrays.fill(occurrences, 0);
            anyOccurrence = false;
        }
        rewrites.startPacket();
        now = timeNanos;
        lastVerdict = HELD;
        lastRule = -1;
    }

    @Override
    public void clock(long timeNanos) {
        now = timeNanos;
    }

    @Override
    public void fragmentHeld() {
        verdicts[HELD]++;
        lastVerdict = HELD;
    }

    /** The verdict for the packet last given: {@link Verdict} codes, or {@link #HELD} for a held fragment. */
    public int lastVerdict() {
        return lastVerdict;
    }

    @Override
    public void inspect(PacketView v, Flow f, int dir) {
        current = v;
        flow = f;
        direction = dir;
        FlowState s = flow == null ? null : state(flow);
        ctx.bind(v);
        if (s != null && s.tracked != null && s.tracked.killed()) {
            dropState(s); // an overload's flush killed it: this packet meets the rules again
        }
        boolean kept = s != null && s.stateRule > 0;
        if (kept && s.tracked != null && !s.connected && connectionComplete(v, s)) {
            s.connected = true;
            boolean within = limiter.established(s.tracked, now);
            if (!within && s.tracked.killed()) {
                // another partition's flush killed the state after the check above: this packet meets the rules
                dropState(s);
                kept = false;
            } else if (!within) {
                // past max-src-conn or the connection rate: pf drops the packet and the state with it
                decidedBy[s.stateRule]++;
                lastRule = s.stateRule - 1;
                s.tracked = null;
                dropState(s);
                limitDrops++;
                verdicts[Verdict.DROP]++;
                lastVerdict = Verdict.DROP;
                return;
            }
        }
        ctx.flow(direction, flow == null ? 0 : (flow.established() ? 1 : 0) | 2
                | (kept ? CompiledPolicy.FLOW_KEPT : 0), 0);
        ctx.iface(iface(v));
        if (flow != null) {
            ctx.streamSizes(flow.streamSize(0), flow.streamSize(1));
        }
        if (s != null) {
            ctx.metadata(s.tag, s.queue, 0, Math.max(0, s.prio));
        }
        loggedCount = 0;
        packetTos = -1;
        packetTtl = -1;
        if (kept) {
            // a packet of a state gets what its rule set, before payload rules (which may set their own)
            if (s.tos >= 0) {
                setTos(s.tos);
            }
            if (s.ttl >= 0) {
                setTtl(s.ttl);
            }
        }
        int result = interpreter.run(ctx);
        int verdict = result & 0xff;
        int rule = (int) Math.min(decidedBy.length - 1, Math.max(0, ctx.ruleId()));
        lastRule = rule - 1;
        if (s != null && !kept && verdict == Verdict.PASS && rule > 0 && rules.get(rule - 1).keepState()) {
            // pf creates a state for the packet a keep-state pass rule decided, unless a state limit refuses it
            StateLimiter.Tracked t = limiter == null ? null : limiter.admit(rule - 1, v, direction, now);
            if (t == StateLimiter.REFUSED) {
                verdict = Verdict.DROP;
                limitDrops++;
            } else {
                s.stateRule = rule;
                s.tracked = t;
                s.connected = false;
                s.tos = packetTos;
                s.ttl = packetTtl;
            }
        }
        verdicts[verdict]++;
        // a packet that passed through its flow's state counts for the rule that created the state
        decidedBy[rule == 0 && kept ? s.stateRule : rule]++;
        long tag = ctx.tag();
        long queue = ctx.queue();
        lastQueue = queue;
        lastTag = tag;
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
            log.accept(new Logged(now, flow == null ? 0 : flow.id(), v, rules.get(logged[i]), verdict));
        }
        lastVerdict = verdict;
    }

    /** Stream bytes: every stream rule whose literal occurs (or that has none) is checked on the window. */
    @Override
    public void data(Flow f, int dir, long offset, byte[] data, int from, int length) {
        if (policy.prefilter().isEmpty() && policy.streamAlways().length == 0) {
            return;
        }
        FlowState s = state(f);
        window = windows.assemble(s.tails, dir, offset, data, from, length);
        windowState = s;
        windowDirection = dir;
        streamCtx.bind(NO_FRAME, 0, 0, 0).stream(window, windows.length(), windows.base(), windows.newFrom());
        candidates.reset(policy.streamAlways());
        candidates.scan(windows.view(), 0, windows.length());
        candidates.visit(visitor);
        windows.keep(s.tails, dir);
    }

    /** One candidate stream rule on the window bound by {@link #data}. */
    private boolean streamRule(int rule) {
        JudoRule r = rules.get(rule);
        int dir = windowDirection;
        if (r.replaceWith() != null) {
            int n = countNew(r, rule, window, dir);
            occurrences[rule] += n;
            anyOccurrence |= n > 0;
            return true;
        }
        long[] matched = windowState.matched[dir];
        if (matched != null && (matched[rule >>> 6] & 1L << rule) != 0) {
            return true; // already true for this direction
        }
        if (streamHolds(rule)) {
            if (matched == null) {
                matched = new long[(rules.size() + 63) / 64];
                windowState.matched[dir] = matched;
            }
            matched[rule >>> 6] |= 1L << rule;
            streamMatches++;
        }
        return true;
    }

    /**
     * Whether packet {@code v} completes its state's TCP handshake: the first packet from the state's side without SYN
     * after both SYNs (pf counts a connection against its source there).
     */
    private boolean connectionComplete(PacketView v, FlowState s) {
        return flow.protocol() == 6 && direction == s.tracked.origin() && flow.established()
                && (v.tcpFlags() & 0x02) == 0;
    }

    /** The flow's state is gone (killed by a flush, or cut by a limit): its next packets meet the rules. */
    private void dropState(FlowState s) {
        if (s.tracked != null) {
            limiter.ended(s.tracked);
            s.tracked = null;
        }
        s.stateRule = 0;
    }

    @Override
    public void closed(Flow f) {
        FlowState s = slot.get(f);
        if (s != null && s.tracked != null) {
            limiter.ended(s.tracked);
            s.tracked = null;
        }
    }

    @Override
    public void ended(Flow f, int dir) {
        FlowState s = slot.get(f);
        if (s != null) {
            s.tails.release(dir);
        }
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
     * Rewrites the packet {@link #packet} last decided as the policy asked (see {@link PolicyRewrites#rewriteInFlow}).
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
        return slot.get(f, FlowState::new);
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

    /** The tag (1-based id as in the policy, 0 for none) of the packet last decided. */
    public long lastTag() {
        return lastTag;
    }

    /** The rule that decided the last packet (index into the policy's rules), or -1 for the default. */
    public int lastRule() {
        return lastRule;
    }

    /** Ends every flow (end of input; a policy engine on its own). */
    public void finish() {
        if (standalone) {
            path.finish();
        }
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

    /** This partition's count of {@code c}. */
    public long count(PolicyCount c) {
        return switch (c) {
            case REPLACE_OCCURRENCES -> replaceMatches;
            case ADDRESS_REMAPS -> remaps;
            case TOS_CHANGES -> tosChanges;
            case TTL_CHANGES -> ttlChanges;
            case LIMIT_DROPS -> limitDrops;
        };
    }

    /** The state limits this engine enforces (shared with the run's other partitions), or null for none. */
    public StateLimiter limiter() {
        return limiter;
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
        candidates.close();
        if (standalone && db != null) {
            db.close();
        }
    }
}
