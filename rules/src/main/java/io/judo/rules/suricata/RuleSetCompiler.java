package io.judo.rules.suricata;

import io.judo.packet.decode.Checksums;
import io.judo.rules.ChainCompiler;
import io.judo.rules.LiteralPrefilter;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Inspection;
import io.judo.rules.ir.UintTest;
import io.judo.rules.ir.Xbit;
import io.judo.rules.suricata.CompiledRuleSet.Hook;
import io.judo.rules.suricata.CompiledRuleSet.BufferPrefilter;
import io.judo.rules.suricata.CompiledRuleSet.DerivedBuffer;
import io.judo.rules.suricata.CompiledRuleSet.HookCode;
import io.judo.rules.suricata.CompiledRuleSet.TxRule;
import io.judo.rules.suricata.SuricataRule.Action;
import io.judo.rules.suricata.SuricataRule.FlagsTest;
import io.judo.vm.AluOp;
import io.judo.vm.Buffer;
import io.judo.vm.JumpOp;
import io.judo.vm.MetaField;
import io.judo.vm.Program;
import io.judo.vm.Transform;
import io.judo.vm.Verdict;
import io.judo.vm.asm.Label;
import io.judo.vm.asm.ProgramBuilder;
import io.judo.vm.asm.Relinker;
import io.judo.vm.interp.Helpers;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import io.judo.vm.verify.VerifiedProgram;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compiles loaded rules into a {@link CompiledRuleSet}. Each rule becomes one self-contained region: the header tests
 * (protocol, address and port sets in both orders for {@code <>}, flow direction and state, flags, ttl, itype/icode,
 * dsize, ip_proto) as VM instructions, then {@code inspect} (payload chain, flow bits, thresholds; bound by the engine)
 * and {@code alert}. Rules are ordered as Suricata orders them (pass, drop, reject, alert; flow bit setters before
 * readers) and each gets the prefilter literal that must be present for its payload chain to hold: its
 * {@code fast_pattern} content, else its longest positive content. Rules that inspect HTTP buffers go to the HTTP
 * hook, whose prefilter is per buffer and whose fast pattern is chosen as Suricata chooses it
 * ({@link #httpFastPattern}).
 */
public final class RuleSetCompiler {
    private static final int FLOW_ESTABLISHED = 1;
    /** The {@code flow_state} bit the engine sets for a packet of a tracked flow. */
    private static final int FLOW_TRACKED = 2;

    private RuleSetCompiler() {
    }

    public static CompiledRuleSet compile(List<SuricataRule> loaded) {
        return compile(loaded, true);
    }

    /** As {@link #compile(List)}; {@code optimize} runs the VM optimizer on each hook's program. */
    public static CompiledRuleSet compile(List<SuricataRule> loaded, boolean optimize) {
        List<SuricataRule> rules = new ArrayList<>(loaded);
        Flowbits probe = new Flowbits(rules);
        List<Integer> setters = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            setters.add(probe.changes(i) || rules.get(i).xbits().stream().anyMatch(Xbit::changes)
                    || rules.get(i).flowints().stream().anyMatch(io.judo.rules.ir.Flowint::changes) ? 0 : 1);
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < rules.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingInt(i -> actionRank(loaded.get(i).action()))
                .thenComparingInt(setters::get));
        rules = order.stream().map(loaded::get).toList();
        Map<String, DerivedBuffer> derived = derivedBuffers(rules);
        List<SuricataRule> ordered = rules;
        // The hooks compile independently (each its own builder, pools and strings over the same immutable rules):
        // the stream hook, ET Open's largest (1.2 M instructions of 1.6 M), on a second core beside the other two.
        java.util.concurrent.CompletableFuture<HookCode> streamHook = io.judo.vm.Background.start(
                "judo-compile-stream", () -> hook(ordered, Hook.STREAM, optimize, derived));
        HookCode packet = hook(rules, Hook.PACKET, optimize, derived);
        HookCode http = hook(rules, Hook.HTTP, optimize, derived);
        HookCode stream = io.judo.vm.Background.join(streamHook);
        return new CompiledRuleSet(rules, packet, stream, http, new Flowbits(rules), new Xbits(rules), new Flowints(rules),
                List.copyOf(derived.values()));
    }

    /** The hook a rule runs in. */
    static Hook hookOf(SuricataRule r) {
        if (r.transactionInspected()) {
            return Hook.HTTP;
        }
        // dsize and the checksum keywords judge one packet, which a stream chunk is not
        return r.streamInspected() && r.dsize() == null && r.checksums().isEmpty() ? Hook.STREAM : Hook.PACKET;
    }

    private static String key(Buffer base, List<Transform> transforms) {
        StringBuilder sb = new StringBuilder(base.text());
        transforms.forEach(t -> sb.append(';').append(t.keyword()));
        return sb.toString();
    }

    /** One id per distinct (buffer, transforms) with transforms, after the buffer table's rows, in rule order. */
    private static Map<String, DerivedBuffer> derivedBuffers(List<SuricataRule> rules) {
        Map<String, DerivedBuffer> out = new LinkedHashMap<>();
        for (SuricataRule r : rules) {
            for (Inspection i : r.transactionInspections()) {
                if (!i.transforms().isEmpty()) {
                    out.computeIfAbsent(key(i.buffer(), i.transforms()), k -> new DerivedBuffer(
                            Buffer.values().length + out.size(), i.buffer(), i.transforms()));
                }
            }
        }
        return out;
    }

    /**
     * The buffer id an inspection selects in the HTTP hook: its buffer's, its derived buffer's when it has
     * transforms, and the stream window for the packet data.
     */
    private static int bufferId(Inspection i, Map<String, DerivedBuffer> derived) {
        if (i.raw()) {
            return Buffer.STREAM.id();
        }
        return i.transforms().isEmpty() ? i.buffer().id() : derived.get(key(i.buffer(), i.transforms())).id();
    }

    /** When an HTTP-hook rule runs and which bodies it reads (see {@link TxRule}). */
    static TxRule txRule(SuricataRule r) {
        boolean request = false;
        boolean response = false;
        for (Inspection i : r.transactionInspections()) {
            request |= i.buffer().side() == Buffer.Side.REQUEST;
            response |= i.buffer().side() == Buffer.Side.RESPONSE;
        }
        int direction = r.flow().direction() >= 0 ? r.flow().direction() : response ? 1 : request ? 0 : -1;
        boolean requestBody = false;
        boolean responseBody = false;
        for (Inspection i : r.transactionInspections()) {
            requestBody |= i.buffer() == Buffer.HTTP_REQUEST_BODY || i.buffer() == Buffer.FILE_DATA && direction != 1;
            responseBody |= i.buffer() == Buffer.HTTP_RESPONSE_BODY
                    || i.buffer() == Buffer.FILE_DATA && direction != 0;
        }
        return new TxRule(direction, requestBody, responseBody);
    }

    /** A fast pattern and the buffer id it is looked for in. */
    record FastPattern(int buffer, Content content) {
    }

    /**
     * Suricata's fast pattern choice over all of an HTTP rule's buffers: the content with {@code fast_pattern};
     * else, among the positive contents of the buffers with the best priority (the HTTP buffers before the packet
     * data, http.method, http.stat_code and http.stat_msg), the longest, then the one with the highest pattern
     * strength (Suricata's {@code PatternStrength}: distinct bytes score more), then the first in the rule. (Suricata
     * breaks the last tie by the buffer registered last; Judo keeps rule order.) Null when there is no positive
     * content: the rule runs on every transaction.
     */
    static FastPattern httpFastPattern(SuricataRule r, Map<String, DerivedBuffer> derived) {
        FastPattern best = null;
        for (Inspection i : r.inspections()) {
            for (Inspect item : i.items()) {
                if (item instanceof Content c && !c.negated() && c.fastPattern()) {
                    return new FastPattern(bufferId(i, derived), c);
                }
            }
        }
        for (Inspection i : r.inspections()) {
            for (Inspect item : i.items()) {
                if (!(item instanceof Content c) || c.negated()) {
                    continue;
                }
                FastPattern f = new FastPattern(bufferId(i, derived), c);
                Buffer base = i.raw() ? Buffer.STREAM : i.buffer();
                if (best == null || better(base, c, Buffer.of(baseOf(best.buffer(), derived)), best.content())) {
                    best = f;
                }
            }
        }
        return best;
    }

    private static int baseOf(int id, Map<String, DerivedBuffer> derived) {
        for (DerivedBuffer d : derived.values()) {
            if (d.id() == id) {
                return d.base().id();
            }
        }
        return id;
    }

    private static boolean better(Buffer b, Content c, Buffer bestBuffer, Content best) {
        int p = priority(b);
        int q = priority(bestBuffer);
        if (p != q) {
            return p < q;
        }
        if (c.bytes().length != best.bytes().length) {
            return c.bytes().length > best.bytes().length;
        }
        return patternStrength(c.bytes()) > patternStrength(best.bytes());
    }

    /** Suricata's fast-pattern priority of a buffer: lower is preferred. */
    private static int priority(Buffer b) {
        return switch (b) {
            case PAYLOAD, STREAM, HTTP_METHOD, HTTP_STAT_CODE, HTTP_STAT_MSG -> 3;
            default -> 2;
        };
    }

    /**
     * Suricata's pattern strength: per byte, the first occurrence of a letter scores 3, of another printable byte or
     * 0x00, 0x01, 0xff 4, of any other byte 6; a repeated byte scores 1.
     */
    static int patternStrength(byte[] p) {
        boolean[] seen = new boolean[256];
        int s = 0;
        for (byte x : p) {
            int c = x & 0xff;
            if (seen[c]) {
                s++;
                continue;
            }
            seen[c] = true;
            boolean alpha = c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z';
            s += alpha ? 3 : c >= 0x20 && c < 0x7f || c == 0 || c == 1 || c == 0xff ? 4 : 6;
        }
        return s;
    }

    private static int actionRank(Action a) {
        return switch (a) {
            case PASS -> 0;
            case DROP -> 1;
            case REJECT -> 2;
            default -> 3;
        };
    }

    private static HookCode hook(List<SuricataRule> rules, Hook hook, boolean optimize,
            Map<String, DerivedBuffer> derived) {
        ProgramBuilder b = new ProgramBuilder();
        b.defaultVerdict(Verdict.PASS);
        Map<String, Integer> cidrPool = new HashMap<>();
        Map<String, Integer> intPool = new HashMap<>();
        List<Integer> ruleOfRegion = new ArrayList<>();
        int[] regionOfRule = new int[rules.size()];
        LiteralPrefilter prefilter = new LiteralPrefilter();
        List<Integer> always = new ArrayList<>();
        AddressIndex.Builder bySource = new AddressIndex.Builder();
        AddressIndex.Builder byDestination = new AddressIndex.Builder();
        PortIndex.Builder byPort = new PortIndex.Builder();
        PortIndex.Builder bySourcePort = new PortIndex.Builder();
        TxRule[] txRules = new TxRule[hook == Hook.HTTP ? rules.size() : 0];
        Map<Integer, LiteralPrefilter> byBuffer = new TreeMap<>();
        for (int i = 0; i < rules.size(); i++) {
            SuricataRule r = rules.get(i);
            if (hookOf(r) != hook) {
                regionOfRule[i] = -1;
                continue;
            }
            regionOfRule[i] = ruleOfRegion.size();
            ruleOfRegion.add(i);
            if (hook == Hook.HTTP) {
                txRules[i] = txRule(r);
                new RegionEmitter(b, r, i, cidrPool, intPool, txRules[i].direction()).emit();
                FastPattern fast = httpFastPattern(r, derived);
                if (fast == null) {
                    always.add(i);
                } else {
                    byBuffer.computeIfAbsent(fast.buffer(), k -> new LiteralPrefilter()).add(i,
                            fast.content().bytes(), fast.content().nocase());
                }
                continue;
            }
            new RegionEmitter(b, r, i, cidrPool, intPool, r.flow().direction()).emit();
            Content fast = fastPattern(r);
            if (fast == null) {
                // Without a literal to prefilter on, a specific address list is the next best key.
                if (AddressIndex.indexable(r.src())) {
                    bySource.add(i, r.src());
                    if (r.bidirectional()) {
                        byDestination.add(i, r.src());
                    }
                } else if (AddressIndex.indexable(r.dst())) {
                    byDestination.add(i, r.dst());
                    if (r.bidirectional()) {
                        bySource.add(i, r.dst());
                    }
                } else if (portProtocol(r) > 0 && PortIndex.indexable(r.dstPorts())) {
                    byPort.add(i, portProtocol(r), r.dstPorts());
                    if (r.bidirectional()) {
                        bySourcePort.add(i, portProtocol(r), r.dstPorts());
                    }
                } else if (portProtocol(r) > 0 && PortIndex.indexable(r.srcPorts())) {
                    bySourcePort.add(i, portProtocol(r), r.srcPorts());
                    if (r.bidirectional()) {
                        byPort.add(i, portProtocol(r), r.srcPorts());
                    }
                } else {
                    always.add(i);
                }
                continue;
            }
            prefilter.add(i, fast.bytes(), fast.nocase());
        }
        b.ret(Verdict.PASS, 0);
        VerifiedProgram verified;
        ChainCompiler.Strings strings = new ChainCompiler.Strings();
        Map<Integer, String> unsupported = new HashMap<>();
        Program linked;
        Map<Integer, String> notes;
        try {
            Program built = b.build();
            Program headers = optimize ? io.judo.vm.opt.Optimizer.optimize(built) : built;
            ProgramBuilder linker = link(headers, rules, ruleOfRegion, hook, strings, editsBefore(rules),
                    unsupported, derived);
            linked = linker.build();
            notes = linker.notes();
            try {
                verified = Verifier.verify(linked);
            } catch (VerifyException e) {
                io.judo.vm.RuleRegion at = e.pc() < 0 ? null : linked.regionAt(e.pc());
                String where = at == null ? "" : " in the code of rule sid " + at.ruleId()
                        + (notes.containsKey(e.pc()) ? " at " + notes.get(e.pc()) : "");
                throw new VerifyException(e.pc(), e.getMessage() + where, null);
            }
        } catch (VerifyException e) {
            throw new IllegalStateException("rule compiler produced an invalid program: " + e.getMessage(), e);
        }
        List<BufferPrefilter> buffers = byBuffer.entrySet().stream().map(e -> new BufferPrefilter(e.getKey(),
                e.getValue().patterns(), e.getValue().rulesOfPattern())).toList();
        List<io.judo.matcher.Pattern> patterns = prefilter.patterns();
        int[][] rulesOfPattern = prefilter.rulesOfPattern();
        if (hook == Hook.HTTP) {
            // the union of the buffers' patterns, renumbered in buffer order: for summaries (what a rule set holds),
            // never to scan one buffer with
            List<io.judo.matcher.Pattern> union = new ArrayList<>();
            List<int[]> rulesOfUnion = new ArrayList<>();
            for (BufferPrefilter p : buffers) {
                for (int k = 0; k < p.patterns().size(); k++) {
                    io.judo.matcher.Pattern q = p.patterns().get(k);
                    union.add(new io.judo.matcher.Pattern(union.size(), q.expression(), q.flags(), q.minEnd(),
                            q.maxEnd()));
                    rulesOfUnion.add(p.rulesOfPattern()[k]);
                }
            }
            patterns = List.copyOf(union);
            rulesOfPattern = rulesOfUnion.toArray(int[][]::new);
        }
        return new HookCode(hook, verified, ruleOfRegion.stream().mapToInt(Integer::intValue).toArray(),
                regionOfRule, patterns, rulesOfPattern, always.stream().mapToInt(Integer::intValue).toArray(),
                bySource.isEmpty() ? null : bySource.build(), byDestination.isEmpty() ? null : byDestination.build(),
                byPort.isEmpty() ? null : byPort.build(), bySourcePort.isEmpty() ? null : bySourcePort.build(),
                strings.regexTable(linked.strings().size()), Map.copyOf(unsupported), notes, txRules, buffers);
    }

    /**
     * Per rule, the number of contents with {@code replace} in the rules before it: the engine numbers the edits
     * ({@code edit} helper's first argument) the same way, in rule order and then chain order.
     */
    private static int[] editsBefore(List<SuricataRule> rules) {
        int[] before = new int[rules.size()];
        int n = 0;
        for (int i = 0; i < rules.size(); i++) {
            before[i] = n;
            for (Inspect item : rules.get(i).chain()) {
                if (item instanceof Content c && c.replace() != null) {
                    n++;
                }
            }
        }
        return before;
    }

    /**
     * Puts each rule's body where the optimized header program left its {@code inspect} placeholder: flow-bit
     * tests, the buffer selection and the chain, detection_filter, flow-bit changes, the edits of contents with
     * replace, the alert, and the exit verdict of pass, drop and reject rules. A rule whose chain the VM cannot hold
     * gets a body that never matches, and its reason in {@code unsupported}.
     */
    private static ProgramBuilder link(Program headers, List<SuricataRule> rules, List<Integer> ruleOfRegion, Hook hook,
            ChainCompiler.Strings strings, int[] editsBefore, Map<Integer, String> unsupported,
            Map<String, DerivedBuffer> derived) throws VerifyException {
        Flowbits bits = new Flowbits(rules);
        Xbits xbits = new Xbits(rules);
        Flowints flowints = new Flowints(rules);
        ProgramBuilder b = Relinker.linkPlaceholders(headers, Helpers.INSPECT, (k, region, out, regionEnd) -> {
            int rule = ruleOfRegion.get(k);
            new BodyEmitter(out, rules.get(rule), rule, hook, strings, bits, xbits, flowints, editsBefore[rule],
                    regionEnd, unsupported, derived).emit();
        });
        return b;
    }

    /** One rule's body, after its header tests; failures go to the end of its region. */
    private static final class BodyEmitter {
        private final ProgramBuilder b;
        private final SuricataRule r;
        private final int index;
        private final Hook hook;
        private final ChainCompiler.Strings strings;
        private final Flowbits bits;
        private final Xbits xbits;
        private final Flowints flowints;
        private final int firstEdit;
        private final Label out;
        private final Map<Integer, String> unsupported;
        private final Map<String, DerivedBuffer> derived;

        BodyEmitter(ProgramBuilder b, SuricataRule r, int index, Hook hook, ChainCompiler.Strings strings,
                Flowbits bits, Xbits xbits, Flowints flowints, int firstEdit, Label out,
                Map<Integer, String> unsupported, Map<String, DerivedBuffer> derived) {
            this.derived = derived;
            this.xbits = xbits;
            this.flowints = flowints;
            this.b = b;
            this.r = r;
            this.index = index;
            this.hook = hook;
            this.strings = strings;
            this.bits = bits;
            this.firstEdit = firstEdit;
            this.out = out;
            this.unsupported = unsupported;
        }

        void emit() {
            flowbitTests();
            xbitTests();
            flowintTests();
            appProtoTests();
            ChainCompiler.Compiled chain = null;
            if (hook == Hook.HTTP) {
                if (!transactionInspections()) {
                    return;
                }
            } else if (!r.chain().isEmpty()) {
                try {
                    ChainCompiler.check(r.chain(), hook == Hook.STREAM, 0);
                } catch (ChainCompiler.TooComplex e) {
                    unsupported.put(index, e.getMessage());
                    b.ja(out); // the rule never matches
                    return;
                }
                Buffer buffer = hook == Hook.STREAM ? Buffer.STREAM : Buffer.PAYLOAD;
                b.note("buffer " + buffer.text()).alu(AluOp.MOV, 1, buffer.id()).call(Helpers.BUFFER).jump(JumpOp.JSLT, 0, 0, out);
                try {
                    chain = ChainCompiler.emit(b, strings, r.chain(), hook == Hook.STREAM, index, out);
                } catch (ChainCompiler.TooComplex e) {
                    throw new IllegalStateException("the chain compiler refused a checked chain", e);
                }
            }
            if (r.detectionFilter() != null) {
                b.note("detection_filter").alu(AluOp.MOV, 1, index).call(Helpers.THRESHOLD).jump(JumpOp.JEQ, 0, 0, out);
            }
            for (int[] op : bits.changesOf(index)) {
                b.note("flowbits:" + (op[0] == Helpers.FLOWBIT_SET ? "set" : op[0] == Helpers.FLOWBIT_UNSET ? "unset"
                        : "toggle")).alu(AluOp.MOV, 1, op[0]).alu(AluOp.MOV, 2, op[1]).call(Helpers.FLOWBIT);
            }
            for (Xbits.Call x : xbits.changesOf(index)) {
                xbit(x);
            }
            for (Flowints.Call f : flowints.changesOf(index)) {
                flowint(f);
            }
            if (r.action() == Action.PASS) {
                b.note("pass").ret(Verdict.PASS, r.sid());
                return;
            }
            int edit = firstEdit;
            for (int i = 0; i < r.chain().size(); i++) {
                if (r.chain().get(i) instanceof Content c && c.replace() != null) {
                    b.alu(AluOp.MOV, 1, edit++).loadMem(2, chain.startSlots().get(i)).call(Helpers.EDIT);
                }
            }
            if (!r.noalert()) {
                b.note("alert").alu(AluOp.MOV, 1, index).call(Helpers.ALERT);
            }
            if (r.action() == Action.DROP) {
                b.ret(Verdict.DROP, r.sid());
            } else if (r.action() == Action.REJECT) {
                b.ret(Verdict.REJECT, r.sid());
            }
        }

        /**
         * Each inspection over its buffer, one after the other: a buffer the transaction lacks, or a chain that fails,
         * fails the rule. False (and code that never matches) when one is more than the VM can hold.
         */
        private boolean transactionInspections() {
            List<Inspection> list = r.inspections();
            try {
                for (Inspection i : list) {
                    ChainCompiler.check(i.items(), false, 0);
                }
            } catch (ChainCompiler.TooComplex e) {
                unsupported.put(index, e.getMessage());
                b.ja(out);
                return false;
            }
            for (Inspection i : list) {
                b.note("buffer " + (i.raw() ? "stream (the packet data)" : i.describe()))
                        .alu(AluOp.MOV, 1, bufferId(i, derived)).call(Helpers.BUFFER)
                        .jump(JumpOp.JSLT, 0, 0, out);
                try {
                    // the packet data is the stream window, searched as a whole: a transaction's rule alerts once
                    ChainCompiler.emit(b, strings, i.items(), false, index, out);
                } catch (ChainCompiler.TooComplex e) {
                    throw new IllegalStateException("the chain compiler refused a checked chain", e);
                }
            }
            return true;
        }

        /** The {@code http} header protocol and {@code app-layer-protocol}, as {@code app_proto} tests. */
        private void appProtoTests() {
            if (r.http() && hook != Hook.HTTP) {
                // an HTTP-hook rule runs on HTTP transactions only; elsewhere the flow's protocol is tested
                b.note("http").alu(AluOp.MOV, 1, Helpers.APP_PROTO_HTTP).call(Helpers.APP_PROTO)
                        .jump(JumpOp.JEQ, 0, 0, out);
            }
            for (String event : r.appEvents()) {
                b.note("app-layer-event:" + (event.startsWith("dns.") || event.startsWith("tls.") || event.startsWith("ssh.")
                        || event.startsWith("smtp.") || event.startsWith("ftp.") ? event
                        : "http." + event.toLowerCase(java.util.Locale.ROOT)))
                        .alu(AluOp.MOV, 1, strings.literal(b, event.getBytes(java.nio.charset.StandardCharsets.US_ASCII)))
                        .call(Helpers.APP_EVENT).jump(JumpOp.JEQ, 0, 0, out);
            }
            for (SuricataRule.AppProto p : r.appProtos()) {
                b.note("app-layer-protocol:" + (p.negated() ? "!" : "") + Helpers.appProtoName(p.id())).alu(AluOp.MOV, 1, p.id()).call(Helpers.APP_PROTO)
                        .jump(p.negated() ? JumpOp.JNE : JumpOp.JEQ, 0, 0, out);
            }
        }

        /** isset (all, or any of names joined by |) and isnotset, as flow-bit tests. */
        private void flowbitTests() {
            for (int bit : bits.testsOf(index, Flowbits.ISSET_ALL)) {
                b.note("flowbits:isset");
                test(bit).jump(JumpOp.JEQ, 0, 0, out);
            }
            int[] any = bits.testsOf(index, Flowbits.ISSET_ANY);
            if (any.length > 0) {
                b.note("flowbits:isset (any)");
                Label ok = b.newLabel();
                for (int bit : any) {
                    test(bit).jump(JumpOp.JNE, 0, 0, ok);
                }
                b.ja(out).bind(ok);
            }
            for (int bit : bits.testsOf(index, Flowbits.ISNOTSET)) {
                b.note("flowbits:isnotset");
                test(bit).jump(JumpOp.JNE, 0, 0, out);
            }
        }

        /** xbits isset and isnotset, each a helper call at the packet's time. */
        private void xbitTests() {
            for (Xbits.Call x : xbits.testsOf(index)) {
                xbit(x).jump(x.command().equals("isset") ? JumpOp.JEQ : JumpOp.JNE, 0, 0, out);
            }
        }

        /** flowint comparisons, isset and notset. */
        private void flowintTests() {
            for (Flowints.Call f : flowints.testsOf(index)) {
                flowint(f).jump(JumpOp.JEQ, 0, 0, out);
            }
        }

        private ProgramBuilder flowint(Flowints.Call f) {
            return b.note("flowint:" + f.op()).alu(AluOp.MOV, 1, f.r1()).alu(AluOp.MOV, 2, f.var())
                    .alu32(AluOp.MOV, 3, f.operand()).call(Helpers.FLOWINT); // zero-extended: values to 2^32 - 1
        }

        private ProgramBuilder xbit(Xbits.Call x) {
            return b.note("xbits:" + x.command()).alu(AluOp.MOV, 1, x.op()).alu(AluOp.MOV, 2, x.bit())
                    .alu32(AluOp.MOV, 3, x.expireSeconds()).call(Helpers.XBIT);
        }

        private ProgramBuilder test(int bit) {
            return b.alu(AluOp.MOV, 1, Helpers.FLOWBIT_TEST).alu(AluOp.MOV, 2, bit).call(Helpers.FLOWBIT);
        }
    }

    /** 6 or 17 when the rule only concerns TCP or UDP (so its ports are real ports), else 0. */
    private static int portProtocol(SuricataRule r) {
        return switch (r.proto()) {
            case TCP, TCP_PKT, TCP_STREAM -> 6;
            case UDP -> 17;
            default -> 0;
        };
    }

    /** The content whose presence the rule needs: fast_pattern, else the longest positive one; null if none. */
    static Content fastPattern(SuricataRule r) {
        Content best = null;
        for (Content c : r.contents()) {
            if (c.negated()) {
                continue;
            }
            if (c.fastPattern()) {
                return c;
            }
            if (best == null || c.bytes().length > best.bytes().length) {
                best = c;
            }
        }
        return best;
    }

    /** Emits one rule's region. Registers: r1 helper argument, r2 ports, r3 scratch values. */
    private static final class RegionEmitter {
        private final ProgramBuilder b;
        private final SuricataRule r;
        private final int index;
        private final Map<String, Integer> cidrPool;
        private final Map<String, Integer> intPool;
        private final Label out;
        private final int direction;

        RegionEmitter(ProgramBuilder b, SuricataRule r, int index, Map<String, Integer> cidrPool,
                Map<String, Integer> intPool, int direction) {
            this.direction = direction;
            this.b = b;
            this.r = r;
            this.index = index;
            this.cidrPool = cidrPool;
            this.intPool = intPool;
            this.out = b.newLabel();
        }

        void emit() {
            b.line(r.line());
            b.beginRule(r.sid());
            if (!r.decodeInspected()) {
                // a decoder-event rule also runs on a packet whose decoding stopped before its IP header
                b.loadMeta(3, MetaField.IP_VERSION).jump(JumpOp.JEQ, 3, 0, out);
            }
            switch (r.proto()) {
                case TCP, TCP_PKT, TCP_STREAM -> b.loadMeta(3, MetaField.IP_PROTO).jump(JumpOp.JNE, 3, 6, out);
                case UDP -> b.loadMeta(3, MetaField.IP_PROTO).jump(JumpOp.JNE, 3, 17, out);
                case ICMP -> {
                    Label icmp = b.newLabel();
                    b.loadMeta(3, MetaField.IP_PROTO).jump(JumpOp.JEQ, 3, 1, icmp).jump(JumpOp.JNE, 3, 58, out);
                    b.bind(icmp);
                }
                default -> {
                }
            }
            if (r.ipProto() >= 0) {
                b.loadMeta(3, MetaField.IP_PROTO).jump(JumpOp.JNE, 3, r.ipProto(), out);
            }
            for (SuricataRule.EventTest e : r.events()) {
                String shortName = e.name().substring(e.name().indexOf('.') + 1);
                b.note((e.stream() ? "stream-event:" : "decode-event:") + shortName);
                bit(e.stream() ? MetaField.STREAM_EVENTS : MetaField.DECODE_EVENTS, e.bit());
                if (e.layer() >= 0) {
                    bit(MetaField.PROTOCOLS, e.layer());
                }
            }
            Label body = b.newLabel();
            if (r.bidirectional()) {
                Label reverse = b.newLabel();
                endpoints(false, reverse);
                b.ja(body);
                b.bind(reverse);
                endpoints(true, out);
            } else {
                endpoints(false, out);
            }
            b.bind(body);
            if (direction >= 0) {
                b.loadMeta(3, MetaField.DIRECTION).jump(JumpOp.JNE, 3, direction, out);
            }
            if (r.flow().established() == 1) {
                Label ok = b.newLabel();
                b.loadMeta(3, MetaField.FLOW_STATE).jump(JumpOp.JSET, 3, FLOW_ESTABLISHED, ok).ja(out).bind(ok);
            } else if (r.flow().established() == 0) {
                b.loadMeta(3, MetaField.FLOW_STATE).jump(JumpOp.JSET, 3, FLOW_ESTABLISHED, out);
            }
            if (r.flags() != null) {
                flags(r.flags());
            }
            uint(MetaField.TTL, r.ttl());
            uint(MetaField.ICMP_TYPE, r.itype());
            uint(MetaField.ICMP_CODE, r.icode());
            uint(MetaField.PAYLOAD_LEN, r.dsize());
            for (SuricataRule.ChecksumTest c : r.checksums()) {
                checksum(c);
            }
            if (r.streamSize() != null) {
                streamSize(r.streamSize());
            }
            // The body (flow bits, chain, actions) has loops the optimizer does not take: it is linked in after.
            b.alu(AluOp.MOV, 1, index).call(Helpers.INSPECT);
            b.endRule();
            b.bind(out);
        }

        /**
         * A checksum keyword: out unless the innermost packet has the keyword's IP version (and transport), the
         * decoder could judge that checksum, and it is good or wrong as the keyword says. The decoder summed it once
         * ({@code Checksums}); with verification off no bad bit is set and {@code valid} holds, as in Suricata, whose
         * keywords answer "valid" when checksum validation is disabled.
         */
        private void checksum(SuricataRule.ChecksumTest c) {
            b.note(c.keyword() + ":" + (c.valid() ? "valid" : "invalid"));
            b.loadMeta(3, MetaField.IP_VERSION).jump(JumpOp.JNE, 3, c.ipVersion(), out);
            if (!c.ipHeader()) {
                b.loadMeta(3, MetaField.IP_PROTO).jump(JumpOp.JNE, 3, c.ipProto(), out);
            }
            int judged = c.ipHeader() ? Checksums.IPV4_JUDGED : Checksums.TRANSPORT_JUDGED;
            int bad = c.ipHeader() ? Checksums.IPV4_BAD : Checksums.TRANSPORT_BAD;
            b.loadMeta(3, MetaField.CHECKSUMS).alu(AluOp.AND, 3, judged | bad)
                    .jump(JumpOp.JNE, 3, c.valid() ? judged : judged | bad, out);
        }

        /** Goes out unless bit {@code bit} of {@code field} is set (shifted down first: any of the 64 bits). */
        private void bit(MetaField field, int bit) {
            b.loadMeta(3, field);
            if (bit > 0) {
                b.alu(AluOp.RSH, 3, bit);
            }
            b.alu(AluOp.AND, 3, 1).jump(JumpOp.JEQ, 3, 0, out);
        }

        /** Address and port tests with source and destination swapped or not; failures go to {@code fail}. */
        private void endpoints(boolean swap, Label fail) {
            address(swap ? 1 : 0, r.src(), fail);
            port(swap ? MetaField.DST_PORT : MetaField.SRC_PORT, r.srcPorts(), fail);
            address(swap ? 0 : 1, r.dst(), fail);
            port(swap ? MetaField.SRC_PORT : MetaField.DST_PORT, r.dstPorts(), fail);
        }

        private void address(int which, CidrSet set, Label fail) {
            if (set == null) {
                return;
            }
            Integer pool = cidrPool.computeIfAbsent(set.text(), t -> b.addCidrSet("a" + cidrPool.size(), set));
            Label ok = b.newLabel();
            b.jumpAddr(which, pool, ok).ja(fail).bind(ok);
        }

        private void port(MetaField field, IntRangeSet set, Label fail) {
            if (set == null) {
                return;
            }
            Integer pool = intPool.computeIfAbsent(set.text(), t -> b.addIntSet("p" + intPool.size(), set));
            Label ok = b.newLabel();
            b.loadMeta(2, field).jumpIn(2, pool, ok).ja(fail).bind(ok);
        }

        private void flags(FlagsTest f) {
            b.loadMeta(3, MetaField.TCP_FLAGS);
            if (f.ignore() != 0) {
                b.alu(AluOp.AND, 3, ~f.ignore() & 0xff);
            }
            switch (f.mod()) {
                case '+' -> b.alu(AluOp.AND, 3, f.bits()).jump(JumpOp.JNE, 3, f.bits(), out);
                case '*' -> {
                    Label ok = b.newLabel();
                    b.jump(JumpOp.JSET, 3, f.bits(), ok).ja(out).bind(ok);
                }
                case '!' -> b.jump(JumpOp.JSET, 3, f.bits(), out);
                default -> b.jump(JumpOp.JNE, 3, f.bits(), out);
            }
        }

        private void uint(MetaField field, UintTest t) {
            if (t != null) {
                uint(field, t, out);
            }
        }

        /**
         * Loads {@code field} and goes to {@code fail} unless {@code t} holds for it. A bound past 2^31 - 1 is compared
         * from a register (a jump's immediate is sign-extended).
         */
        private void uint(MetaField field, UintTest t, Label fail) {
            b.loadMeta(3, field);
            if (t.a() > Integer.MAX_VALUE || t.b() > Integer.MAX_VALUE) {
                b.alu32(AluOp.MOV, 4, t.a()).alu32(AluOp.MOV, 5, t.b());
                switch (t.op()) {
                    case EQ -> b.jumpReg(JumpOp.JNE, 3, 4, fail);
                    case NE -> b.jumpReg(JumpOp.JEQ, 3, 4, fail);
                    case LT -> b.jumpReg(JumpOp.JGE, 3, 4, fail);
                    case LE -> b.jumpReg(JumpOp.JGT, 3, 4, fail);
                    case GT -> b.jumpReg(JumpOp.JLE, 3, 4, fail);
                    case GE -> b.jumpReg(JumpOp.JLT, 3, 4, fail);
                    default -> b.jumpReg(JumpOp.JLE, 3, 4, fail).jumpReg(JumpOp.JGE, 3, 5, fail);
                }
                return;
            }
            switch (t.op()) {
                case EQ -> b.jump(JumpOp.JNE, 3, t.a(), fail);
                case NE -> b.jump(JumpOp.JEQ, 3, t.a(), fail);
                case LT -> b.jump(JumpOp.JGE, 3, t.a(), fail);
                case LE -> b.jump(JumpOp.JGT, 3, t.a(), fail);
                case GT -> b.jump(JumpOp.JLE, 3, t.a(), fail);
                case GE -> b.jump(JumpOp.JLT, 3, t.a(), fail);
                default -> b.jump(JumpOp.JLE, 3, t.a(), fail).jump(JumpOp.JGE, 3, t.b(), fail);
            }
        }

        /**
         * {@code stream_size}: a TCP packet of a tracked flow only (Suricata reads the flow's TCP session, and a
         * packet without one never matches), then the test on one stream's size, on both, or on either.
         */
        private void streamSize(SuricataRule.StreamSize s) {
            b.note("stream_size").loadMeta(3, MetaField.IP_PROTO).jump(JumpOp.JNE, 3, 6, out);
            Label tracked = b.newLabel();
            b.loadMeta(3, MetaField.FLOW_STATE).jump(JumpOp.JSET, 3, FLOW_TRACKED, tracked).ja(out).bind(tracked);
            switch (s.side()) {
                case CLIENT -> uint(MetaField.STREAM_SIZE_CLIENT, s.test(), out);
                case SERVER -> uint(MetaField.STREAM_SIZE_SERVER, s.test(), out);
                case BOTH -> {
                    uint(MetaField.STREAM_SIZE_CLIENT, s.test(), out);
                    uint(MetaField.STREAM_SIZE_SERVER, s.test(), out);
                }
                case EITHER -> {
                    Label server = b.newLabel();
                    Label ok = b.newLabel();
                    uint(MetaField.STREAM_SIZE_CLIENT, s.test(), server);
                    b.ja(ok).bind(server);
                    uint(MetaField.STREAM_SIZE_SERVER, s.test(), out);
                    b.bind(ok);
                }
            }
        }
    }
}
