package io.judo.engine.detect;

import io.judo.matcher.Engine;
import io.judo.matcher.PatternDatabase;
import io.judo.packet.Addresses;
import io.judo.packet.decode.OuterPacket;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.Flow;
import io.judo.reassembly.FlowSlot;
import io.judo.reassembly.StreamConfig;
import io.judo.reassembly.TcpReassembler;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.Inspect;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.CompiledRuleSet.Hook;
import io.judo.rules.suricata.CompiledRuleSet.HookCode;
import io.judo.rules.suricata.SuricataRule;
import io.judo.rules.suricata.SuricataRule.Action;
import io.judo.vm.Verdict;
import io.judo.vm.interp.BufferOps;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Helpers;
import io.judo.vm.interp.JitCompiler;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.interp.ProgramRunner;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * The Suricata stage of a partition: the two hooks' programs and prefilter scanners, and the per-flow detection state
 * (flow bits, stream windows) in its flow slot. The partition's {@link FlowPath} reassembles TCP, whose in-order bytes
 * run the stream hook over a window of the stream; then the packet hook runs over the packet's payload. In both hooks
 * the prefilter marks candidate rules and only their regions run, in rule order. A matching {@code pass} rule ends the
 * packet's inspection; drop and reject set the verdict. Built on its own (the public constructors) it has a flow path
 * of its own and {@link #packet} drives both. Not thread-safe: one per partition.
 */
public final class Detector implements Stage, Rewriting, AppLayer.Transactions {
    /** What the {@code app_event} helper's strings name, per layer (see {@link EventNames}). */
    private static final EventNames HTTP_EVENTS = EventNames.bare(io.judo.applayer.http.HttpEvent.values(),
            io.judo.applayer.http.HttpEvent::text);
    private static final EventNames DNS_EVENTS = EventNames.prefixed("dns.", io.judo.applayer.dns.DnsEvent.values(),
            io.judo.applayer.dns.DnsEvent::text);
    private static final EventNames TLS_EVENTS = EventNames.prefixed("tls.", io.judo.applayer.tls.TlsEvent.values(),
            io.judo.applayer.tls.TlsEvent::text);
    private static final EventNames SSH_EVENTS = EventNames.prefixed("ssh.", io.judo.applayer.ssh.SshEvent.values(),
            io.judo.applayer.ssh.SshEvent::text);
    private static final EventNames SMTP_EVENTS = EventNames.prefixed("smtp.",
            io.judo.applayer.smtp.SmtpEvent.values(), io.judo.applayer.smtp.SmtpEvent::text);
    private static final EventNames FTP_EVENTS = EventNames.prefixed("ftp.", io.judo.applayer.ftp.FtpEvent.values(),
            io.judo.applayer.ftp.FtpEvent::text);

    /**
     * Backward jumps one rule check may take over a transaction's buffers: Suricata's default
     * {@code detect.inspection-recursion-limit}. A body is up to 100 KiB where a packet is 1.5 KiB, so a chain that
     * retries a common first content ({@code file.data; content:"<script"; content:"<"; distance:0; ...}) costs a
     * search of the rest of the body per retry: ET Open's Spectre rules spent seconds per capture at the 20,000 of
     * packet and stream checks.
     */
    static final long TRANSACTION_FUEL = 3_000;

    /** Bytes of payload kept in an alert. */
    public static final int EXCERPT = 256;

    /**
     * A rule set's two prefilter databases, compiled once and shared by every partition built from the rule set (a
     * database is immutable and thread-safe; each stage scans with scanners of its own).
     */
    public static final class Databases implements AutoCloseable {
        final PatternDatabase packet;
        final PatternDatabase stream;
        /** The HTTP hook's, one per buffer of its {@code buffers()} list, in that order. */
        final PatternDatabase[] http;
        /**
         * Per side (0 the request, 1 the response), {@code file.data}'s patterns followed by that side's body buffer's
         * ({@link #bodyPatterns}), or null unless both have fast patterns: the two are the same bytes on that side, so
         * one scan serves both (and one larger literal set scans faster than two here: Vectorscan runs a ~100-literal
         * set several times slower per byte than ET's 1,800 file.data literals).
         */
        final PatternDatabase[] bodies;

        private Databases(PatternDatabase packet, PatternDatabase stream, PatternDatabase[] http,
                PatternDatabase[] bodies) {
            this.packet = packet;
            this.stream = stream;
            this.http = http;
            this.bodies = bodies;
        }

        /** The body buffer row of side {@code side}: {@code http.request_body} or {@code http.response_body}. */
        static io.judo.vm.Buffer bodyOf(int side) {
            return side == 0 ? io.judo.vm.Buffer.HTTP_REQUEST_BODY : io.judo.vm.Buffer.HTTP_RESPONSE_BODY;
        }

        /**
         * The patterns of side {@code side}'s merged body database: {@code file.data}'s, then the body buffer's with
         * their ids after them; null unless both buffers have fast patterns.
         */
        static List<io.judo.matcher.Pattern> bodyPatterns(List<CompiledRuleSet.BufferPrefilter> buffers, int side) {
            CompiledRuleSet.BufferPrefilter file = null;
            CompiledRuleSet.BufferPrefilter body = null;
            for (CompiledRuleSet.BufferPrefilter b : buffers) {
                if (b.buffer() == io.judo.vm.Buffer.FILE_DATA.id()) {
                    file = b;
                } else if (b.buffer() == bodyOf(side).id()) {
                    body = b;
                }
            }
            if (file == null || body == null || file.patterns().isEmpty() || body.patterns().isEmpty()) {
                return null;
            }
            List<io.judo.matcher.Pattern> merged = new java.util.ArrayList<>(file.patterns());
            int n = file.patterns().size();
            for (io.judo.matcher.Pattern p : body.patterns()) {
                merged.add(new io.judo.matcher.Pattern(p.id() + n, p.expression(), p.flags(), p.minEnd(), p.maxEnd()));
            }
            return merged;
        }

        /** Compiles the hooks' prefilters with {@code engine}: the packet's, the stream's, and one per HTTP buffer. */
        public static Databases compile(CompiledRuleSet rules, Engine engine) {
            return compile(rules, engine, null);
        }

        /**
         * As {@link #compile(CompiledRuleSet, Engine)}, keeping compiled Hyperscan databases in {@code cacheDir} and
         * loading them from there when the same patterns were compiled before (null: no cache).
         */
        public static Databases compile(CompiledRuleSet rules, Engine engine, java.nio.file.Path cacheDir) {
            List<PatternDatabase> made = new java.util.ArrayList<>();
            try {
                PatternDatabase pdb = compile(engine, rules.hook(Hook.PACKET).prefilter(), made, cacheDir);
                PatternDatabase sdb = compile(engine, rules.hook(Hook.STREAM).prefilter(), made, cacheDir);
                List<CompiledRuleSet.BufferPrefilter> buffers = rules.hook(Hook.HTTP).buffers();
                PatternDatabase[] http = new PatternDatabase[buffers.size()];
                for (int i = 0; i < http.length; i++) {
                    http[i] = compile(engine, buffers.get(i).patterns(), made, cacheDir);
                }
                PatternDatabase[] bodies = new PatternDatabase[2];
                for (int side = 0; side < 2; side++) {
                    List<io.judo.matcher.Pattern> merged = bodyPatterns(buffers, side);
                    bodies[side] = merged == null ? null : compile(engine, merged, made, cacheDir);
                }
                Databases dbs = new Databases(pdb, sdb, http, bodies);
                for (PatternDatabase db : made) {
                    dbs.built++;
                    if (db instanceof io.judo.matcher.hyperscan.HyperscanDatabase h && h.cacheHits() > 0) {
                        dbs.cached++;
                    }
                }
                return dbs;
            } catch (RuntimeException e) {
                made.forEach(PatternDatabase::close);
                throw e;
            }
        }

        private int built;
        private int cached;

        /** How many prefilter databases there are. */
        public int count() {
            return built;
        }

        /** How many of them were loaded from the cache instead of compiled. */
        public int cached() {
            return cached;
        }

        private static PatternDatabase compile(Engine engine, List<io.judo.matcher.Pattern> patterns,
                List<PatternDatabase> made, java.nio.file.Path cacheDir) {
            if (patterns.isEmpty()) {
                return null;
            }
            PatternDatabase db = engine.compile(patterns, cacheDir);
            made.add(db);
            return db;
        }

        @Override
        public void close() {
            if (packet != null) {
                packet.close();
            }
            if (stream != null) {
                stream.close();
            }
            for (PatternDatabase db : http) {
                if (db != null) {
                    db.close();
                }
            }
            for (PatternDatabase db : bodies) {
                if (db != null) {
                    db.close();
                }
            }
        }
    }

    private final CompiledRuleSet rules;
    private final List<SuricataRule> list;
    private final Consumer<Alert> sink;
    private final FlowPath path;
    /** Built on its own: the flow path and databases are this stage's, {@link #packet} drives it. */
    private final boolean standalone;
    private final Databases databases;
    private final FlowSlot<FlowState> slot;
    private final HookState packetHook;
    private final HookState streamHook;
    private final HookState httpHook;
    private final TransactionBuffers transactionBuffers;
    /** The application layer, when the rule set has HTTP rules or asks for protocols; else null. */
    private final AppLayer appLayer;
    /** The transaction being inspected by the HTTP hook, or null. */
    private io.judo.applayer.http.HttpTransaction transaction;
    private final ThresholdTracker thresholds = new ThresholdTracker();
    /** Filled for each threshold check (the tracker copies it when it makes a counter). */
    private final ThresholdTracker.Key trackProbe = new ThresholdTracker.Key();
    private static final int NO_RATE_VERDICT = Integer.MIN_VALUE;
    /** The verdict a rate filter gave the alert of the region running now, for {@link #decided}; or none. */
    private int rateVerdict = NO_RATE_VERDICT;
    private final PacketContext ctx = new PacketContext();
    private final long[] alertsByRule;
    /** Per rule, its checks and the nanoseconds they took; null unless {@link #profileRules()} was called. */
    private long[] checksByRule;
    private long[] nanosByRule;
    private long[] maxNanosByRule;
    private PacketView current;
    private long now;
    /** Host and address-pair bits (xbits) of every flow, at packet time. */
    private final XbitTable xbits;
    private final StreamWindows windows = new StreamWindows();
    private String jitFallback;
    private Flow flow;
    private int direction;
    private boolean passed;
    private boolean blocked;
    private long packets;
    private long alerts;
    private long regionsRun;

    private final PolicyRewrites rewrites;
    /** The packet last decided: its own flow and direction (stream callbacks move {@link #flow}), held or not. */
    private Flow packetFlow;
    private int packetDirection;
    private boolean held;
    private boolean ips;
    private long flowsDropped;
    private boolean rememberSearched = true;

    /** Per-flow state kept in a flow slot. */
    static final class FlowState {
        long[] bits;
        /** A drop or reject rule fired in the flow: every later packet of it, both ways, is dropped unseen. */
        boolean dropped;
        final StreamWindows.Tails tails = new StreamWindows.Tails();
        /** Per direction, where each stream rule's last reported match ended (null until one matched). */
        final ReportedEnds[] reported = new ReportedEnds[2];
        /**
         * Per direction, for each stream rule with leading contents, the stream offset before which no byte starts
         * them (the {@code searched} helpers; null until one was recorded).
         */
        final ReportedEnds[] searched = new ReportedEnds[2];
        /** Per direction, the stream prefilter's remembered patterns (null until the direction had a chunk). */
        final StreamMatches[] matches = new StreamMatches[2];
        /** The TLS rules tried at several points that alerted in the flow (null until one did). */
        java.util.BitSet tlsAlerted;
        /** The SSH rules that alerted in the flow, a bit per (rule, direction): {@code 2 * rule + dir}. */
        java.util.BitSet sshAlerted;
        /** An exception policy (memcap pass-flow, drop-flow in IDS mode) took the flow out of detection. */
        boolean ignored;
        /** An alert was raised in the flow (EVE flow records say so). */
        boolean alerted;
        /** The flow's integers (flowint), and which are set (a bit each); null until a rule sets one. */
        long[] ints;
        long[] intsSet;
    }

    /** One hook's program, prefilter and candidate marks. */
    private final class HookState {
        final HookCode code;
        final ProgramRunner interpreter;
        final RegexHelper regex;
        final Candidates candidates;
        final Candidates.Visitor visitor;
        /** The HTTP hook's inspection points and per-buffer prefilter; null for the other hooks. */
        final HttpInspection http;
        final Candidates.Visitor httpVisitor;
        int httpPoint;
        /**
         * How far before a window's new bytes its scan must start to find every fast pattern that ends in them (the
         * longest pattern's length less one), or -1 when a pattern has no fixed length (then windows are scanned whole).
         */
        final int overlap;

        HookState(HookCode code, PatternDatabase db, JitCache jit) {
            this(code, db, null, jit);
        }

        HookState(HookCode code, PatternDatabase db, PatternDatabase[] buffers, JitCache jit) {
            this.code = code;
            String[] names = EventNames.names(code.program().program());
            int[] events = HTTP_EVENTS.ordinals(names); // app_event's string argument, as an event
            int[] dnsEvents = DNS_EVENTS.ordinals(names);
            int[] tlsEvents = TLS_EVENTS.ordinals(names);
            int[] sshEvents = SSH_EVENTS.ordinals(names);
            int[] smtpEvents = SMTP_EVENTS.ordinals(names);
            int[] ftpEvents = FTP_EVENTS.ordinals(names);
            this.regex = new RegexHelper(code.regexes());
            HelperTable helpers = BufferOps.bind(new HelperTable(), code.program().program())
                    .bind(Helpers.REGEX, regex)
                    .bind(Helpers.THRESHOLD, (c, r1, r2, r3, r4, r5) -> detectionFilter((int) r1) ? 1 : 0)
                    .bind(Helpers.PROGRESS, (c, r1, r2, r3, r4, r5) -> kept(false, (int) r1, c))
                    .bind(Helpers.PROGRESS_SET, (c, r1, r2, r3, r4, r5) -> {
                        keep(false, (int) r1, c.selectedBase() + Math.max(0, r2));
                        return 0;
                    })
                    .bind(Helpers.SEARCHED, (c, r1, r2, r3, r4, r5) -> kept(true, (int) r1, c))
                    .bind(Helpers.SEARCHED_SET, (c, r1, r2, r3, r4, r5) -> {
                        keep(true, (int) r1, c.selectedBase() + Math.max(0, r2));
                        return 0;
                    })
                    .bind(Helpers.EDIT, (c, r1, r2, r3, r4, r5) -> {
                        edit((int) r1, r2, code.hook());
                        return 0;
                    })
                    .bind(Helpers.ALERT, (c, r1, r2, r3, r4, r5) -> {
                        alert((int) r1, code.hook());
                        return 0;
                    })
                    .bind(Helpers.XBIT, (c, r1, r2, r3, r4, r5) -> xbits.apply(c.view(), (int) r1, (int) r2, r3, now))
                    .bind(Helpers.FLOWINT, (c, r1, r2, r3, r4, r5) -> flowint((int) r1, (int) r2, r3))
                    .bind(Helpers.APP_PROTO, (c, r1, r2, r3, r4, r5) -> appProto(r1) ? 1 : 0)
                    .bind(Helpers.APP_EVENT, (c, r1, r2, r3, r4, r5) -> appEvent(events[(int) r1])
                            || dnsEvent(dnsEvents[(int) r1]) || tlsEvent(tlsEvents[(int) r1])
                            || sshEvent(sshEvents[(int) r1]) || smtpEvent(smtpEvents[(int) r1])
                            || ftpEvent(ftpEvents[(int) r1]) ? 1 : 0);
            JitCompiler.Result r = JitCache.runner(jit, code.program(), helpers);
            this.interpreter = r.runner();
            if (!r.compiled()) {
                jitFallback = r.fallbackReason();
            }
            this.candidates = new Candidates(list.size(), db, code.rulesOfPattern());
            this.overlap = overlap(code.prefilter());
            this.visitor = rule -> {
                decided(check(interpreter, code, rule));
                return !passed;
            };
            if (buffers == null) {
                this.http = null;
                this.httpVisitor = null;
                return;
            }
            List<CompiledRuleSet.BufferPrefilter> prefilters = code.buffers();
            int[] ids = new int[prefilters.size()];
            int[][][] rulesOf = new int[ids.length][][];
            for (int i = 0; i < ids.length; i++) {
                ids[i] = prefilters.get(i).buffer();
                rulesOf[i] = prefilters.get(i).rulesOfPattern();
            }
            java.util.Map<Integer, io.judo.vm.Buffer> derivedBases = new java.util.HashMap<>();
            for (CompiledRuleSet.DerivedBuffer d : rules.derivedBuffers()) {
                derivedBases.put(d.id(), d.base());
            }
            this.http = new HttpInspection(HttpInspection.points(code.txRules(), list), ids,
                    id -> id < io.judo.vm.Buffer.values().length ? io.judo.vm.Buffer.of(id) : derivedBases.get(id),
                    buffers, rulesOf, databases.bodies, candidates);
            this.httpVisitor = rule -> !http.runsAt(rule, httpPoint) || visitor.visit(rule);
        }

        private void mark(int[] rules) {
            candidates.mark(rules);
        }

        private static int overlap(List<io.judo.matcher.Pattern> patterns) {
            int longest = 1;
            for (io.judo.matcher.Pattern p : patterns) {
                int n = p.literalLength();
                if (n < 0) {
                    return -1;
                }
                longest = Math.max(longest, n);
            }
            return longest - 1;
        }

        boolean empty() {
            return code.ruleOfRegion().length == 0;
        }

        /**
         * Prefilters a stream window and runs every candidate's region: only the window's new bytes are scanned (from
         * the longest fast pattern's length before them), and the patterns earlier windows found stand for the bytes
         * kept before (see {@link StreamMatches}).
         *
         * @param data the window, from index 0
         * @param length its length
         * @param newFrom the index of its first new byte (the bytes before are kept from earlier windows)
         * @param base the stream offset of its first byte
         */
        void runStream(ByteBuffer data, int length, int newFrom, long base, StreamMatches memory) {
            candidates.reset(code.always());
            int from = 0;
            if (newFrom == 0 || memory.overflowed() || overlap < 0) {
                memory.clear();
            } else {
                memory.markSince(base, candidates);
                from = Math.max(0, newFrom - overlap);
            }
            candidates.scan(data, from, length - from, memory, base + length);
            markIndexed();
            if (!passed) {
                candidates.visit(visitor);
            }
        }

        /** Prefilters {@code data[offset, offset + length)} and runs every candidate's region. */
        void run(ByteBuffer data, int offset, int length) {
            candidates.reset(code.always());
            candidates.scan(data, offset, length);
            markIndexed();
            if (!passed) {
                candidates.visit(visitor);
            }
        }

        /**
         * Prefilters the transaction's buffers ({@link #transactionBuffers}) and runs the candidates that run at
         * inspection {@code point}.
         */
        void runTransaction(int point) {
            candidates.reset(code.always());
            http.scan(transactionBuffers, transaction, flow.id(), direction);
            markIndexed();
            httpPoint = point;
            if (!passed) {
                candidates.visit(httpVisitor);
            }
        }

        /** Marks the rules indexed by the bound packet's addresses and ports. */
        private void markIndexed() {
            PacketView v = ctx.view();
            if (v.addressLength() == 4) {
                if (code.bySource() != null) {
                    mark(code.bySource().rulesForV4(v.srcIpv4() & 0xffffffffL));
                }
                if (code.byDestination() != null) {
                    mark(code.byDestination().rulesForV4(v.dstIpv4() & 0xffffffffL));
                }
            } else if (v.addressLength() == 16) {
                if (code.bySource() != null) {
                    mark(code.bySource().rulesForV6(v.buffer().getLong(v.srcAddressOffset())));
                }
                if (code.byDestination() != null) {
                    mark(code.byDestination().rulesForV6(v.buffer().getLong(v.dstAddressOffset())));
                }
            }
            if (v.l4Offset() >= 0) {
                if (code.byPort() != null) {
                    mark(code.byPort().rulesFor(v.ipProtocol(), v.dstPort()));
                }
                if (code.bySourcePort() != null) {
                    mark(code.bySourcePort().rulesFor(v.ipProtocol(), v.srcPort()));
                }
            }
        }
    }

    /**
     * @param rules the compiled rule set
     * @param matcher the prefilter backend
     * @param config stream reassembly settings
     * @param validateChecksums drop TCP segments with bad checksums from reassembly
     * @param sink receives alerts, on this thread
     */
    public Detector(CompiledRuleSet rules, Engine matcher, StreamConfig config, boolean validateChecksums,
            Consumer<Alert> sink) {
        this(rules, matcher, config, validateChecksums, sink, false);
    }

    /** As above; {@code jit} runs the rule programs JIT-compiled (falling back to the interpreter on failure). */
    public Detector(CompiledRuleSet rules, Engine matcher, StreamConfig config, boolean validateChecksums,
            Consumer<Alert> sink, boolean jit) {
        this(rules, Databases.compile(rules, matcher), new FlowPath(config, validateChecksums), true, sink,
                jit ? new JitCache() : null);
    }

    /**
     * A stage of a partition: {@code path} is the partition's (shared with its other stages), {@code databases} the
     * rule set's (shared with other partitions); the partition drives it ({@link #begin}, {@link #inspect}).
     */
    public Detector(CompiledRuleSet rules, Databases databases, FlowPath path, Consumer<Alert> sink, JitCache jit) {
        this(rules, databases, path, false, sink, jit);
    }

    private Detector(CompiledRuleSet rules, Databases databases, FlowPath path, boolean standalone,
            Consumer<Alert> sink, JitCache jit) {
        this.standalone = standalone;
        this.databases = databases;
        this.path = path;
        this.slot = path.slots().allocate(FlowState.class, "suricata stage");
        this.rules = rules;
        this.xbits = new XbitTable(rules.xbits().hostBitCount(), rules.xbits().pairBitCount());
        this.list = rules.rules();
        this.sink = sink;
        this.alertsByRule = new long[list.size()];
        List<EditKind> kinds = new java.util.ArrayList<>();
        for (SuricataRule r : list) {
            // numbered as the rule compiler numbers its edit helper calls: rule order, then chain order
            for (Inspect item : r.chain()) {
                if (item instanceof Content content && content.replace() != null) {
                    kinds.add(new EditKind(content.bytes(), content.replace(), r.gid(), r.sid(), r.rev(), r.msg()));
                }
            }
        }
        this.rewrites = new PolicyRewrites(kinds, List.of(), path.slots().allocate(
                io.judo.rewrite.flow.FlowRewrite.class, "suricata stage's rewriting"));
        this.packetHook = new HookState(rules.hook(Hook.PACKET), databases.packet, jit);
        this.streamHook = new HookState(rules.hook(Hook.STREAM), databases.stream, jit);
        this.httpHook = new HookState(rules.hook(Hook.HTTP), null, databases.http, jit);
        this.transactionBuffers = new TransactionBuffers(rules.derivedBuffers());
        this.dnsBuffers = new DnsBuffers(rules.derivedBuffers());
        this.dnsInspection = new DnsInspection(list, rules.hook(Hook.HTTP), databases.http, dnsBuffers,
                httpHook.candidates);
        this.tlsBuffers = new TlsBuffers(rules.derivedBuffers());
        this.tlsInspection = new TlsInspection(list, rules.hook(Hook.HTTP), databases.http, tlsBuffers,
                httpHook.candidates);
        this.tlsElement = tlsBuffers::element;
        this.smtpBuffers = new SmtpBuffers(rules.derivedBuffers());
        this.smtpInspection = new SmtpInspection(list, rules.hook(Hook.HTTP), databases.http, smtpBuffers,
                httpHook.candidates);
        this.smtpElement = smtpBuffers::element;
        this.sshBuffers = new SshBuffers(rules.derivedBuffers());
        this.sshInspection = new SshInspection(list, rules.hook(Hook.HTTP), databases.http, sshBuffers,
                httpHook.candidates);
        this.ftpBuffers = new FtpBuffers(rules.derivedBuffers());
        this.ftpInspection = new FtpInspection(list, rules.hook(Hook.HTTP), databases.http, ftpBuffers,
                httpHook.candidates);
        this.dnsElement = dnsBuffers::element;
        this.httpReadsStream = list.stream().anyMatch(r -> r.transactionInspected() && !r.chain().isEmpty());
        this.inspectsWithoutIp = list.stream().anyMatch(SuricataRule::decodeInspected);
        this.inspectsBadFragments = inspectsWithoutIp || list.stream()
                .anyMatch(r -> r.checksums().stream().anyMatch(SuricataRule.ChecksumTest::ipHeader));
        path.listen(this);
        // an app_proto test comes from app-layer-protocol, from a header protocol the layer detects (dns, tls, ...)
        // and from the http header of a rule that reads no HTTP buffer: each needs the layer's protocol detection
        boolean protocols = list.stream().anyMatch(r -> !r.appProtos().isEmpty() || r.http());
        this.appLayer = httpHook.empty() && !protocols ? null : path.appLayer();
        if (!httpHook.empty()) {
            appLayer.subscribe(this);
        }
        if (protocols) {
            appLayer.detectProtocols();
        }
    }

    /**
     * Processes one decoded packet captured at {@code timeNanos}: tracks it through this stage's own flow path, then
     * inspects it. Only for a detector built on its own; in a partition, the partition drives the stage.
     */
    public void packet(PacketView v, long timeNanos) {
        if (!standalone) {
            throw new IllegalStateException("this detector is a partition's stage: the partition tracks packets");
        }
        path.run(alone, v, timeNanos);
    }

    /** This stage, as the one stage of its own flow path. */
    private final Stage[] alone = {this};

    @Override
    public void begin(PacketView v, long timeNanos) {
        packets++;
        current = v;
        deliveredFlow = null;
        now = timeNanos;
        passed = false;
        blocked = false;
        held = false;
        rewrites.startPacket();
    }

    @Override
    public void clock(long timeNanos) {
        now = timeNanos;
        current = null;
    }

    @Override
    public void fragmentHeld() {
        held = true;
        if (inspectsBadFragments && current != null && current.problems() != 0) {
            // Suricata inspects each fragment as a packet of its own, so its decoder events (a fragment reaching past
            // 65535 bytes, which the defragmenter refuses) alert on it, and its ipv4-csum judges the fragment's own
            // header (the rebuilt datagram's is written afresh); the datagram, once whole, is inspected too
            inspect(current, null, 0);
        }
    }

    @Override
    public void inspect(PacketView v, Flow f, int dir) {
        current = v;
        passed = false; // a pass in the stream hook covers the stream data, not this packet's own rules
        packetFlow = f;
        packetDirection = dir;
        FlowState dropped = f == null ? null : slot.get(f);
        if (dropped != null && dropped.dropped) {
            blocked = true; // Suricata's IPS: a dropped flow's packets are dropped without inspection
            return;
        }
        if (dropped != null && dropped.ignored) {
            return;
        }
        if (f != null && memcapPolicy != ExceptionPolicy.IGNORE
                && (path.streamEvents(f) & io.judo.reassembly.StreamEvent.MEMCAP.bit()) != 0 && memcapHit(f)) {
            return; // the reassembly memcap policy took this packet (and maybe its flow) out of detection
        }
        if (f != null && (f.untracked() || f.midstream() && !inspectMidstream)) {
            if (f.untracked() && ips && dropUntracked) {
                blocked = true; // the midstream policy drop-flow: the untracked session's packets do not pass
                FlowState fs = state(f);
                if (!fs.dropped) {
                    fs.dropped = true;
                    flowsDropped++;
                }
            }
            return;
        }
        if (packetHook.empty() || v.l3Offset() < 0 && !inspectsWithoutIp) {
            return;
        }
        flow = f;
        direction = dir;
        ctx.bind(v);
        ctx.flow(direction, f == null ? 0 : (f.established() ? 1 : 0) | 2, 0);
        if (f != null) {
            ctx.streamSizes(f.streamSize(0), f.streamSize(1)); // the reassembler has counted this packet's bytes
            ctx.streamEvents(path.streamEvents(f));
        }
        ctx.flowBits(f == null ? null : flowBits(f));
        packetHook.run(v.buffer(), Math.max(0, v.payloadOffset()), v.payloadOffset() < 0 ? 0
                : Math.max(0, v.payloadLength()));
    }

    /**
     * Some rule tests a decode problem, so packets whose decoding stopped before an IP header are inspected too (as
     * Suricata runs its decoder-event rules on every packet); otherwise they have nothing a rule could match.
     */
    private final boolean inspectsWithoutIp;
    /** Whether a held fragment with a decode problem is inspected: decoder-event and ipv4-csum rules judge it. */
    private final boolean inspectsBadFragments;

    /** In-order stream bytes: appended to the direction's window, which the stream hook then inspects. */
    @Override
    public void data(Flow f, int dir, long offset, byte[] data, int from, int length) {
        windowFlow = null;
        deliveredFlow = f;
        deliveredDirection = dir;
        deliveredEnd = offset + length;
        if (streamHook.empty() && !httpReadsStream || length <= 0) {
            return;
        }
        FlowState s = state(f);
        if (unseen(f, s)) {
            return;
        }
        flow = f;
        direction = dir;
        bindStreamContext(f, dir);
        byte[] window = windows.assemble(s.tails, dir, offset, data, from, length);
        windowFlow = f;
        windowDirection = dir;
        windowBytes = window;
        if (!streamHook.empty()) {
            chunk = data;
            chunkFrom = from;
            chunkLength = length;
            chunkProto = null;
            ctx.stream(window, windows.length(), windows.base(), windows.newFrom());
            ctx.flowBits(flowBits(f));
            boolean passedBefore = passed;
            StreamMatches memory = s.matches[dir];
            if (memory == null) {
                memory = s.matches[dir] = new StreamMatches();
            }
            streamHook.runStream(windows.view(), windows.length(), windows.newFrom(), windows.base(), memory);
            chunk = null;
            passed = passedBefore;
        }
        windows.keep(s.tails, dir);
    }

    /**
     * Whether an HTTP-hook rule has packet data to look for: then every chunk's window is assembled, so that the
     * transaction event the chunk completes can look in it (the application layer hears the chunk after this stage).
     */
    private final boolean httpReadsStream;
    /** The flow and direction of the window assembled for the chunk being delivered, or null. */
    private Flow windowFlow;
    private int windowDirection;
    private byte[] windowBytes;

    /**
     * A transaction progressed: the HTTP hook runs the rules that run at this point over its buffers, with the header
     * of the packet that delivered the bytes (or the flow's endpoints) in the direction of the side that progressed.
     */
    @Override
    public void http(Flow f, io.judo.applayer.http.HttpTransaction tx, AppLayer.HttpProgress progress) {
        int point = switch (progress) {
            case REQUEST_HEADERS -> HttpInspection.REQUEST_HEADERS;
            case REQUEST_COMPLETE -> HttpInspection.REQUEST_COMPLETE;
            case RESPONSE_HEADERS -> HttpInspection.RESPONSE_HEADERS;
            case RESPONSE_COMPLETE -> HttpInspection.RESPONSE_COMPLETE;
            default -> 0;
        };
        if (point == 0) {
            return;
        }
        FlowState s = state(f);
        if (unseen(f, s)) {
            return;
        }
        int dir = progress.direction();
        flow = f;
        direction = dir;
        bindStreamContext(f, dir);
        ctx.flowBits(flowBits(f));
        transactionBuffers.inspect(tx, dir);
        if (windowFlow == f && windowDirection == dir) { // the chunk that completed this progress, and what it keeps
            ctx.stream(windowBytes, windows.length(), windows.base(), windows.newFrom());
            transactionBuffers.stream(windowBytes, windows.length());
        }
        ctx.buffers(transactionBuffers);
        transaction = tx;
        boolean passedBefore = passed;
        ctx.fuelLimit(TRANSACTION_FUEL);
        httpHook.runTransaction(point);
        ctx.fuelLimit(io.judo.vm.interp.PacketContext.DEFAULT_FUEL);
        passed = passedBefore;
        transaction = null;
    }

    // ---- the DNS side of the transaction hook (DnsInspection, DnsBuffers) ----

    private final DnsBuffers dnsBuffers;
    private final DnsInspection dnsInspection;
    /** The DNS message being inspected by the transaction hook, and its transaction number; null when none. */
    private io.judo.applayer.dns.DnsMessage dnsMessage;
    private long dnsTxId;
    private final Candidates.Visitor dnsVisitor = this::runDnsRule;

    /**
     * A DNS message (one transaction): the transaction hook runs its DNS rules over the message's buffers, with the
     * packet that delivered it, in the message's direction.
     */
    @Override
    public void dns(Flow f, io.judo.applayer.dns.DnsMessage m, long txId) {
        if (!dnsInspection.any()) {
            return;
        }
        FlowState s = state(f);
        if (unseen(f, s)) {
            return;
        }
        int dir = m.direction();
        flow = f;
        direction = dir;
        ctx.bind(path.header(f, dir));
        ctx.flow(dir, (f.established() ? 1 : 0) | 2, 0);
        streamSizes(f);
        ctx.flowBits(flowBits(f));
        dnsBuffers.inspect(m);
        ctx.buffers(dnsBuffers);
        dnsMessage = m;
        dnsTxId = txId;
        boolean passedBefore = passed;
        ctx.fuelLimit(TRANSACTION_FUEL);
        HookState h = httpHook;
        h.candidates.reset(h.code.always());
        dnsInspection.scan(dnsBuffers);
        h.markIndexed();
        if (!passed) {
            h.candidates.visit(dnsVisitor);
        }
        ctx.fuelLimit(io.judo.vm.interp.PacketContext.DEFAULT_FUEL);
        passed = passedBefore;
        dnsMessage = null;
    }

    /** One DNS rule over the message: once per element of its multi-buffers, until it alerts (or passes). */
    private boolean runDnsRule(int rule) {
        if (!dnsInspection.runs(rule)) {
            return true;
        }
        runPerElement(rule, dnsInspection.iterations(rule, dnsBuffers), dnsElement);
        return !passed;
    }

    /**
     * Runs a transaction rule's region once per element of its multi-buffers ({@code n} times, {@code element}
     * making element k current), until it alerts or passes; whether it alerted.
     */
    private boolean runPerElement(int rule, int n, java.util.function.IntConsumer element) {
        for (int k = 0; k < n && !passed; k++) {
            element.accept(k);
            ctx.reselect(); // the selection of an earlier run is another element's (or another rule's)
            long before = alerts;
            decided(check(httpHook.interpreter, httpHook.code, rule));
            if (alerts != before) {
                return true;
            }
        }
        return false;
    }

    /** The {@code app_event} helper for DNS: whether the message being inspected raised event {@code ordinal}. */
    private boolean dnsEvent(int ordinal) {
        return ordinal >= 0 && dnsMessage != null && (dnsMessage.events() & 1L << ordinal) != 0;
    }

    // ---- the TLS side of the transaction hook (TlsInspection, TlsBuffers) ----

    private final TlsBuffers tlsBuffers;
    private final TlsInspection tlsInspection;
    /** The TLS session being inspected by the transaction hook; null when none. */
    private io.judo.applayer.tls.TlsSession tlsSession;
    private AppLayer.TlsProgress tlsProgress;
    private int tlsDirection;
    private final Candidates.Visitor tlsVisitor = this::runTlsRule;
    /** Made once: a method reference written at each call would allocate per rule run. */
    private final java.util.function.IntConsumer tlsElement;
    private final java.util.function.IntConsumer dnsElement;

    /**
     * A TLS session progressed: the transaction hook runs the TLS rules that run at this progress (see {@link
     * TlsInspection}) over the session's buffers, with the packet that delivered the bytes (or the flow's endpoints),
     * in the direction of the side that progressed; at {@code DONE}, in each rule's own direction.
     */
    @Override
    public void tls(Flow f, io.judo.applayer.tls.TlsSession session, AppLayer.TlsProgress progress) {
        if (!tlsInspection.any()) {
            return;
        }
        FlowState s = state(f);
        if (unseen(f, s)) {
            return;
        }
        if (progress.direction() >= 0) {
            runTls(f, session, progress, progress.direction());
        } else {
            runTls(f, session, progress, 0);
            runTls(f, session, progress, 1);
        }
    }

    private void runTls(Flow f, io.judo.applayer.tls.TlsSession session, AppLayer.TlsProgress progress, int dir) {
        if (!tlsInspection.anyAt(progress, dir)) {
            return;
        }
        flow = f;
        direction = dir;
        bindStreamContext(f, dir);
        ctx.flowBits(flowBits(f));
        boolean window = windowFlow == f && windowDirection == dir && progress != AppLayer.TlsProgress.DONE;
        if (window) { // the chunk that completed this progress, for the rules' packet data
            ctx.stream(windowBytes, windows.length(), windows.base(), windows.newFrom());
        }
        tlsBuffers.inspect(session, dir, now / 1_000_000_000L);
        ctx.buffers(tlsBuffers);
        tlsSession = session;
        tlsProgress = progress;
        tlsDirection = dir;
        boolean passedBefore = passed;
        ctx.fuelLimit(TRANSACTION_FUEL);
        HookState h = httpHook;
        h.candidates.reset(h.code.always());
        tlsInspection.scan(tlsBuffers, window ? windowBytes : null, window ? windows.length() : 0);
        h.markIndexed();
        if (!passed) {
            h.candidates.visit(tlsVisitor);
        }
        ctx.fuelLimit(io.judo.vm.interp.PacketContext.DEFAULT_FUEL);
        passed = passedBefore;
        tlsSession = null;
    }

    /** One TLS rule over the session: once per certificate when it reads {@code tls.certs}, until it alerts. */
    private boolean runTlsRule(int rule) {
        if (!tlsInspection.runs(rule, tlsProgress, tlsDirection)) {
            return true;
        }
        FlowState s = tlsInspection.once(rule) ? state(flow) : null;
        if (s != null && s.tlsAlerted != null && s.tlsAlerted.get(rule)) {
            return true;
        }
        if (runPerElement(rule, tlsInspection.iterations(rule, tlsBuffers), tlsElement) && s != null) {
            if (s.tlsAlerted == null) {
                s.tlsAlerted = new java.util.BitSet();
            }
            s.tlsAlerted.set(rule);
        }
        return !passed;
    }

    /** The {@code app_event} helper for TLS: whether the session being inspected raised event {@code ordinal}. */
    private boolean tlsEvent(int ordinal) {
        return ordinal >= 0 && tlsSession != null && appLayer != null
                && (appLayer.tlsEvents(flow) & 1L << ordinal) != 0;
    }

    // ---- the SMTP side of the transaction hook (SmtpInspection, SmtpBuffers) ----

    private final SmtpBuffers smtpBuffers;
    private final SmtpInspection smtpInspection;
    /** The SMTP transaction being inspected by the transaction hook; null when none. */
    private io.judo.applayer.smtp.SmtpTransaction smtpTx;
    private final Candidates.Visitor smtpVisitor = this::runSmtpRule;
    private final java.util.function.IntConsumer smtpElement;

    /**
     * A mail is over: the transaction hook runs its SMTP rules (see {@link SmtpInspection}) over the mail's buffers,
     * with the packet that delivered its end (or the flow's endpoints), in the client's direction.
     */
    @Override
    public void smtp(Flow f, io.judo.applayer.smtp.SmtpTransaction tx) {
        if (!smtpInspection.any() || unseen(f, state(f))) {
            return;
        }
        flow = f;
        direction = 0;
        bindStreamContext(f, 0);
        ctx.flowBits(flowBits(f));
        smtpBuffers.inspect(tx);
        ctx.buffers(smtpBuffers);
        smtpTx = tx;
        boolean passedBefore = passed;
        ctx.fuelLimit(TRANSACTION_FUEL);
        HookState h = httpHook;
        h.candidates.reset(h.code.always());
        smtpInspection.scan(smtpBuffers);
        h.markIndexed();
        if (!passed) {
            h.candidates.visit(smtpVisitor);
        }
        ctx.fuelLimit(io.judo.vm.interp.PacketContext.DEFAULT_FUEL);
        passed = passedBefore;
        smtpTx = null;
    }

    /** One SMTP rule over the mail: once per element of its multi-buffers, until it alerts. */
    private boolean runSmtpRule(int rule) {
        if (!smtpInspection.runs(rule)) {
            return true;
        }
        runPerElement(rule, smtpInspection.iterations(rule, smtpBuffers), smtpElement);
        return !passed;
    }

    /**
     * The {@code app_event} helper for SMTP: whether the mail being inspected, or its connection outside any mail,
     * raised event {@code ordinal}.
     */
    private boolean smtpEvent(int ordinal) {
        if (ordinal < 0 || smtpTx == null) {
            return false;
        }
        io.judo.applayer.smtp.SmtpEvent e = io.judo.applayer.smtp.SmtpEvent.values()[ordinal];
        return smtpTx.hasEvent(e) || appLayer != null && appLayer.smtpConnectionEvent(flow, e);
    }

    // ---- the FTP side of the transaction hook (FtpInspection, FtpBuffers) ----

    private final FtpBuffers ftpBuffers;
    private final FtpInspection ftpInspection;
    private final Candidates.Visitor ftpVisitor = this::runFtpRule;

    /**
     * An FTP command was read: the transaction hook runs its FTP rules (see {@link FtpInspection}) over the
     * command's buffers, towards the server, with the chunk that completed the line as packet data when it is the
     * one being inspected.
     */
    @Override
    public void ftp(Flow f, io.judo.applayer.ftp.FtpTransaction tx, boolean done) {
        if (!(done ? ftpInspection.anyDone() : ftpInspection.any()) || unseen(f, state(f))) {
            return;
        }
        ftpTx = tx;
        ftpDone = done;
        flow = f;
        direction = 0;
        bindStreamContext(f, 0);
        ctx.flowBits(flowBits(f));
        boolean window = windowFlow == f && windowDirection == 0;
        if (window) {
            ctx.stream(windowBytes, windows.length(), windows.base(), windows.newFrom());
        }
        ftpBuffers.inspect(tx, f.clientAddress());
        boolean passedBefore = ftpPassStart();
        ftpInspection.scan(ftpBuffers, window ? windowBytes : null, window ? windows.length() : 0);
        ftpPassEnd(passedBefore, ftpVisitor);
        ftpTx = null;
    }

    /** The command the FTP pass inspects (for {@code app-layer-event:ftp.*}), null outside one. */
    private io.judo.applayer.ftp.FtpTransaction ftpTx;
    /** Whether the FTP pass is the one at the command's end (the event rules') or at its line (the others). */
    private boolean ftpDone;

    /**
     * The {@code app_event} helper for FTP: whether the command being inspected, or its connection outside any
     * command, raised event {@code ordinal}.
     */
    private boolean ftpEvent(int ordinal) {
        if (ordinal < 0 || ftpTx == null) {
            return false;
        }
        io.judo.applayer.ftp.FtpEvent e = io.judo.applayer.ftp.FtpEvent.values()[ordinal];
        return ftpTx.hasEvent(e) || appLayer != null && appLayer.ftpConnectionEvent(flow, e);
    }

    /** The start of an FTP pass of the transaction hook: the FTP buffers, its fuel, no candidates; @return passed */
    private boolean ftpPassStart() {
        ctx.buffers(ftpBuffers);
        ctx.fuelLimit(TRANSACTION_FUEL);
        httpHook.candidates.reset(httpHook.code.always());
        return passed;
    }

    /** The end of an FTP pass, after its prefilter scan: the candidates run through {@code v}, the fuel restored. */
    private void ftpPassEnd(boolean passedBefore, Candidates.Visitor v) {
        httpHook.markIndexed();
        if (!passed) {
            httpHook.candidates.visit(v);
        }
        ctx.fuelLimit(io.judo.vm.interp.PacketContext.DEFAULT_FUEL);
        passed = passedBefore;
    }

    /** An FTP-DATA flow ended: its ftp-data rules reading file.data run over its bytes, in their direction. */
    @Override
    public void ftpData(Flow f, AppLayer.FtpExpectation e, int dir, byte[] file, int length, long size) {
        if (!ftpInspection.anyData() || unseen(f, state(f))) {
            return;
        }
        flow = f;
        direction = dir;
        ftpDataDirection = dir;
        bindStreamContext(f, dir);
        ctx.flowBits(flowBits(f));
        ftpBuffers.inspectFile(file, length, e.channel().transferCommand());
        boolean passedBefore = ftpPassStart();
        ftpInspection.scanData(ftpBuffers);
        ftpPassEnd(passedBefore, ftpDataVisitor);
    }

    private int ftpDataDirection;
    private final Candidates.Visitor ftpDataVisitor = this::runFtpDataRule;

    /** One ftp-data rule over the data connection's bytes, when it runs in their direction. */
    private boolean runFtpDataRule(int rule) {
        if (ftpInspection.runsData(rule, ftpDataDirection, httpHook.code)) {
            runPerElement(rule, 1, sshElement);
        }
        return !passed;
    }

    /** One FTP rule over the command. */
    private boolean runFtpRule(int rule) {
        if (!(ftpDone ? ftpInspection.runsDone(rule) : ftpInspection.runs(rule))) {
            return true;
        }
        runPerElement(rule, 1, sshElement);
        return !passed;
    }

    // ---- the SSH side of the transaction hook (SshInspection, SshBuffers) ----

    private final SshBuffers sshBuffers;
    private final SshInspection sshInspection;
    /** The SSH connection being inspected by the transaction hook; null when none. */
    private io.judo.applayer.ssh.SshSession sshSession;
    private int sshDirection;
    private final Candidates.Visitor sshVisitor = this::runSshRule;

    /**
     * An SSH connection progressed: the transaction hook tries its SSH rules (see {@link SshInspection}) over the
     * connection's buffers, with the packet that delivered the bytes (or the flow's endpoints), in the direction of
     * the side that progressed; at {@code DONE}, in both.
     */
    @Override
    public void ssh(Flow f, io.judo.applayer.ssh.SshSession session, AppLayer.SshProgress progress) {
        if (!sshInspection.any() || unseen(f, state(f))) {
            return;
        }
        if (progress.direction() >= 0) {
            runSsh(f, session, progress.direction(), true);
        } else {
            runSsh(f, session, 0, false);
            runSsh(f, session, 1, false);
        }
    }

    private void runSsh(Flow f, io.judo.applayer.ssh.SshSession session, int dir, boolean chunk) {
        if (!sshInspection.anyIn(dir)) {
            return;
        }
        flow = f;
        direction = dir;
        bindStreamContext(f, dir);
        ctx.flowBits(flowBits(f));
        boolean window = chunk && windowFlow == f && windowDirection == dir;
        if (window) { // the chunk that completed this progress, for the rules' packet data
            ctx.stream(windowBytes, windows.length(), windows.base(), windows.newFrom());
        }
        sshBuffers.inspect(session, dir);
        ctx.buffers(sshBuffers);
        sshSession = session;
        sshDirection = dir;
        boolean passedBefore = passed;
        ctx.fuelLimit(TRANSACTION_FUEL);
        HookState h = httpHook;
        h.candidates.reset(h.code.always());
        sshInspection.scan(sshBuffers, window ? windowBytes : null, window ? windows.length() : 0);
        h.markIndexed();
        if (!passed) {
            h.candidates.visit(sshVisitor);
        }
        ctx.fuelLimit(io.judo.vm.interp.PacketContext.DEFAULT_FUEL);
        passed = passedBefore;
        sshSession = null;
    }

    /** One SSH rule over the connection, unless it alerted in this flow and direction already. */
    private boolean runSshRule(int rule) {
        if (!sshInspection.runs(rule, sshDirection)) {
            return true;
        }
        FlowState s = state(flow);
        int bit = 2 * rule + sshDirection;
        if (s.sshAlerted != null && s.sshAlerted.get(bit)) {
            return true;
        }
        if (runPerElement(rule, 1, sshElement)) {
            if (s.sshAlerted == null) {
                s.sshAlerted = new java.util.BitSet();
            }
            s.sshAlerted.set(bit);
        }
        return !passed;
    }

    /** SSH buffers have one element each; made once, as the other layers' element setters. */
    private final java.util.function.IntConsumer sshElement = k -> { };

    /** The {@code app_event} helper for SSH: whether the connection being inspected raised event {@code ordinal}. */
    private boolean sshEvent(int ordinal) {
        return ordinal >= 0 && sshSession != null && appLayer != null
                && (appLayer.sshEvents(flow) & 1L << ordinal) != 0;
    }

    /** The {@code app_event} helper: whether the transaction being inspected raised event {@code ordinal}. */
    private boolean appEvent(int ordinal) {
        return ordinal >= 0 && transaction != null && appLayer != null
                && (appLayer.events(flow, transaction) & 1L << ordinal) != 0;
    }

    /** The {@code app_proto} helper: whether the current flow's application layer detected protocol {@code id}. */
    private boolean appProto(long id) {
        if (appLayer == null || flow == null) {
            return false;
        }
        io.judo.applayer.AppProto p = appLayer.protocol(flow);
        if (p == io.judo.applayer.AppProto.UNKNOWN && chunk != null) {
            // the stream hook sees a chunk before the application layer does: the flow's first bytes decide its
            // protocol, so a rule on them asks what the layer will make of them (once per chunk, not per rule)
            if (chunkProto == null) {
                chunkProto = appLayer.protocolAhead(flow, direction, chunk, chunkFrom, chunkLength);
            }
            p = chunkProto;
        }
        return p.ordinal() == id;
    }

    /** The chunk the stream hook is inspecting (null outside it), for {@link #appProto}. */
    private byte[] chunk;
    private int chunkFrom;
    private int chunkLength;
    /** What the application layer will make of {@link #chunk}, once asked; null until then. */
    private io.judo.applayer.AppProto chunkProto;

    /**
     * Binds the packet that delivered the stream bytes, or, when bytes are flushed without one (a flow ending, the
     * other direction of a reset), a header-only packet built from the flow's endpoints.
     */
    private void bindStreamContext(Flow f, int dir) {
        ctx.bind(path.header(f, dir));
        ctx.flow(dir, (f.established() ? 1 : 0) | 2 | 4, 0);
        streamSizes(f);
    }

    /**
     * The stream chunk being delivered (or last delivered) in this packet: the reassembler counts a chunk in its
     * stream's size only after its listeners heard it, while Suricata's stream_size, read after the stream engine
     * took the packet, includes it. Cleared at each packet, so a recycled flow never sees another's.
     */
    private Flow deliveredFlow;
    private int deliveredDirection;
    private long deliveredEnd;

    /** The flow's stream sizes for {@code stream_size}, the chunk being delivered counted. */
    private void streamSizes(Flow f) {
        long client = f.streamSize(0);
        long server = f.streamSize(1);
        if (deliveredFlow == f) {
            if (deliveredDirection == 0) {
                client = Math.max(client, deliveredEnd + 1);
            } else {
                server = Math.max(server, deliveredEnd + 1);
            }
        }
        ctx.streamSizes(client, server);
    }

    @Override
    public void ended(Flow f, int dir) {
        FlowState s = slot.get(f);
        if (s != null) {
            s.tails.release(dir);
            s.matches[dir] = null;
        }
    }

    private FlowState state(Flow f) {
        return slot.get(f, FlowState::new);
    }

    /** Whether a rule alerted in {@code f} (suppressed and thresholded alerts do not count, as they are not logged). */
    public boolean alerted(Flow f) {
        FlowState s = slot.get(f);
        return s != null && s.alerted;
    }

    /** The flow's bits (allocated with its state when the rule set uses flow bits), or null. */
    private long[] flowBits(Flow f) {
        if (rules.flowbits().size() == 0) {
            return null;
        }
        FlowState s = state(f);
        if (s.bits == null) {
            s.bits = rules.flowbits().newState();
        }
        return s.bits;
    }

    /**
     * The {@code flowint} helper on the flow being inspected, as Suricata's flowint: unsigned 32-bit values; a test of
     * an unset integer fails, {@code +} on one starts it at the operand, {@code -} on one does nothing and fails; an
     * operand naming an unset integer reads 0.
     */
    private long flowint(int r1, int var, long r3) {
        if (flow == null || var < 0 || var >= rules.flowints().size()) {
            return 0;
        }
        FlowState s = state(flow);
        if (s.ints == null) {
            s.ints = new long[rules.flowints().size()];
            s.intsSet = new long[(s.ints.length + 63) / 64];
        }
        long operand = r3;
        if ((r1 & Helpers.FLOWINT_OPERAND_VAR) != 0) {
            int other = (int) r3;
            operand = other >= 0 && other < s.ints.length && (s.intsSet[other >>> 6] & 1L << other) != 0
                    ? s.ints[other] : 0;
        }
        boolean set = (s.intsSet[var >>> 6] & 1L << var) != 0;
        long v = s.ints[var];
        boolean held;
        switch (r1 & 0xf) {
            case Helpers.FLOWINT_SET -> {
                store(s, var, operand);
                return 1;
            }
            case Helpers.FLOWINT_ADD -> {
                store(s, var, set ? v + operand : operand);
                return 1;
            }
            case Helpers.FLOWINT_SUB -> {
                if (set) {
                    store(s, var, v - operand);
                }
                return set ? 1 : 0;
            }
            case Helpers.FLOWINT_ISSET -> held = set;
            case Helpers.FLOWINT_NOTSET -> held = !set;
            case Helpers.FLOWINT_EQ -> held = set && v == operand;
            case Helpers.FLOWINT_NE -> held = set && v != operand;
            case Helpers.FLOWINT_LT -> held = set && v < operand;
            case Helpers.FLOWINT_GT -> held = set && v > operand;
            case Helpers.FLOWINT_LE -> held = set && v <= operand;
            case Helpers.FLOWINT_GE -> held = set && v >= operand;
            default -> held = false;
        }
        return held ? 1 : 0;
    }

    private static void store(FlowState s, int var, long value) {
        s.ints[var] = value & 0xffffffffL; // Suricata's flowint is a uint32_t: + and - wrap
        s.intsSet[var >>> 6] |= 1L << var;
    }

    /** The {@code threshold} helper: whether the rule's detection_filter lets this match through. */
    private boolean detectionFilter(int rule) {
        SuricataRule r = list.get(rule);
        if (r.detectionFilter() == null) {
            return true;
        }
        ThresholdTracker.Key key = trackKey('f', rule, r.detectionFilter().track());
        return key != null && thresholds.filterPasses(key, r.detectionFilter(), now);
    }

    /**
     * The stream offsets the {@code progress} and {@code searched} helpers keep per flow direction and rule, as an
     * index into the selected stream window (0 when none is kept, or before the window).
     * {@code progress}: a rule's next match starts after its last reported one (the kept window shows an occurrence
     * again with every chunk, and it is one alert: Suricata's raw stream progress). {@code searched}: no stream byte
     * before it starts the rule's leading contents, as earlier windows showed (0 when {@link #rememberSearched} is
     * off).
     */
    private long kept(boolean searched, int rule, PacketContext c) {
        if (flow == null || searched && !rememberSearched) {
            return 0;
        }
        ReportedEnds ends = kept(state(flow), searched)[direction];
        return ends == null ? 0 : Math.max(0, ends.get(rule) - c.selectedBase());
    }

    /** The {@code progress_set} and {@code searched_set} helpers: keeps stream offset {@code end} for the rule. */
    private void keep(boolean searched, int rule, long end) {
        if (flow == null || searched && !rememberSearched) {
            return;
        }
        ReportedEnds[] perDirection = kept(state(flow), searched);
        if (perDirection[direction] == null) {
            perDirection[direction] = new ReportedEnds();
        }
        perDirection[direction].put(rule, end);
    }

    private static ReportedEnds[] kept(FlowState s, boolean searched) {
        return searched ? s.searched : s.reported;
    }

    /**
     * Whether stream rules skip the stream bytes where earlier windows showed their leading contents cannot start
     * (on by default). Off, every window's anchor search starts at its first byte, as before the memory existed:
     * the tests compare the two, which must alert alike.
     */
    void rememberSearched(boolean on) {
        rememberSearched = on;
    }

    /** A region's exit verdict: pass ends the packet's inspection; drop and reject block it. */
    private void decided(int verdict) {
        if (rateVerdict != NO_RATE_VERDICT) {
            verdict = rateVerdict; // a rate filter's new action replaces the one the rule's region exited with
            rateVerdict = NO_RATE_VERDICT;
        }
        if (verdict == Verdict.PASS) {
            passed = true;
        } else if (verdict == Verdict.DROP || verdict == Verdict.REJECT) {
            blocked = true;
            if (ips && flow != null) {
                FlowState fs = state(flow);
                if (!fs.dropped) {
                    fs.dropped = true;
                    flowsDropped++;
                }
            }
        }
    }

    /**
     * The counter key of a rule's threshold ({@code kind} 't'), detection_filter ('f') or rate filter ('r') for this
     * packet: the rule and what {@code track} names (source, destination, the unordered address pair, the flow, or
     * nothing for by_rule), in the one probe each call refills; null for by_flow on a packet without a flow, which
     * Suricata never counts.
     */
    private ThresholdTracker.Key trackKey(char kind, int rule, SuricataRule.Track track) {
        PacketView v = ctx.view();
        ThresholdTracker.Key k = trackProbe.of(kind, rule);
        int len = v.addressLength();
        switch (track) {
            case SRC:
                if (len > 0) {
                    k.address.fill(v.buffer(), v.srcAddressOffset(), -1, len);
                }
                return k;
            case DST:
                if (len > 0) {
                    k.address.fill(v.buffer(), v.dstAddressOffset(), -1, len);
                }
                return k;
            case BOTH:
                if (len > 0) {
                    k.address.fill(v.buffer(), v.srcAddressOffset(), v.dstAddressOffset(), len);
                }
                return k;
            case FLOW:
                if (flow == null) {
                    return null;
                }
                k.flow = flow.id();
                return k;
            default:
                return k;
        }
    }

    /** Whether one of the rule's threshold.config suppressions covers this packet's addresses. */
    private boolean suppressed(SuricataRule r) {
        PacketView v = ctx.view();
        for (SuricataRule.Suppression s : r.suppressions()) {
            if (s.suppresses(v.buffer(), v.srcAddressOffset(), v.dstAddressOffset(), v.addressLength())) {
                return true;
            }
        }
        return false;
    }

    /** The region exit a rate filter's new action stands for: a verdict, or -1 (none) for alert. */
    private static int verdictOf(Action a) {
        return switch (a) {
            case DROP -> Verdict.DROP;
            case REJECT -> Verdict.REJECT;
            case PASS -> Verdict.PASS;
            default -> -1;
        };
    }

    /**
     * The {@code alert} helper: the rule's threshold, then the alert (the program decides everything else: flow
     * bits, edits, and the verdict it exits with).
     */
    private void alert(int rule, Hook hook) {
        SuricataRule r = list.get(rule);
        Action action = r.action();
        // Suppressions first, then the threshold: either only silences the alert (the rule's drop or reject still
        // applies to the packet, as Suricata's documentation says); a rate filter changes the action itself.
        if (!r.suppressions().isEmpty() && suppressed(r)) {
            return;
        }
        if (r.threshold() != null) {
            ThresholdTracker.Key key = trackKey('t', rule, r.threshold().track());
            if (key == null || !thresholds.alerts(key, r.threshold(), now)) {
                return;
            }
        }
        if (r.rateFilter() != null) {
            ThresholdTracker.Key key = trackKey('r', rule, r.rateFilter().track());
            if (key != null && thresholds.rateReached(key, r.rateFilter(), now)) {
                action = r.rateFilter().newAction();
                rateVerdict = verdictOf(action);
                if (action == Action.PASS) {
                    return; // as in Suricata, a pass logs nothing
                }
            }
        }
        boolean blocks = action == Action.DROP || action == Action.REJECT;
        alerts++;
        if (flow != null) {
            state(flow).alerted = true;
        }
        alertsByRule[rule]++;
        PacketView v = ctx.view();
        byte[] src = new byte[Math.max(0, v.addressLength())];
        byte[] dst = new byte[src.length];
        if (src.length > 0) {
            v.buffer().get(v.srcAddressOffset(), src);
            v.buffer().get(v.dstAddressOffset(), dst);
        }
        byte[] excerpt = excerpt(hook);
        sink.accept(new Alert(now, flow == null ? 0 : flow.id(), src, v.srcPort(), dst, v.dstPort(),
                v.ipProtocol(), r, blocks, hook == Hook.STREAM ? ctx.selectedBase() : -1, excerpt,
                hook == Hook.HTTP && transaction != null ? HttpFields.of(transaction) : null,
                hook == Hook.HTTP && dnsMessage != null ? DnsFields.of(dnsMessage, dnsTxId) : null,
                hook == Hook.HTTP && tlsSession != null ? TlsFields.of(tlsSession) : null, OuterPacket.of(v),
                action == Action.REJECT || blocks && ips));
    }

    /**
     * The inspected bytes an alert carries: the selected buffer (in a stream, from its new bytes on), at most
     * {@link #EXCERPT} bytes; the packet's payload when the rule inspected nothing.
     */
    private byte[] excerpt(Hook hook) {
        if (ctx.selected() < 0) {
            if (hook == Hook.STREAM || current == null || current.payloadOffset() < 0) {
                return new byte[0];
            }
            ctx.select(io.judo.vm.Buffer.PAYLOAD.id());
        }
        byte[] bytes = ctx.selectedBytes();
        if (bytes == null) {
            return new byte[0];
        }
        int from = hook == Hook.STREAM ? ctx.selectedNew() : 0;
        int length = Math.max(0, Math.min(EXCERPT, ctx.selectedLength() - from));
        int at = ctx.selectedOffset() + from;
        return Arrays.copyOfRange(bytes, at, at + length);
    }

    /**
     * The {@code edit} helper, Suricata's replace: the rule fired, so the bytes of its content with replace are
     * edited where it matched ({@code start}, an index of the inspected buffer), as a stream offset of the
     * direction it belongs to (a packet rule's match on a TCP segment too).
     */
    private void edit(int kind, long start, Hook hook) {
        if (flow == null || !recordEdits) {
            return; // only TCP streams are rewritten: a stream offset needs a tracked direction
        }
        if (hook == Hook.STREAM) {
            rewrites.found(ctx.selectedBase() + start, kind, direction);
        } else if (!rewrites.foundInSegment(current, flow, direction, start, kind)) {
            return;
        }
        rewrites.selected(kind);
    }

    @Override
    public PacketView lastPacket() {
        return current;
    }

    @Override
    public long lastTime() {
        return now;
    }

    @Override
    public Flow lastFlow() {
        return packetFlow;
    }

    @Override
    public int lastDirection() {
        return packetDirection;
    }

    /**
     * Prevention (IPS) mode, as Suricata inline: once a drop or reject rule fires in a flow, every later packet of the
     * flow, both ways, is dropped without inspection. Off (IDS, the default), drop rules only mark the packets they
     * match and detection goes on.
     */
    public void prevent(boolean on) {
        ips = on;
    }

    /**
     * Whether this stage records its replace edits (on by default). A partition with a judo policy turns it off: the
     * policy's rewriting is the one applied to the packets that leave, and only one rewriter keeps per-flow state.
     */
    public void recordEdits(boolean on) {
        recordEdits = on;
    }

    private boolean recordEdits = true;

    /** True when the packet last given was a fragment held until its datagram is whole (decided with it). */
    public boolean held() {
        return held;
    }

    @Override
    public int rewriteLast(io.judo.rewrite.SegmentRewriter rewriter, int port) {
        return current == null || held ? 0
                : rewrites.rewriteInFlow(rewriter, current, packetFlow, packetDirection, port, now);
    }

    @Override
    public PolicyRewrites rewrites() {
        return rewrites;
    }

    /** Ends every flow: flushes what reassembly still holds through the stream hook (a detector on its own). */
    public void finish() {
        finishing();
        if (standalone) {
            path.finish();
        }
    }

    @Override
    public void finishing() {
        current = null;
    }

    /** A stream anomaly: the flow, direction, event and stream offset. */
    public record Anomaly(long timeNanos, io.judo.reassembly.Flow flow, int direction,
            io.judo.reassembly.StreamEvent event, long offset) {
    }

    /** Sends stream anomalies (overlaps with different data, gaps, decoys, memcap...) to {@code sink}. */
    public void onAnomaly(java.util.function.Consumer<Anomaly> sink) {
        path.anomalies((f, dir, event, offset) -> sink.accept(new Anomaly(now, f, dir, event, offset)));
    }

    /** Whether the last packet matched a drop or reject rule. */
    public boolean blocked() {
        return blocked;
    }

    /**
     * What happens to TCP flows picked up mid-stream ({@code midstream}: pickup on, else their sessions are
     * untracked), as suricata.yaml's {@code stream.midstream-policy} says: pass-flow leaves picked-up flows
     * uninspected; auto, drop-flow and reject drop the packets of untracked ones in prevention mode.
     */
    public void midstreamPolicy(ExceptionPolicy p, boolean midstream) {
        this.inspectMidstream = p.inspectsMidstream(midstream);
        this.dropUntracked = p.dropsUntracked(midstream);
    }

    private boolean inspectMidstream = true;
    private boolean dropUntracked;

    /**
     * What a packet whose segment hit the reassembly memcap does to detection, as suricata.yaml's
     * {@code stream.reassembly.memcap-policy} (resolved: no AUTO): IGNORE (the segment is refused, detection goes on),
     * DROP_FLOW and REJECT (the flow is dropped in prevention mode, and uninspected from then on in either mode),
     * DROP_PACKET (the packet is dropped in prevention mode, not inspected), PASS_FLOW (the flow is no longer
     * inspected; reassembly and the application layer go on), PASS_PACKET (this packet is not inspected); BYPASS is
     * the reassembler's ({@link io.judo.reassembly.MemcapAction#BYPASS}).
     */
    private ExceptionPolicy memcapPolicy = ExceptionPolicy.IGNORE;

    /** Sets the reassembly memcap policy, resolved (the values as above). */
    public void memcapPolicy(ExceptionPolicy p) {
        this.memcapPolicy = p;
    }

    /** Applies the memcap policy to the packet that hit the memcap; whether it leaves detection. */
    private boolean memcapHit(Flow f) {
        switch (memcapPolicy) {
            case DROP_FLOW:
            case REJECT: {
                FlowState fs = state(f);
                fs.ignored = true;
                if (ips) {
                    blocked = true;
                    if (!fs.dropped) {
                        fs.dropped = true;
                        flowsDropped++;
                    }
                }
                return true;
            }
            case DROP_PACKET:
                blocked = ips;
                return true;
            case PASS_FLOW:
                state(f).ignored = true;
                return true;
            case PASS_PACKET:
                return true;
            default:
                return false;
        }
    }

    /**
     * Whether detection skips {@code f}: prevention dropped it, or it was picked up mid-stream and the midstream
     * policy leaves such flows uninspected (an untracked session never is).
     */
    private boolean unseen(Flow f, FlowState s) {
        return s.dropped || s.ignored || f.untracked() || f.midstream() && !inspectMidstream;
    }

    /** Whether prevention mode dropped {@code f} (EVE flow records say {@code "action":"drop"}). */
    public boolean dropped(Flow f) {
        FlowState s = f == null ? null : slot.get(f);
        return s != null && s.dropped;
    }

    /**
     * From now on, times every rule check ({@link #checksByRule()}, {@link #nanosByRule()},
     * {@link #maxNanosByRule()}): two clock reads per check, as Suricata's rule profiling does; off by default, where
     * a check costs one predictable branch more. Call before the first packet, on the thread that will run this
     * detector or before handing it over.
     */
    public void profileRules() {
        if (checksByRule == null) {
            checksByRule = new long[list.size()];
            nanosByRule = new long[list.size()];
            maxNanosByRule = new long[list.size()];
        }
    }

    /**
     * Per rule (the rule set's order), the nanoseconds its slowest check took; zeros unless profiling. A maximum near
     * the rule's whole time says one check (a huge window, or a collector pause that landed in it) made the total.
     */
    public long[] maxNanosByRule() {
        return maxNanosByRule == null ? new long[list.size()] : maxNanosByRule;
    }

    /** Per rule (the rule set's order), how many times its region ran; zeros unless profiling. */
    public long[] checksByRule() {
        return checksByRule == null ? new long[list.size()] : checksByRule;
    }

    /** Per rule (the rule set's order), the nanoseconds its region's runs took in all; zeros unless profiling. */
    public long[] nanosByRule() {
        return nanosByRule == null ? new long[list.size()] : nanosByRule;
    }

    /** Runs one rule's region of a hook's program over the bound context: one rule check. */
    private int check(ProgramRunner runner, HookCode code, int rule) {
        regionsRun++;
        if (nanosByRule == null) {
            return runner.runRegion(ctx, code.region(rule));
        }
        long start = System.nanoTime();
        int verdict = runner.runRegion(ctx, code.region(rule));
        long took = System.nanoTime() - start;
        nanosByRule[rule] += took;
        maxNanosByRule[rule] = Math.max(maxNanosByRule[rule], took);
        checksByRule[rule]++;
        return verdict;
    }

    /** Alerts per rule, indexed like {@link CompiledRuleSet#rules()}. */
    public long[] alertsByRule() {
        return alertsByRule;
    }

    /** Why a hook's program runs interpreted although the JIT was asked for, or null. */
    public String jitFallback() {
        return jitFallback;
    }

    /** This partition's count of {@code c}. */
    public long count(SuricataCount c) {
        return switch (c) {
            case PACKETS -> packets;
            case ALERTS -> alerts;
            case RULE_CHECKS -> regionsRun;
            case BUDGET_EXCEEDED -> ctx.fuelExhausted() + packetHook.regex.exhausted() + streamHook.regex.exhausted()
                    + httpHook.regex.exhausted();
            case FLOWS_DROPPED -> flowsDropped;
        };
    }

    public TcpReassembler reassembler() {
        return path.reassembler();
    }

    @Override
    public void close() {
        packetHook.candidates.close();
        streamHook.candidates.close();
        httpHook.candidates.close();
        httpHook.http.close();
        dnsInspection.close();
        tlsInspection.close();
        sshInspection.close();
        smtpInspection.close();
        ftpInspection.close();
        if (standalone) {
            databases.close();
        }
    }
}
