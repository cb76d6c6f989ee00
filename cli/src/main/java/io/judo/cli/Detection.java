package io.judo.cli;

import io.judo.engine.CaptureScanner;
import io.judo.engine.detect.Detector;
import io.judo.engine.detect.PolicyEngine;
import io.judo.matcher.Engine;
import io.judo.matcher.MatcherException;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.OverlapPolicy;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.judo.CompiledPolicy;
import io.judo.rules.judo.JudoPolicy;
import io.judo.rules.judo.JudoRule;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.SuricataRule;
import io.judo.vm.Verdict;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The rule side of {@code judo scan}: Suricata/Snort rules run in a {@link Detector} (alerts, EVE), a judo policy in a
 * {@link PolicyEngine} (verdicts, tags, queues); either or both. Loads and compiles, sees every packet, sums up.
 */
final class Detection implements CaptureScanner.PacketListener {
    /** The demo's rules and policy, bundled beside the demo capture. */
    static final String DEMO_RULES = "demo.rules";
    static final String DEMO_POLICY = "demo.judo";
    static final String WRITE_NEEDS_POLICY = "--write needs rules to apply (--rules FILE: a judo policy, or Suricata "
            + "rules whose drop/reject leave packets out and whose replace edits them)";

    private final RuleLoader loader;
    private final CompiledRuleSet rules;
    private final Detector detector;
    private final PolicyEngine policy;
    private final String policyName;
    private final BufferedWriter eveOut;
    private final Path evePath;
    private JournalOutput journal;
    private Path journalPath;
    private RewriteOutput output;

    private Detection(RuleLoader loader, CompiledRuleSet rules, Detector detector, PolicyEngine policy,
            String policyName, BufferedWriter eveOut, Path evePath) {
        this.loader = loader;
        this.rules = rules;
        this.detector = detector;
        this.policy = policy;
        this.policyName = policyName;
        this.eveOut = eveOut;
        this.evePath = evePath;
    }

    static Detection start(RuleOptions options, boolean demo, String overlapPolicy, Engine engine, boolean checksums,
            Path eve, Path journalDir, String journalRoll, io.judo.journal.JournalWriter.Retention retention,
            boolean jit, PrintWriter err) {
        OverlapPolicy p = OverlapPolicy.named(overlapPolicy);
        if (p == null) {
            throw new UserError("unknown overlap policy '" + overlapPolicy + "'");
        }
        StreamConfig config = StreamConfig.defaults().withPolicy(p);
        boolean bundled = demo && options.rules.isEmpty();
        RuleLoader loader = null;
        if (bundled) {
            loader = new RuleLoader(options.variables(), null, options.strict).load(resource(DEMO_RULES), DEMO_RULES);
        }
        ProgressLine progress = null;
        if (!bundled && !options.suricataFiles().isEmpty()) {
            progress = new ProgressLine(err);
            loader = options.load(err, false, progress);
        }
        CompiledPolicy compiledPolicy = bundled ? RuleOptions.judoPolicy(resource(DEMO_POLICY), DEMO_POLICY, err)
                : options.judoPolicy(err);
        String policyName = bundled ? DEMO_POLICY : options.rules.stream().filter(options::isJudo)
                .map(Path::toString).findFirst().orElse(null);
        BufferedWriter out = null;
        if (eve != null) {
            try {
                out = Files.newBufferedWriter(eve, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserError(eve + ": " + RuleOptions.describe(e));
            }
        }
        io.judo.rules.suricata.Classifications classes = loader == null
                ? io.judo.rules.suricata.Classifications.empty() : loader.classifications();
        EveWriter writer = out == null ? null : new EveWriter(out, classes);
        if (progress != null) {
            progress.phase(String.format("building databases: %,d rules", loader.rules().size()));
        }
        CompiledRuleSet set = loader == null ? null : RuleSetCompiler.compile(loader.rules());
        JournalOutput journal = journalDir == null ? null : JournalOutput.open(journalDir, journalRoll, retention);
        try {
            Detector d = set == null ? null : new Detector(set, engine, config, checksums, a -> {
                if (writer != null) {
                    writer.write(a);
                }
                if (journal != null) {
                    journal.alert(a, classes);
                }
            }, jit);
            PolicyEngine pe = compiledPolicy == null ? null : new PolicyEngine(compiledPolicy, engine, config,
                    checksums, l -> {
                        if (writer != null) {
                            writer.write(l);
                        }
                    }, jit);
            if (progress != null) {
                progress.done(loadedSummary(loader, options.suricataFiles().size(), progress.seconds()));
            }
            List<String> unrunnable = set == null ? List.of() : set.unrunnable();
            if (!unrunnable.isEmpty()) {
                System.err.printf("judo: warning: %,d rules never match: the VM cannot hold their inspection "
                        + "(first %s)%n", unrunnable.size(), unrunnable.get(0));
            }
            Detection detection = new Detection(loader, set, d, pe, policyName, out, eve);
            if (journal != null) {
                detection.journal = journal;
                detection.journalPath = journalDir;
                if (d != null) {
                    d.onAnomaly(journal::anomaly);
                } else if (pe != null) {
                    pe.onAnomaly(journal::anomaly);
                }
            }
            return detection;
        } catch (MatcherException e) {
            if (progress != null) {
                progress.finish();
            }
            throw new UserError("prefilter patterns: " + e.getMessage());
        }
    }

    /** The one line rule loading leaves on stderr, on a terminal or not. */
    static String loadedSummary(RuleLoader loader, int files, double seconds) {
        return String.format("judo: rules ready: %,d loaded from %,d file%s (%,d skipped, %,d with errors), "
                + "programs and prefilter databases built in %.1f s", loader.rules().size(), files,
                files == 1 ? "" : "s", loader.skipped(), loader.errors().size(), seconds);
    }

    private static String resource(String name) {
        try (InputStream in = Detection.class.getResourceAsStream(name)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void packet(PacketView view, long timeNanos) {
        if (detector != null) {
            detector.packet(view, timeNanos);
            if (policy == null && output != null) {
                // Suricata rules alone: drop and reject rules leave the packet out, replace rules edit it
                int verdict = detector.held() ? PolicyEngine.HELD : detector.blocked() ? Verdict.DROP : Verdict.PASS;
                output.packet(detector, verdict, view);
                if (journal != null) {
                    journal.rewrites(detector, timeNanos);
                }
                if (!live) {
                    output.flushHeld(detector, timeNanos, false);
                }
            }
        }
        if (policy != null) {
            int verdict = policy.packet(view, timeNanos);
            if (journal != null) {
                journal.decision(policy, verdict, timeNanos);
            }
            if (output != null) {
                output.packet(policy, verdict, view);
                if (journal != null) {
                    journal.rewrites(policy, timeNanos);
                    journal.remap(policy, timeNanos);
                }
                if (!live) {
                    output.flushHeld(policy, timeNanos, false); // a capture's clock is its packets' times
                }
            }
        }
    }

    /** Writes the capture as the policy leaves it to {@code path} ({@code scan --write}). */
    void write(Path path, int mtu) {
        output = RewriteOutput.open(path, mtu);
        if (detector != null) {
            detector.prevent(true); // the capture as an IPS would have passed it
        }
    }

    /** Sends every packet, as the policy leaves it, to {@code sink} ({@code judo inline}). */
    void inline(String name, FrameSink sink, int mtu) {
        output = RewriteOutput.inline(name, sink, mtu);
        if (detector != null) {
            detector.prevent(true);
        }
        live = true;
    }

    /** Inline: packets go out onto a link (the bridge's loop sends held bytes on its clock), not into a file. */
    private boolean live;

    /**
     * The transmit queues of one interface for the policy's declared queues (index 0: the default queue), or null
     * when there is no judo policy or it declares none.
     */
    io.judo.engine.queue.TransmitQueues transmitQueues(io.judo.engine.queue.TransmitQueues.Transmitter out,
            long nowNanos) {
        if (policy == null || policy.policy().policy().queues().isEmpty()) {
            return null;
        }
        List<JudoPolicy.Queue> declared = policy.policy().policy().queues();
        long[] rates = new long[declared.size() + 1];
        int[] prios = new int[declared.size() + 1];
        prios[0] = 1; // pf's default queue
        for (int i = 0; i < declared.size(); i++) {
            rates[i + 1] = declared.get(i).rateBitsPerSecond();
            prios[i + 1] = declared.get(i).prio();
        }
        return new io.judo.engine.queue.TransmitQueues(rates, prios, io.judo.engine.queue.TransmitQueues.DEFAULT_LIMIT,
                out, nowNanos);
    }

    /**
     * Inline: when {@code v} is a reply of a flow the policy remapped (nat-to/rdr-to), the frame with its original
     * addresses in {@code into}'s output; returns its length, or 0 when it is no such reply.
     */
    int untranslate(PacketView v, io.judo.rewrite.SegmentRewriter into) {
        return policy == null ? 0 : policy.rewrites().replies().untranslate(v, into);
    }

    /** The queue the judo policy put the packet last decided in (0: none, or no policy). */
    int lastQueue() {
        return policy == null ? 0 : policy.lastQueue();
    }

    /** Declared queue names, index 0 the default queue. */
    List<String> queueNames() {
        List<String> names = new ArrayList<>(List.of("(default)"));
        if (policy != null) {
            policy.policy().policy().queues().forEach(q -> names.add(q.name()));
        }
        return names;
    }

    /** Inline: sends held-back bytes that waited long enough ({@code all}: all); returns how many remain held. */
    int tick(long timeNanos, boolean all) {
        return output == null ? 0 : output.flushHeld(policy != null ? policy : detector, timeNanos, all);
    }

    /** Flushes reassembly (end of input) and closes the EVE file. */
    void finish() {
        if (output != null) {
            io.judo.engine.detect.Rewriting r = policy != null ? policy : detector;
            output.flushHeld(r, r.lastTime(), true); // bytes still held back go out at the end
        }
        if (detector != null) {
            detector.finish();
            detector.close();
        }
        if (policy != null) {
            policy.finish();
            policy.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (output != null) {
            output.close();
        }
        if (eveOut != null) {
            try {
                eveOut.close();
            } catch (IOException e) {
                throw new UserError(evePath + ": " + e.getMessage());
            }
        }
    }

    String summary() {
        StringBuilder sb = new StringBuilder();
        if (detector != null) {
            rulesSummary(sb);
        }
        if (policy != null) {
            policySummary(sb);
        }
        if (journal != null) {
            sb.append(String.format("journal    %,d records in %s  (judo journal stats %s)%n", journal.written(),
                    journalPath, journalPath));
        }
        return sb.toString();
    }

    /**
     * What {@link #summary} says, as members of the {@code scan --json} object: {@code rules}, {@code checks},
     * {@code alerts} (with {@code by_rule}), {@code policy}, {@code written} and {@code journal}, each present when
     * the text has that section.
     */
    void json(JsonWriter j) {
        if (detector != null) {
            j.name("rules").beginObject();
            j.name("loaded").value(loader.rules().size());
            j.name("skipped").value(loader.skipped());
            j.name("errors").value(loader.errors().size());
            j.endObject();
            j.name("checks").beginObject();
            j.name("run").value(detector.regionsRun());
            j.name("per_packet").value(detector.regionsRun() / (double) Math.max(1, detector.packets()));
            j.name("stopped_at_budget").value(detector.budgetExceeded());
            j.endObject();
            j.name("alerts").beginObject();
            j.name("total").value(detector.alerts());
            j.name("eve").value(evePath == null ? null : evePath.toString());
            j.name("by_rule").beginArray();
            long[] by = detector.alertsByRule();
            for (int i : descending(by)) {
                SuricataRule r = rules.rules().get(i);
                j.beginObject();
                j.name("id").value(r.id());
                j.name("gid").value(r.gid());
                j.name("sid").value(r.sid());
                j.name("rev").value(r.rev());
                j.name("msg").value(r.msg());
                j.name("alerts").value(by[i]);
                j.endObject();
            }
            j.endArray();
            j.endObject();
            j.name("bad_checksum_segments").value(detector.reassembler().badChecksum());
            j.name("jit_fallback").value(detector.jitFallback());
            if (output != null && policy == null) {
                output.json(j, detector, live ? "sent" : "written");
            }
        }
        if (policy != null) {
            policyJson(j);
        }
        if (journal != null) {
            j.name("journal").beginObject();
            j.name("records").value(journal.written());
            j.name("dir").value(journalPath.toString());
            j.endObject();
        }
    }

    private void policyJson(JsonWriter j) {
        JudoPolicy p = policy.policy().policy();
        long[] v = policy.verdicts();
        j.name("policy").beginObject();
        j.name("file").value(policyName);
        j.name("rules").value(p.rules().size());
        j.name("passed").value(v[Verdict.PASS]);
        j.name("blocked").value(v[Verdict.DROP]);
        j.name("rejected").value(v[Verdict.REJECT]);
        j.name("fragments_decided_with_datagram").value(v[PolicyEngine.HELD]);
        j.name("decided_by").beginArray();
        long[] decided = policy.decidedBy();
        for (int i : descending(decided)) {
            j.beginObject();
            if (i == 0) {
                j.name("rule").value("default");
            } else {
                JudoRule r = p.rules().get(i - 1);
                j.name("rule").value(r.text().trim());
                j.name("file").value(r.file());
                j.name("line").value(r.line());
            }
            j.name("packets").value(decided[i]);
            j.endObject();
        }
        j.endArray();
        j.name("tags").beginObject();
        long[] tagged = policy.taggedPackets();
        for (int t = 1; t < tagged.length; t++) {
            j.name(p.tags().get(t - 1)).value(tagged[t]);
        }
        j.endObject();
        j.name("queues").beginArray();
        long[] queued = policy.queuedPackets();
        for (int q = 1; q < queued.length; q++) {
            j.beginObject();
            j.name("name").value(p.queues().get(q - 1).name());
            j.name("packets").value(queued[q]);
            j.name("bytes").value(policy.queuedBytes()[q]);
            j.endObject();
        }
        j.endArray();
        j.name("rewrites").beginObject();
        j.name("replace_occurrences").value(policy.replaceMatches());
        j.name("address_remaps").value(policy.remaps());
        j.name("tos_changes").value(policy.tosChanges());
        j.name("ttl_changes").value(policy.ttlChanges());
        j.endObject();
        if (detector == null) {
            j.name("bad_checksum_segments").value(policy.reassembler().badChecksum());
        }
        j.endObject();
        if (output != null) {
            output.json(j, policy, live ? "sent" : "written");
        }
    }

    /** "alerts N" and one line per rule that alerted, most first. */
    private void rulesSummary(StringBuilder sb) {
        int dead = loader.flowbitUse().neverFire();
        sb.append(String.format("rules      %,d loaded%s, %,d skipped (unsupported keywords), %,d with errors%n",
                loader.rules().size(), dead == 0 ? "" : String.format(" (%,d can never fire: unset flow bits)", dead),
                loader.skipped(), loader.errors().size()));
        sb.append(String.format("checks     %,d rule checks after prefiltering (%.1f per packet)%n",
                detector.regionsRun(), detector.regionsRun() / (double) Math.max(1, detector.packets())));
        sb.append(String.format("alerts     %,d%s%n", detector.alerts(),
                evePath != null ? "  (EVE: " + evePath + ")" : ""));
        long[] by = detector.alertsByRule();
        for (int i : descending(by)) {
            SuricataRule r = rules.rules().get(i);
            sb.append(String.format("  %,8d  [%s] %s%n", by[i], r.id(), r.msg()));
        }
        badChecksums(sb, detector.reassembler().badChecksum());
        if (detector.jitFallback() != null) {
            sb.append("  (rule programs ran interpreted: the JIT declined: ").append(detector.jitFallback())
                    .append(")\n");
        }
        if (detector.budgetExceeded() > 0) {
            sb.append(String.format("  (%,d rule checks stopped at the inspection budget)%n",
                    detector.budgetExceeded()));
        }
        if (output != null && policy == null) {
            sb.append(output.summary(detector, live ? "sent" : "written"));
        }
    }

    /** Verdicts, the rules that decided them, tags, queues and pending rewrites. */
    private void policySummary(StringBuilder sb) {
        JudoPolicy p = policy.policy().policy();
        long[] v = policy.verdicts();
        sb.append(String.format("policy     %s: %,d rules; %,d passed, %,d blocked, %,d rejected%s%n", policyName,
                p.rules().size(), v[Verdict.PASS], v[Verdict.DROP], v[Verdict.REJECT], v[PolicyEngine.HELD] == 0 ? ""
                        : String.format(", %,d fragments decided with their datagram", v[PolicyEngine.HELD])));
        long[] decided = policy.decidedBy();
        for (int i : descending(decided)) {
            if (i == 0) {
                sb.append(String.format("  %,8d  by default (pass: no pass or block rule matched)%n", decided[0]));
                continue;
            }
            JudoRule r = p.rules().get(i - 1);
            sb.append(String.format("  %,8d  %s:%d  %s%n", decided[i], r.file(), r.line(), r.text().trim()));
        }
        List<String> parts = new ArrayList<>();
        long[] tagged = policy.taggedPackets();
        for (int t = 1; t < tagged.length; t++) {
            parts.add(p.tags().get(t - 1) + " " + String.format("%,d", tagged[t]));
        }
        if (!parts.isEmpty()) {
            sb.append("  tags      packets tagged ").append(String.join(", ", parts)).append('\n');
        }
        parts.clear();
        long[] queued = policy.queuedPackets();
        for (int q = 1; q < queued.length; q++) {
            parts.add(String.format("%s %,d packets %,d bytes", p.queues().get(q - 1).name(), queued[q],
                    policy.queuedBytes()[q]));
        }
        if (!parts.isEmpty()) {
            sb.append("  queues    ").append(String.join(", ", parts)).append('\n');
        }
        if (policy.replaceMatches() > 0 || policy.remaps() > 0 || policy.tosChanges() > 0
                || policy.ttlChanges() > 0) {
            sb.append(String.format("  rewrites  %,d replace occurrences, %,d address remaps, %,d TOS changes%s "
                    + "(%s)%n",
                    policy.replaceMatches(), policy.remaps(), policy.tosChanges(), policy.ttlChanges() == 0 ? ""
                            : String.format(", %,d TTL changes", policy.ttlChanges()),
                    output == null ? "--write OUT.pcap applies them; judo inline on live traffic"
                            : "applied as below"));
        }
        if (output != null) {
            sb.append(output.summary(policy, live ? "sent" : "written"));
        }
        if (detector == null) {
            badChecksums(sb, policy.reassembler().badChecksum());
        }
    }

    private static void badChecksums(StringBuilder sb, long bad) {
        if (bad > 0) {
            sb.append(String.format("  (%,d TCP segments with bad checksums were left out of stream reassembly; a "
                    + "capture taken on a host with checksum offload that auto did not detect needs "
                    + "--checksum-validation off)%n", bad));
        }
    }

    /** Indexes with a non-zero count, highest count first. */
    private static List<Integer> descending(long[] counts) {
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < counts.length; i++) {
            if (counts[i] > 0) {
                order.add(i);
            }
        }
        order.sort((a, b) -> Long.compare(counts[b], counts[a]));
        return order;
    }
}
