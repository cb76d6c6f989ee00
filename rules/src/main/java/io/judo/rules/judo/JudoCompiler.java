package io.judo.rules.judo;

import io.judo.rules.ChainCompiler;
import io.judo.rules.LiteralPrefilter;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.Inspect;
import io.judo.rules.judo.JudoRule.Action;
import io.judo.vm.AluOp;
import io.judo.vm.Buffer;
import io.judo.vm.JumpOp;
import io.judo.vm.MetaField;
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
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Compiles a {@link JudoPolicy} to one program. Scratch slot {@code M[0]} holds the decision so far
 * ({@code rule id << 8 | verdict}, pass by default, as pf's implicit default); each rule is a region whose header tests
 * jump past it, whose payload conditions are {@code call inspect}, whose actions store metadata ({@code tag},
 * {@code queue}, {@code prio}) or call helpers ({@code set_tos}, {@code remap_addr}, {@code remap_port},
 * {@code replace_match}, {@code log}), and whose pass/block stores the decision, returning at once when quick.
 * Rule ids are 1-based positions in the file's rule list.
 *
 * <p>{@code interface} metadata is read as {@code id << 1 | outbound}: {@code on IFACE} tests the id (1-based in
 * {@link CompiledPolicy#interfaces()}), {@code in}/{@code out} the low bit. Offline scans have no interfaces (0):
 * {@code in} matches every packet, {@code out} and {@code on} none.
 */
public final class JudoCompiler {
    private JudoCompiler() {
    }

    public static CompiledPolicy compile(JudoPolicy policy) {
        return compile(policy, true);
    }

    /** As {@link #compile(JudoPolicy)}; {@code optimize} runs the VM optimizer on the program. */
    public static CompiledPolicy compile(JudoPolicy policy, boolean optimize) {
        ProgramBuilder b = new ProgramBuilder();
        b.defaultVerdict(Verdict.PASS);
        List<JudoRule> rules = policy.rules();
        int replaceCount = (int) rules.stream().filter(r -> r.replaceWith() != null).count();
        if (replaceCount > 0) {
            b.addPatternDb("replace", replaceCount);
        }
        int[] replacements = new int[rules.size()];
        List<String> interfaces = new ArrayList<>();
        Map<String, Integer> cidrPool = new HashMap<>();
        Map<String, Integer> intPool = new HashMap<>();
        LiteralPrefilter prefilter = new LiteralPrefilter();
        List<Integer> streamAlways = new ArrayList<>();
        b.alu(AluOp.MOV, 9, Verdict.PASS).storeMem(0, 9);
        if (!policy.skip().isEmpty()) {
            // set skip on IF: packets on a skipped interface are passed before any rule
            Label keep = b.newLabel();
            b.loadMeta(3, MetaField.INTERFACE).alu(AluOp.RSH, 3, 1);
            for (String name : policy.skip()) {
                b.jump(JumpOp.JEQ, 3, interfaceId(interfaces, name), keep);
            }
            Label rules0 = b.newLabel();
            b.ja(rules0).bind(keep).ret(Verdict.PASS, 0).bind(rules0);
        }
        int nextReplace = 0;
        java.util.Arrays.fill(replacements, -1);
        boolean allDecided = false;
        boolean stateful = rules.stream().anyMatch(JudoRule::keepState);
        for (int i = 0; i < rules.size(); i++) {
            JudoRule r = rules.get(i);
            replacements[i] = r.replaceWith() == null ? -1 : nextReplace++;
            Label next = b.newLabel();
            b.line(r.line());
            b.beginRule(i + 1);
            int start = b.pc();
            if (cannotMatch(r)) {
                // user/group/os, or a host that is no address (an interface without one): the region only jumps
                // past itself (code after an unconditional jump would be unreachable, which the verifier refuses)
                b.ja(next).endRule().bind(next);
                continue;
            }
            if (stateful && !r.payload()) {
                // a packet of a flow with pf state passes without the header-only rules (payload rules, Judo's
                // extension, still look at every packet: they may block, tag or rewrite mid-flow)
                b.loadMeta(3, MetaField.FLOW_STATE).jump(JumpOp.JSET, 3, CompiledPolicy.FLOW_KEPT, next);
            }
            header(b, r, next, interfaces, policy.runtimeTables(), cidrPool, intPool);
            if (r.tagged() != null) {
                b.loadMeta(3, MetaField.TAG).jump(r.taggedNegated() ? JumpOp.JEQ : JumpOp.JNE, 3,
                        policy.tagId(r.tagged()), next);
            }
            if (r.payload()) {
                b.alu(AluOp.MOV, 1, i).call(Helpers.INSPECT).jump(JumpOp.JEQ, 0, 0, next);
            }
            actions(b, policy, r, i, replacements[i]);
            if (r.action() != Action.MATCH) {
                int verdict = r.action() == Action.PASS ? Verdict.PASS
                        : r.blockReturn() ? Verdict.REJECT : Verdict.DROP;
                b.alu(AluOp.MOV, 9, (long) (i + 1) << 8 | verdict).storeMem(0, 9);
                if (r.quick()) {
                    b.retReg(9);
                }
            }
            if (b.pc() == start) {
                // a bare "match" tests and does nothing, but the verifier refuses an empty region: a jump to the
                // next instruction keeps it (the optimizer then drops both, as it drops any region it empties)
                b.ja(next);
            }
            b.endRule();
            if (r.quick() && r.action() != Action.MATCH && !b.referenced(next)) {
                // A quick rule with nothing that can fail decides every packet: the rules after it can never run,
                // and emitting them would leave unreachable code the verifier refuses (when the optimizer, which
                // would drop it, is off). Their replacement slots stay unused.
                allDecided = true;
                break;
            }
            b.bind(next);
            if (r.stream()) {
                Content fast = longestContent(r);
                if (fast == null) {
                    streamAlways.add(i);
                } else {
                    prefilter.add(i, fast.bytes(), fast.nocase());
                }
            }
        }
        if (!allDecided) {
            b.loadMem(0, 0).retReg(0);
        }
        VerifiedProgram verified;
        ChainCompiler.Strings strings = new ChainCompiler.Strings();
        StreamCode stream;
        try {
            io.judo.vm.Program built = b.build();
            // the policy engine runs the program whole (never a region at a time): rules may be skipped across
            io.judo.vm.Program headers = optimize ? io.judo.vm.opt.Optimizer.optimize(built, true) : built;
            io.judo.vm.Program linked = link(headers, rules, strings);
            verified = Verifier.verify(linked);
            stream = streamProgram(rules);
        } catch (VerifyException e) {
            throw new IllegalStateException("judo compiler produced an invalid program: " + e.getMessage(), e);
        }
        return new CompiledPolicy(policy, verified, prefilter.patterns(), prefilter.rulesOfPattern(),
                streamAlways.stream().mapToInt(Integer::intValue).toArray(), replacements, List.copyOf(interfaces),
                strings.regexTable(verified.program().strings().size()), stream.program(), stream.regionOfRule(),
                stream.regexes());
    }

    /** The stream rules' program: per rule, a region that exits with pass when its chain holds on a stream chunk. */
    record StreamCode(VerifiedProgram program, int[] regionOfRule, io.judo.matcher.confirm.BoundedRegex[] regexes) {
    }

    /**
     * Puts each payload rule's chain where the optimized program left its {@code inspect} placeholder: over the
     * packet's payload, r0 = 1 when it holds; a stream rule reads its sticky stream result instead.
     */
    private static io.judo.vm.Program link(io.judo.vm.Program headers, List<JudoRule> rules,
            ChainCompiler.Strings strings) {
        ProgramBuilder b = Relinker.linkPlaceholders(headers, Helpers.INSPECT, (k, region, out, regionEnd) -> {
            int rule = (int) region.ruleId() - 1;
            JudoRule r = rules.get(rule);
            if (r.stream()) {
                out.alu(AluOp.MOV, 1, rule).call(Helpers.STREAM_MATCHED);
                return;
            }
            Label no = out.newLabel();
            Label done = out.newLabel();
            out.alu(AluOp.MOV, 1, Buffer.PAYLOAD.id()).call(Helpers.BUFFER).jump(JumpOp.JSLT, 0, 0, no);
            try {
                // M[0] holds the decision so far: the chain's slots start above it
                ChainCompiler.check(r.chain(), false, 1);
                ChainCompiler.emit(out, strings, r.chain(), false, rule, 1, no);
            } catch (ChainCompiler.TooComplex e) {
                throw new io.judo.rules.RuleError(r.file(), r.line(), 1, r.text(), "this rule's payload conditions "
                        + "do not fit the VM: " + e.getMessage());
            }
            out.alu(AluOp.MOV, 0, 1).ja(done).bind(no).alu(AluOp.MOV, 0, 0).bind(done);
        });
        return b.build();
    }

    private static StreamCode streamProgram(List<JudoRule> rules) throws VerifyException {
        ProgramBuilder b = new ProgramBuilder();
        b.defaultVerdict(Verdict.PASS);
        ChainCompiler.Strings strings = new ChainCompiler.Strings();
        int[] regionOfRule = new int[rules.size()];
        java.util.Arrays.fill(regionOfRule, -1);
        int regions = 0;
        for (int i = 0; i < rules.size(); i++) {
            JudoRule r = rules.get(i);
            if (!r.stream() || !r.payload() || r.replaceWith() != null) {
                continue;
            }
            regionOfRule[i] = regions++;
            Label out = b.newLabel();
            b.line(r.line()).beginRule(i + 1);
            b.alu(AluOp.MOV, 1, Buffer.STREAM.id()).call(Helpers.BUFFER).jump(JumpOp.JSLT, 0, 0, out);
            try {
                ChainCompiler.emit(b, strings, r.chain(), true, i, 0, out);
            } catch (ChainCompiler.TooComplex e) {
                throw new io.judo.rules.RuleError(r.file(), r.line(), 1, r.text(), "this rule's payload conditions "
                        + "do not fit the VM: " + e.getMessage());
            }
            b.ret(Verdict.PASS, i + 1L);
            b.endRule();
            b.bind(out);
        }
        if (regions == 0) {
            return new StreamCode(null, regionOfRule, new io.judo.matcher.confirm.BoundedRegex[0]);
        }
        b.ret(Verdict.PASS, 0);
        VerifiedProgram v = Verifier.verify(b.build());
        return new StreamCode(v, regionOfRule, strings.regexTable(v.program().strings().size()));
    }

    private static Content longestContent(JudoRule r) {
        Content best = null;
        for (Inspect i : r.chain()) {
            if (i instanceof Content c && (best == null || c.bytes().length > best.bytes().length)) {
                best = c;
            }
        }
        return best;
    }

    /** Whether no packet can match the rule: it tests what Judo never sees, or a host list with no address. */
    private static boolean cannotMatch(JudoRule r) {
        return r.never() || r.from() != null && r.from().terms().isEmpty() || r.to() != null
                && r.to().terms().isEmpty();
    }

    private static int interfaceId(List<String> interfaces, String name) {
        int id = interfaces.indexOf(name);
        if (id < 0) {
            interfaces.add(name);
            id = interfaces.size() - 1;
        }
        return id + 1;
    }

    private static void header(ProgramBuilder b, JudoRule r, Label next, List<String> interfaces,
            List<String> runtimeTables, Map<String, Integer> cidrPool, Map<String, Integer> intPool) {
        if (r.never()) {
            b.ja(next); // user, group, os: nothing Judo sees (the parser warned)
            return;
        }
        if (r.ifaces() != null) {
            b.loadMeta(3, MetaField.INTERFACE).alu(AluOp.RSH, 3, 1);
            Label ok = b.newLabel();
            List<String> names = r.ifaces();
            for (int k = 0; k < names.size(); k++) {
                String n = names.get(k);
                boolean not = n.startsWith("!");
                int id = interfaceId(interfaces, not ? n.substring(1) : n);
                boolean last = k == names.size() - 1;
                if (last) {
                    b.jump(not ? JumpOp.JEQ : JumpOp.JNE, 3, id, next);
                } else {
                    b.jump(not ? JumpOp.JNE : JumpOp.JEQ, 3, id, ok);
                }
            }
            b.bind(ok);
        }
        if (r.direction() == 1) {
            b.loadMeta(3, MetaField.INTERFACE).jump(JumpOp.JSET, 3, 1, next);
        } else if (r.direction() == 2) {
            Label out = b.newLabel();
            b.loadMeta(3, MetaField.INTERFACE).jump(JumpOp.JSET, 3, 1, out).ja(next).bind(out);
        }
        boolean needsIp = r.family() != 0 || r.protocols() != null || r.from() != null || r.to() != null
                || r.tosMatch() >= 0;
        if (needsIp) {
            b.loadMeta(3, MetaField.IP_VERSION);
            if (r.family() != 0) {
                b.jump(JumpOp.JNE, 3, r.family(), next);
            } else {
                b.jump(JumpOp.JEQ, 3, 0, next);
            }
        }
        if (r.protocols() != null) {
            Label ok = b.newLabel();
            b.loadMeta(3, MetaField.IP_PROTO);
            List<Integer> ps = r.protocols();
            for (int k = 0; k < ps.size() - 1; k++) {
                b.jump(JumpOp.JEQ, 3, ps.get(k), ok);
            }
            b.jump(JumpOp.JNE, 3, ps.get(ps.size() - 1), next);
            b.bind(ok);
        }
        address(b, 0, r.from(), next, runtimeTables, cidrPool);
        port(b, MetaField.SRC_PORT, r.fromPorts(), next, intPool);
        address(b, 1, r.to(), next, runtimeTables, cidrPool);
        port(b, MetaField.DST_PORT, r.toPorts(), next, intPool);
        if (r.flags() >= 0) {
            // pf tests flags on TCP packets only: on a rule for other protocols too, the rest pass the test
            boolean tcpOnly = r.protocols() != null && r.protocols().size() == 1 && r.protocols().get(0) == 6;
            Label done = b.newLabel();
            if (!tcpOnly) {
                b.loadMeta(3, MetaField.IP_PROTO).jump(JumpOp.JNE, 3, 6, done);
            }
            b.loadMeta(3, MetaField.TCP_FLAGS).alu(AluOp.AND, 3, r.flagsMask()).jump(JumpOp.JNE, 3, r.flags(), next);
            b.bind(done);
        }
        if (!r.icmpTypes().isEmpty()) {
            Label ok = b.newLabel();
            List<int[]> types = r.icmpTypes();
            for (int k = 0; k < types.size(); k++) {
                int[] tc = types.get(k);
                Label other = k == types.size() - 1 ? next : b.newLabel();
                b.loadMeta(3, MetaField.ICMP_TYPE).jump(JumpOp.JNE, 3, tc[0], other);
                if (tc[1] >= 0) {
                    b.loadMeta(3, MetaField.ICMP_CODE).jump(JumpOp.JNE, 3, tc[1], other);
                }
                b.ja(ok);
                if (other != next) {
                    b.bind(other);
                }
            }
            b.bind(ok);
        }
        if (r.tosMatch() >= 0) {
            b.loadMeta(3, MetaField.TOS).jump(JumpOp.JNE, 3, r.tosMatch(), next);
        }
        if (r.prioMatch() >= 0) {
            b.loadMeta(3, MetaField.PRIO).jump(JumpOp.JNE, 3, r.prioMatch(), next);
        }
    }

    /**
     * The address is one of the terms' (a negated term: outside its set and its tables' runtime entries); no terms
     * match nothing.
     */
    private static void address(ProgramBuilder b, int which, JudoRule.Hosts hosts, Label next,
            List<String> runtimeTables, Map<String, Integer> pool) {
        if (hosts == null) {
            return;
        }
        List<JudoRule.Hosts.Term> terms = hosts.terms();
        if (terms.isEmpty()) {
            b.ja(next);
            return;
        }
        Label ok = b.newLabel();
        for (int k = 0; k < terms.size(); k++) {
            JudoRule.Hosts.Term t = terms.get(k);
            boolean last = k == terms.size() - 1;
            if (!t.negated()) {
                jumpIfIn(b, which, t, ok, runtimeTables, pool);
                if (last) {
                    b.ja(next);
                }
            } else if (last) {
                jumpIfIn(b, which, t, next, runtimeTables, pool);
            } else {
                Label inside = b.newLabel();
                jumpIfIn(b, which, t, inside, runtimeTables, pool);
                b.ja(ok).bind(inside);
            }
        }
        b.bind(ok);
    }

    /** Jumps to {@code target} when the address is in the term's set or in a runtime table the term names. */
    private static void jumpIfIn(ProgramBuilder b, int which, JudoRule.Hosts.Term t, Label target,
            List<String> runtimeTables, Map<String, Integer> pool) {
        CidrSet set = t.set();
        boolean runtime = t.tables().stream().anyMatch(runtimeTables::contains);
        if (!set.entries().isEmpty() || !runtime) {
            // a test, even of an empty set, keeps the jump's target reachable
            int index = pool.computeIfAbsent(set.text(), x -> b.addCidrSet("a" + pool.size(), set));
            b.jumpAddr(which, index, target);
        }
        for (String table : t.tables()) {
            int id = runtimeTables.indexOf(table) + 1;
            if (id > 0) {
                b.alu(AluOp.MOV, 1, which).alu(AluOp.MOV, 2, id).call(Helpers.TABLE)
                        .jump(JumpOp.JNE, 0, 0, target);
            }
        }
    }

    private static void port(ProgramBuilder b, MetaField field, IntRangeSet set, Label next,
            Map<String, Integer> pool) {
        if (set == null) {
            return;
        }
        int index = pool.computeIfAbsent(set.text(), t -> b.addIntSet("p" + pool.size(), set));
        Label ok = b.newLabel();
        b.loadMeta(2, field).jumpIn(2, index, ok).ja(next).bind(ok);
    }

    private static void actions(ProgramBuilder b, JudoPolicy policy, JudoRule r, int index, int replace) {
        if (r.tag() != null) {
            b.storeMetaImm(MetaField.TAG, policy.tagId(r.tag()));
        }
        if (r.queue() >= 0) {
            b.storeMetaImm(MetaField.QUEUE, r.queue() + 1);
        }
        if (r.prio() >= 0) {
            b.storeMetaImm(MetaField.PRIO, r.prio());
        }
        if (r.tos() >= 0) {
            b.alu(AluOp.MOV, 1, r.tos()).call(Helpers.SET_TOS);
        }
        if (r.ttl() >= 0) {
            b.alu(AluOp.MOV, 1, r.ttl()).call(Helpers.SET_TTL);
        }
        remap(b, r.natTo(), 0, index, "nat");
        remap(b, r.rdrTo(), 1, index, "rdr");
        if (replace >= 0) {
            int s = b.addString("replace" + index, r.replaceWith());
            b.alu(AluOp.MOV, 1, replace).alu(AluOp.MOV, 2, s).call(Helpers.REPLACE_MATCH);
        }
        if (r.log()) {
            b.alu(AluOp.MOV, 1, index + 1).call(Helpers.LOG);
        }
    }

    private static void remap(ProgramBuilder b, JudoRule.Remap to, int which, int index, String kind) {
        if (to == null) {
            return;
        }
        int s = b.addString(kind + index, to.address().getBytes(StandardCharsets.ISO_8859_1));
        b.alu(AluOp.MOV, 1, which).alu(AluOp.MOV, 2, s).call(Helpers.REMAP_ADDR);
        if (to.port() >= 0) {
            b.alu(AluOp.MOV, 1, which).alu(AluOp.MOV, 2, to.port()).call(Helpers.REMAP_PORT);
        }
    }
}
