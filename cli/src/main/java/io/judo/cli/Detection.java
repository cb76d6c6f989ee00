package io.judo.cli;

import io.judo.engine.CaptureScanner;
import io.judo.engine.Partition;
import io.judo.engine.Pipeline;
import io.judo.engine.Programs;
import io.judo.engine.inline.Bridge;
import io.judo.engine.output.EveWriter;
import io.judo.engine.output.JournalOutput;
import io.judo.engine.output.RewriteOutput;
import io.judo.engine.output.JsonWriter;
import io.judo.engine.detect.AppLayerCount;
import io.judo.engine.detect.Detector;
import io.judo.engine.detect.PolicyCount;
import io.judo.engine.detect.SuricataCount;
import io.judo.engine.detect.PolicyEngine;
import io.judo.engine.detect.RuntimeTables;
import io.judo.engine.detect.StateLimiter;
import io.judo.matcher.Engine;
import io.judo.matcher.MatcherException;
import io.judo.packet.decode.PacketView;
import io.judo.reassembly.OverlapPolicy;
import io.judo.reassembly.StreamConfig;
import io.judo.reassembly.StreamCount;
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
 * The rule side of {@code judo scan} and {@code judo inline}: loads and compiles Suricata/Snort rules and a judo
 * policy (either or both) into {@link Programs}, builds the {@link Pipeline} (one {@link Partition} per worker, with
 * its outputs: EVE, journal, the rewritten capture or link), and renders the workers' summed counts. The pipeline
 * itself (one flow path, the stages, the merged verdict, the outputs) is engine's.
 */
final class Detection implements CaptureScanner.PacketListener {
    /** The demo's rules and policy, bundled beside the demo capture. */
    static final String DEMO_RULES = "demo.rules";
    static final String DEMO_POLICY = "demo.judo";
    static final String WRITE_NEEDS_POLICY = "--write needs rules to apply (--rules FILE: a judo policy, or Suricata "
            + "rules whose drop/reject leave packets out and whose replace edits them)";

    private final RuleLoader loader;
    private final CompiledRuleSet rules;
    private final Programs programs;
    private final Pipeline pipeline;
    private final Detector detector;
    private final PolicyEngine policy;
    private final String policyName;
    private final BufferedWriter eveOut;
    private final Path evePath;
    private JournalOutput journal;
    private Path journalPath;
    /** The EVE log's writer, or null without --eve. */
    private final EveWriter eveWriter;

    private Detection(RuleLoader loader, CompiledRuleSet rules, Programs programs, String policyName,
            BufferedWriter eveOut, EveWriter eve, io.judo.rules.suricata.Classifications classes, Path evePath,
            JournalOutput journal, Path journalPath) {
        this.loader = loader;
        this.rules = rules;
        this.programs = programs;
        this.policyName = policyName;
        this.eveOut = eveOut;
        this.eveWriter = eve;
        this.evePath = evePath;
        this.journal = journal;
        this.journalPath = journalPath;
        this.pipeline = new Pipeline(programs, eve, journal, classes);
        this.detector = pipeline.first().suricata();
        this.policy = pipeline.first().policy();
    }

    /**
     * Times every rule check in every partition and has the summary (and {@code --json}) end with the {@code top}
     * rules that took the most time; nothing without Suricata rules.
     */
    void profileRules(int top) {
        this.profileTop = top;
        profile();
    }

    /** Suricata's {@code --simulate-ips}: drop and reject rules drop packets and flows ({@link Pipeline#simulateIps}). */
    void simulateIps() {
        simulateIps = true;
        pipeline.simulateIps();
    }

    /**
     * Applies suricata.yaml's midstream exception policy ({@link SuricataConfig#midstreamPolicy}), in IPS mode when
     * {@link #simulateIps} was called, and its switched-off application-layer protocols; without a configuration
     * every flow is picked up and inspected, every protocol parsed.
     */
    void midstreamPolicy(SuricataConfig yaml) {
        boolean midstream = yaml.midstream() == null || yaml.midstream();
        pipeline.configure(new Pipeline.Settings(yaml.midstreamPolicy(midstream, simulateIps), midstream,
                yaml.reassemblyMemcapPolicy(simulateIps), yaml.disabledProtocols(), yaml.dnsOverUdp(),
                yaml.httpConfig()));
    }

    private boolean simulateIps;

    private void profile() {
        if (profileTop > 0 && detector != null) {
            pipeline.partitions().forEach(p -> p.suricata().profileRules());
        }
    }

    private int profileTop;

    /**
     * Runs {@code scan}'s reading with {@code n} workers over this pipeline, sharded readers or reader and rings as
     * {@link io.judo.engine.CaptureScan#workers} decides.
     */
    void workers(io.judo.engine.CaptureScan scan, int n, boolean rereadable) {
        scan.workers(pipeline, n, rereadable);
        profile(); // the workers' partitions are new
    }

    /** See {@link Pipeline#drainNanos}. */
    long drainNanos() {
        return pipeline.drainNanos();
    }

    /**
     * Reassembly as the suricata.yaml (or the --set keys) asks: depth, memcap, host-os-policy, defrag timeout and
     * memcap; else the defaults.
     */
    static StreamConfig streamConfig(SuricataConfig yaml, OverlapPolicy p) {
        StreamConfig config = StreamConfig.defaults().withPolicy(p);
        if (yaml.reassemblyDepth() >= 0) {
            config = config.withDepth(yaml.reassemblyDepth());
        }
        if (yaml.reassemblyMemcap() >= 0) {
            config = config.withMemcap(yaml.reassemblyMemcap(), config.onMemcap());
        }
        Boolean midstream = yaml.midstream();
        if (midstream != null) {
            config = config.withMidstream(midstream);
        }
        if (yaml.reassemblyMemcapPolicy(false) == io.judo.engine.detect.ExceptionPolicy.BYPASS) {
            config = config.withMemcap(config.memcap(), io.judo.reassembly.MemcapAction.BYPASS);
        }
        io.judo.reassembly.DefragConfig defrag = config.defrag();
        if (yaml.defragTimeoutNanos() > 0) {
            defrag = defrag.withTimeout(yaml.defragTimeoutNanos());
        }
        if (yaml.defragMemcap() > 0) {
            defrag = defrag.withMemcap(yaml.defragMemcap());
        }
        return config.withHosts(yaml.hostPolicies(p)).withDefrag(defrag);
    }

    static Detection start(RuleOptions options, boolean demo, String overlapPolicy, Engine engine, boolean checksums,
            Path eve, java.util.Set<EveWriter.Type> eveTypes, Path journalDir, String journalRoll,
            io.judo.journal.JournalWriter.Retention retention,
            boolean jit, Path cacheDir, PrintWriter err) {
        OverlapPolicy p = OverlapPolicy.named(overlapPolicy);
        if (p == null) {
            throw new UserError("unknown overlap policy '" + overlapPolicy + "'");
        }
        StreamConfig config = streamConfig(options.config(), p);
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
        EveWriter writer = out == null ? null : new EveWriter(out, classes).types(eveTypes);
        if (progress != null) {
            progress.phase(String.format("building databases: %,d rules", loader.rules().size()));
        }
        CompiledRuleSet set = loader == null ? null : RuleSetCompiler.compile(loader.rules());
        io.judo.vm.pool.CidrSet inside = options.insideNetworks();
        JournalOutput journal = null;
        if (journalDir != null) {
            io.judo.journal.JournalWriter.Roll roll = PipelineOptions.roll(journalRoll);
            Directories.create(journalDir, "--journal");
            journal = JournalOutput.open(journalDir, roll, retention);
        }
        try {
            Programs programs = Programs.compile(set, compiledPolicy, engine, config, checksums, jit, cacheDir)
                    .inside(inside);
            if (set != null && set.rules().size() >= LARGE_RULE_SET) {
                collectLoadGarbage();
            }
            if (progress != null) {
                progress.done(loadedSummary(loader, options.suricataFiles().size(), progress.seconds(),
                        programs.cachedDatabases()));
            }
            List<String> unrunnable = set == null ? List.of() : set.unrunnable();
            if (!unrunnable.isEmpty()) {
                System.err.printf("judo: warning: %,d rules never match: the VM cannot hold their inspection "
                        + "(first %s)%n", unrunnable.size(), unrunnable.get(0));
            }
            return new Detection(loader, set, programs, policyName, out, writer, classes, eve, journal, journalDir);
        } catch (MatcherException e) {
            if (progress != null) {
                progress.finish();
            }
            throw new UserError("prefilter patterns: " + e.getMessage());
        }
    }

    /** Rule sets at least this large leave enough load-time garbage to be worth collecting before the traffic. */
    private static final int LARGE_RULE_SET = 1_000;

    /**
     * Collects what loading a large rule set left behind before the first packet. Parsing and compiling all of ET Open
     * leaves about 1.7 GB of garbage over ~130 MB that lives on; without this, the collector pays for it during the
     * scan (a 0.4 s full pause and a 1 s young pause, measured on 2026-12-06 with -Xlog:gc), which inflates the
     * scan's time, lands in whichever rule --profile-rules was timing, and on {@code judo inline} holds live
     * traffic. Start-up pays it instead, where it was paying for most of the garbage already. A process-wide
     * collection is the command's choice, not the engine's: a host that embeds a partition decides for its own heap.
     */
    private static void collectLoadGarbage() {
        System.gc();
    }

    /** The one line rule loading leaves on stderr, on a terminal or not. */
    static String loadedSummary(RuleLoader loader, int files, double seconds, int[] cached) {
        return String.format("judo: rules ready: %,d loaded from %,d file%s (%,d skipped, %,d with errors), "
                + "programs and prefilter databases built in %.1f s%s", loader.rules().size(), files,
                files == 1 ? "" : "s", loader.skipped(), loader.errors().size(), seconds,
                cached[0] == 0 ? "" : String.format(" (%d of %d databases from the cache)", cached[0], cached[1]));
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
        pipeline.packet(view, timeNanos);
    }

    /** Writes the capture as the policy leaves it to {@code path} ({@code scan --write}). */
    void write(Path path, int mtu) {
        pipeline.writeCapture(path.toString(), RewriteOutput.pcapFile(path), mtu);
    }

    /**
     * {@code judo inline}: opens the bridge between {@code a} and {@code b} with {@code n} workers, each deciding its
     * frames with a lane of its own ({@link Bridge#open}); an interface that cannot be opened is a usage error.
     */
    Bridge bridge(String a, String b, int n, boolean checksums, int mtu) {
        Bridge bridge;
        try {
            bridge = Bridge.open(pipeline, a, b, n, checksums, mtu);
        } catch (IOException e) {
            throw new UserError(e.getMessage());
        }
        profile(); // the lanes' partitions are new
        return bridge;
    }

    /**
     * Why the judo policy must run on one worker inline, or null when it can ({@link Pipeline#needsOneWorker}).
     */
    String needsOneWorker() {
        return pipeline.needsOneWorker();
    }

    /** Waits for the workers, flushes reassembly (end of input) and closes every output. */
    void finish() {
        finish(null);
    }

    /**
     * Ends the pipeline and closes the outputs; with {@code scanner} (the capture's counts, its shards absorbed) the
     * EVE log ends with a {@code stats} record when its types include it.
     */
    void finish(io.judo.engine.CaptureScanner scanner) {
        pipeline.finish();
        programs.close();
        if (scanner != null && eveWriter != null && eveWriter.logs(EveWriter.Type.STATS)
                && scanner.counters().packets() > 0) {
            long last = scanner.lastPacketNanos();
            eveWriter.write(EveWriter.statsLine(last, scanner.counters(), scanner.flows(),
                    detector == null ? -1 : pipeline.sum(SuricataCount.ALERTS),
                    (last - scanner.firstPacketNanos()) / 1_000_000_000L));
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
        if (pipeline.partitions().size() > 1) {
            sb.append(String.format("workers    %d, flows sharded by %s%n", pipeline.partitions().size(),
                    pipeline.live() ? "the kernel's fanout hash (addresses and ports, both ways alike)"
                    : "their address pair"));
        }
        if (detector != null) {
            rulesSummary(sb);
            if (profileTop > 0) {
                profileSummary(sb);
            }
        }
        if (policy != null) {
            policySummary(sb);
        }
        if (journal != null) {
            sb.append(String.format("journal    %,d records in %s  (judo journal stats %s)%n",
                    pipeline.journalRecords(),
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
        j.name("workers").value(pipeline.partitions().size());
        if (detector != null) {
            j.name("rules").beginObject();
            j.name("loaded").value(loader.rules().size());
            j.name("skipped").value(loader.skipped());
            j.name("errors").value(loader.errors().size());
            j.endObject();
            j.name("checks").beginObject();
            long checks = pipeline.sum(SuricataCount.RULE_CHECKS);
            j.name("run").value(checks);
            j.name("per_packet").value(checks / (double) Math.max(1, pipeline.sum(SuricataCount.PACKETS)));
            j.name("stopped_at_budget").value(pipeline.sum(SuricataCount.BUDGET_EXCEEDED));
            j.endObject();
            httpJson(j);
            dnsJson(j);
            tlsJson(j);
            sshJson(j);
            smtpJson(j);
            ftpJson(j);
            detectedJson(j);
            j.name("alerts").beginObject();
            j.name("total").value(pipeline.sum(SuricataCount.ALERTS));
            j.name("eve").value(evePath == null ? null : evePath.toString());
            j.name("by_rule").beginArray();
            long[] by = pipeline.sumCounts(w -> w.suricata().alertsByRule());
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
            if (simulateIps) {
                j.name("ips").beginObject().name("dropped_packets").value(pipeline.sum(Partition::droppedPackets))
                        .name("dropped_flows").value(pipeline.sum(SuricataCount.FLOWS_DROPPED)).endObject();
            }
            if (profileTop > 0) {
                profileJson(j);
            }
            j.name("bad_checksum_segments").value(pipeline.sum(StreamCount.BAD_CHECKSUM));
            j.name("jit_fallback").value(detector.jitFallback());
            if (pipeline.rewriteReport() != null && policy == null) {
                RewriteReportText.json(j, pipeline.rewriteReport(), pipeline.live() ? "sent" : "written");
            }
        }
        if (policy != null) {
            policyJson(j);
        }
        if (journal != null) {
            j.name("journal").beginObject();
            j.name("records").value(pipeline.journalRecords());
            j.name("dir").value(journalPath.toString());
            j.endObject();
        }
    }

    private void policyJson(JsonWriter j) {
        JudoPolicy p = policy.policy().policy();
        long[] v = pipeline.sumCounts(w -> w.policy().verdicts());
        j.name("policy").beginObject();
        j.name("file").value(policyName);
        j.name("rules").value(p.rules().size());
        j.name("passed").value(v[Verdict.PASS]);
        j.name("blocked").value(v[Verdict.DROP]);
        j.name("rejected").value(v[Verdict.REJECT]);
        j.name("fragments_decided_with_datagram").value(v[PolicyEngine.HELD]);
        j.name("decided_by").beginArray();
        long[] decided = pipeline.sumCounts(w -> w.policy().decidedBy());
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
        long[] tagged = pipeline.sumCounts(w -> w.policy().taggedPackets());
        for (int t = 1; t < tagged.length; t++) {
            j.name(p.tags().get(t - 1)).value(tagged[t]);
        }
        j.endObject();
        j.name("queues").beginArray();
        long[] queued = pipeline.sumCounts(w -> w.policy().queuedPackets());
        long[] queuedBytes = pipeline.sumCounts(w -> w.policy().queuedBytes());
        for (int q = 1; q < queued.length; q++) {
            j.beginObject();
            j.name("name").value(p.queues().get(q - 1).name());
            j.name("packets").value(queued[q]);
            j.name("bytes").value(queuedBytes[q]);
            j.endObject();
        }
        j.endArray();
        j.name("rewrites").beginObject();
        j.name("replace_occurrences").value(pipeline.sum(PolicyCount.REPLACE_OCCURRENCES));
        j.name("address_remaps").value(pipeline.sum(PolicyCount.ADDRESS_REMAPS));
        j.name("tos_changes").value(pipeline.sum(PolicyCount.TOS_CHANGES));
        j.name("ttl_changes").value(pipeline.sum(PolicyCount.TTL_CHANGES));
        j.endObject();
        StateLimiter limiter = pipeline.programs().limiter();
        if (limiter != null) {
            // named as the text summary's lines, "limits" and "overload"
            j.name("limits").beginObject();
            j.name("dropped_packets").value(pipeline.sum(PolicyCount.LIMIT_DROPS));
            for (StateLimiter.Limit l : StateLimiter.Limit.values()) {
                j.name(l.option().replace('-', '_')).value(limiter.hits(l));
            }
            j.name("flushed_states").value(limiter.killedStates());
            j.endObject();
            j.name("overload").beginObject();
            RuntimeTables t = limiter.tables();
            for (int i = 1; i <= t.names().size(); i++) {
                j.name(t.names().get(i - 1)).beginArray();
                for (String a : t.addresses(i)) {
                    j.value(a);
                }
                j.endArray();
            }
            j.endObject();
        }
        if (detector == null) {
            j.name("bad_checksum_segments").value(pipeline.sum(StreamCount.BAD_CHECKSUM));
        }
        j.endObject();
        if (pipeline.rewriteReport() != null) {
            RewriteReportText.json(j, pipeline.rewriteReport(), pipeline.live() ? "sent" : "written");
        }
    }

    /**
     * "http N flows, N transactions, N events" when a partition parsed HTTP, with the events by name (most first):
     * what the application layer read, so a user sees whether HTTP rules had transactions to run on.
     */
    private void httpSummary(StringBuilder sb) {
        if (pipeline.partitions().stream().noneMatch(w -> w.appLayer() != null)) {
            return;
        }
        long[] events = pipeline.sumCounts(w -> w.appLayer() == null
                ? new long[io.judo.applayer.http.HttpEvent.values().length] : w.appLayer().events());
        sb.append(String.format("http       %,d flows, %,d transactions, %,d events%n",
                pipeline.sum(AppLayerCount.HTTP_FLOWS),
                pipeline.sum(AppLayerCount.HTTP_TRANSACTIONS),
                java.util.Arrays.stream(events).sum()));
        for (int i : descending(events)) {
            sb.append(String.format("  %,8d  %s%n", events[i], io.judo.applayer.http.HttpEvent.values()[i].name()
                    .toLowerCase(java.util.Locale.ROOT)));
        }
    }

    /** The {@code http} member of {@code --json}, when a partition parsed HTTP. */
    private void httpJson(JsonWriter j) {
        if (pipeline.partitions().stream().noneMatch(w -> w.appLayer() != null)) {
            return;
        }
        long[] events = pipeline.sumCounts(w -> w.appLayer() == null
                ? new long[io.judo.applayer.http.HttpEvent.values().length] : w.appLayer().events());
        j.name("http").beginObject();
        j.name("flows").value(pipeline.sum(AppLayerCount.HTTP_FLOWS));
        j.name("transactions").value(pipeline.sum(AppLayerCount.HTTP_TRANSACTIONS));
        j.name("events").beginObject();
        for (int i : descending(events)) {
            j.name(io.judo.applayer.http.HttpEvent.values()[i].name().toLowerCase(java.util.Locale.ROOT))
                    .value(events[i]);
        }
        j.endObject().endObject();
    }

    /** "dns N flows, N messages, N events" (events by name, most first) when a partition's layer saw DNS. */
    private void dnsSummary(StringBuilder sb) {
        layerSummary(sb, "dns", pipeline.sum(AppLayerCount.DNS_FLOWS), "messages",
                pipeline.sum(AppLayerCount.DNS_MESSAGES), dnsEvents(),
                i -> io.judo.applayer.dns.DnsEvent.values()[i].text());
    }

    /** "tls N flows, N handshakes, N events" when a partition's layer saw TLS. */
    private void tlsSummary(StringBuilder sb) {
        layerSummary(sb, "tls", pipeline.sum(AppLayerCount.TLS_FLOWS), "handshakes",
                pipeline.sum(AppLayerCount.TLS_HANDSHAKES), tlsEvents(),
                i -> io.judo.applayer.tls.TlsEvent.values()[i].text());
    }

    /** "ssh N flows, N handshakes, N events" when a partition's layer saw SSH. */
    private void sshSummary(StringBuilder sb) {
        layerSummary(sb, "ssh", pipeline.sum(AppLayerCount.SSH_FLOWS), "handshakes",
                pipeline.sum(AppLayerCount.SSH_HANDSHAKES), sshEvents(),
                i -> io.judo.applayer.ssh.SshEvent.values()[i].text());
    }

    /** The {@code ssh} member of {@code --json}, when a partition's layer saw SSH. */
    private void sshJson(JsonWriter j) {
        layerJson(j, "ssh", pipeline.sum(AppLayerCount.SSH_FLOWS), "handshakes",
                pipeline.sum(AppLayerCount.SSH_HANDSHAKES), sshEvents(),
                i -> io.judo.applayer.ssh.SshEvent.values()[i].text());
    }

    private long[] sshEvents() {
        return pipeline.sumCounts(w -> w.appLayer() == null
                ? new long[io.judo.applayer.ssh.SshEvent.values().length] : w.appLayer().sshEvents());
    }

    /** "smtp N flows, N mails, N events" when a partition's layer saw SMTP. */
    private void smtpSummary(StringBuilder sb) {
        layerSummary(sb, "smtp", pipeline.sum(AppLayerCount.SMTP_FLOWS), "mails",
                pipeline.sum(AppLayerCount.SMTP_MAILS), smtpEvents(),
                i -> io.judo.applayer.smtp.SmtpEvent.values()[i].text());
    }

    /** The {@code smtp} member of {@code --json}, when a partition's layer saw SMTP. */
    private void smtpJson(JsonWriter j) {
        layerJson(j, "smtp", pipeline.sum(AppLayerCount.SMTP_FLOWS), "mails",
                pipeline.sum(AppLayerCount.SMTP_MAILS), smtpEvents(),
                i -> io.judo.applayer.smtp.SmtpEvent.values()[i].text());
    }

    private long[] smtpEvents() {
        return pipeline.sumCounts(w -> w.appLayer() == null
                ? new long[io.judo.applayer.smtp.SmtpEvent.values().length] : w.appLayer().smtpEvents());
    }

    /** "ftp N flows, N commands, N events" (and the FTP-DATA flows) when a partition's layer saw FTP. */
    private void ftpSummary(StringBuilder sb) {
        layerSummary(sb, "ftp", pipeline.sum(AppLayerCount.FTP_FLOWS), "commands",
                pipeline.sum(AppLayerCount.FTP_COMMANDS), ftpEvents(),
                i -> io.judo.applayer.ftp.FtpEvent.values()[i].text());
        long data = pipeline.sum(AppLayerCount.FTP_DATA_FLOWS);
        if (data > 0) {
            sb.append(String.format("%-10s %,d flows%n", "ftp-data", data));
        }
    }

    /** The {@code ftp} member of {@code --json}, when a partition's layer saw FTP. */
    private void ftpJson(JsonWriter j) {
        layerJson(j, "ftp", pipeline.sum(AppLayerCount.FTP_FLOWS), "commands",
                pipeline.sum(AppLayerCount.FTP_COMMANDS), ftpEvents(),
                i -> io.judo.applayer.ftp.FtpEvent.values()[i].text());
    }

    private long[] ftpEvents() {
        return pipeline.sumCounts(w -> w.appLayer() == null
                ? new long[io.judo.applayer.ftp.FtpEvent.values().length] : w.appLayer().ftpEvents());
    }

    /** The protocols detected but not parsed, by flows: none now that FTP is parsed (kept for the next one). */
    private static final io.judo.applayer.AppProto[] DETECTED = {};

    private long detectedFlows(io.judo.applayer.AppProto p) {
        return pipeline.sum(w -> w.appLayer() == null ? 0 : w.appLayer().unparsedFlows(p));
    }

    /** "detected  N ftp flows (no parser: rules read their stream)" when any was seen. */
    private void detectedSummary(StringBuilder sb) {
        StringBuilder line = new StringBuilder();
        for (io.judo.applayer.AppProto p : DETECTED) {
            long n = detectedFlows(p);
            if (n > 0) {
                line.append(line.length() == 0 ? "" : ", ").append(String.format("%,d %s", n,
                        p.name().toLowerCase(java.util.Locale.ROOT)));
            }
        }
        if (line.length() > 0) {
            sb.append(String.format("%-10s %s flows (no parser yet: rules read their stream)%n", "detected", line));
        }
    }

    /** The {@code detected} member of {@code --json}: flows per protocol detected but not parsed, when any. */
    private void detectedJson(JsonWriter j) {
        if (java.util.Arrays.stream(DETECTED).allMatch(p -> detectedFlows(p) == 0)) {
            return;
        }
        j.name("detected").beginObject();
        for (io.judo.applayer.AppProto p : DETECTED) {
            j.name(p.name().toLowerCase(java.util.Locale.ROOT)).value(detectedFlows(p));
        }
        j.endObject();
    }

    /** One application layer's summary line and its events by name, most first; nothing when it saw no flow. */
    private static void layerSummary(StringBuilder sb, String layer, long flows, String unit, long units,
            long[] events, java.util.function.IntFunction<String> eventName) {
        if (flows == 0) {
            return;
        }
        sb.append(String.format("%-10s %,d flows, %,d %s, %,d events%n", layer, flows, units, unit,
                java.util.Arrays.stream(events).sum()));
        for (int i : descending(events)) {
            sb.append(String.format("  %,8d  %s%n", events[i], eventName.apply(i)));
        }
    }

    private long[] dnsEvents() {
        return pipeline.sumCounts(w -> w.appLayer() == null
                ? new long[io.judo.applayer.dns.DnsEvent.values().length] : w.appLayer().dnsEvents());
    }

    private long[] tlsEvents() {
        return pipeline.sumCounts(w -> w.appLayer() == null
                ? new long[io.judo.applayer.tls.TlsEvent.values().length] : w.appLayer().tlsEvents());
    }

    /** The {@code dns} member of {@code --json}, when a partition's layer saw DNS. */
    private void dnsJson(JsonWriter j) {
        layerJson(j, "dns", pipeline.sum(AppLayerCount.DNS_FLOWS), "messages",
                pipeline.sum(AppLayerCount.DNS_MESSAGES), dnsEvents(),
                i -> io.judo.applayer.dns.DnsEvent.values()[i].text());
    }

    /** The {@code tls} member of {@code --json}, when a partition's layer saw TLS. */
    private void tlsJson(JsonWriter j) {
        layerJson(j, "tls", pipeline.sum(AppLayerCount.TLS_FLOWS), "handshakes",
                pipeline.sum(AppLayerCount.TLS_HANDSHAKES), tlsEvents(),
                i -> io.judo.applayer.tls.TlsEvent.values()[i].text());
    }

    private static void layerJson(JsonWriter j, String layer, long flows, String unit, long units, long[] events,
            java.util.function.IntFunction<String> eventName) {
        if (flows == 0) {
            return;
        }
        j.name(layer).beginObject().name("flows").value(flows);
        j.name(unit).value(units);
        j.name("events").beginObject();
        for (int i : descending(events)) {
            j.name(eventName.apply(i)).value(events[i]);
        }
        j.endObject().endObject();
    }

    /** "alerts N" and one line per rule that alerted, most first. */
    private void rulesSummary(StringBuilder sb) {
        int dead = loader.flowbitUse().neverFire();
        sb.append(String.format("rules      %,d loaded%s, %,d skipped (unsupported keywords), %,d with errors%n",
                loader.rules().size(), dead == 0 ? "" : String.format(" (%,d can never fire: unset flow bits)", dead),
                loader.skipped(), loader.errors().size()));
        long checks = pipeline.sum(SuricataCount.RULE_CHECKS);
        sb.append(String.format("checks     %,d rule checks after prefiltering (%.1f per packet)%n", checks,
                checks / (double) Math.max(1, pipeline.sum(SuricataCount.PACKETS))));
        httpSummary(sb);
        dnsSummary(sb);
        tlsSummary(sb);
        sshSummary(sb);
        smtpSummary(sb);
        ftpSummary(sb);
        detectedSummary(sb);
        sb.append(String.format("alerts     %,d%s%n", pipeline.sum(SuricataCount.ALERTS),
                evePath != null ? "  (EVE: " + evePath + ")" : ""));
        long[] by = pipeline.sumCounts(w -> w.suricata().alertsByRule());
        for (int i : descending(by)) {
            SuricataRule r = rules.rules().get(i);
            sb.append(String.format("  %,8d  [%s] %s%n", by[i], r.id(), r.msg()));
        }
        if (simulateIps) {
            sb.append(String.format("ips        simulated: %,d packets dropped, %,d flows dropped by drop or reject "
                    + "rules%n", pipeline.sum(Partition::droppedPackets), pipeline.sum(SuricataCount.FLOWS_DROPPED)));
        }
        badChecksums(sb, pipeline.sum(StreamCount.BAD_CHECKSUM));
        if (detector.jitFallback() != null) {
            sb.append("  (rule programs ran interpreted: the JIT declined: ").append(detector.jitFallback())
                    .append(")\n");
        }
        if (pipeline.sum(SuricataCount.BUDGET_EXCEEDED) > 0) {
            sb.append(String.format("  (%,d rule checks stopped at the inspection budget)%n",
                    pipeline.sum(SuricataCount.BUDGET_EXCEEDED)));
        }
        if (pipeline.rewriteReport() != null && policy == null) {
            sb.append(RewriteReportText.text(pipeline.rewriteReport(), pipeline.live() ? "sent" : "written"));
        }
    }

    /** Verdicts, the rules that decided them, tags, queues and pending rewrites. */
    private void policySummary(StringBuilder sb) {
        JudoPolicy p = policy.policy().policy();
        long[] v = pipeline.sumCounts(w -> w.policy().verdicts());
        sb.append(String.format("policy     %s: %,d rules; %,d passed, %,d blocked, %,d rejected%s%n", policyName,
                p.rules().size(), v[Verdict.PASS], v[Verdict.DROP], v[Verdict.REJECT], v[PolicyEngine.HELD] == 0 ? ""
                        : String.format(", %,d fragments decided with their datagram", v[PolicyEngine.HELD])));
        long[] decided = pipeline.sumCounts(w -> w.policy().decidedBy());
        for (int i : descending(decided)) {
            if (i == 0) {
                sb.append(String.format("  %,8d  by default (pass: no pass or block rule matched)%n", decided[0]));
                continue;
            }
            JudoRule r = p.rules().get(i - 1);
            sb.append(String.format("  %,8d  %s:%d  %s%n", decided[i], r.file(), r.line(), r.text().trim()));
        }
        List<String> parts = new ArrayList<>();
        long[] tagged = pipeline.sumCounts(w -> w.policy().taggedPackets());
        for (int t = 1; t < tagged.length; t++) {
            parts.add(p.tags().get(t - 1) + " " + String.format("%,d", tagged[t]));
        }
        if (!parts.isEmpty()) {
            sb.append("  tags      packets tagged ").append(String.join(", ", parts)).append('\n');
        }
        parts.clear();
        long[] queued = pipeline.sumCounts(w -> w.policy().queuedPackets());
        long[] queuedBytes = pipeline.sumCounts(w -> w.policy().queuedBytes());
        for (int q = 1; q < queued.length; q++) {
            parts.add(String.format("%s %,d packets %,d bytes", p.queues().get(q - 1).name(), queued[q],
                    queuedBytes[q]));
        }
        if (!parts.isEmpty()) {
            sb.append("  queues    ").append(String.join(", ", parts)).append('\n');
        }
        long replaces = pipeline.sum(PolicyCount.REPLACE_OCCURRENCES);
        long remaps = pipeline.sum(PolicyCount.ADDRESS_REMAPS);
        long tos = pipeline.sum(PolicyCount.TOS_CHANGES);
        long ttl = pipeline.sum(PolicyCount.TTL_CHANGES);
        if (replaces > 0 || remaps > 0 || tos > 0 || ttl > 0) {
            sb.append(String.format("  rewrites  %,d replace occurrences, %,d address remaps, %,d TOS changes%s "
                    + "(%s)%n", replaces, remaps, tos, ttl == 0 ? "" : String.format(", %,d TTL changes", ttl),
                    pipeline.rewriteReport() == null ? "--write OUT.pcap applies them; judo inline on live traffic"
                            : "applied as below"));
        }
        if (pipeline.rewriteReport() != null) {
            sb.append(RewriteReportText.text(pipeline.rewriteReport(), pipeline.live() ? "sent" : "written"));
        }
        stateLimits(sb);
        if (detector == null) {
            badChecksums(sb, pipeline.sum(StreamCount.BAD_CHECKSUM));
        }
    }

    /** The state limits' drops by option, the flushed states, and what each overload table was given. */
    private void stateLimits(StringBuilder sb) {
        StateLimiter limiter = pipeline.programs().limiter();
        if (limiter == null) {
            return;
        }
        List<String> parts = new ArrayList<>();
        for (StateLimiter.Limit l : StateLimiter.Limit.values()) {
            if (limiter.hits(l) > 0) {
                parts.add(String.format("%s %,d", l.option(), limiter.hits(l)));
            }
        }
        sb.append(String.format("  limits    %,d packet(s) dropped by state limits%s, %,d state(s) flushed%n",
                pipeline.sum(PolicyCount.LIMIT_DROPS), parts.isEmpty() ? "" : " (" + String.join(", ", parts) + ")",
                limiter.killedStates()));
        RuntimeTables t = limiter.tables();
        for (int i = 1; i <= t.names().size(); i++) {
            List<String> a = t.addresses(i);
            sb.append(String.format("  overload  <%s>: %,d %s%s%n", t.names().get(i - 1), a.size(),
                    a.size() == 1 ? "address" : "addresses", a.isEmpty() ? "" : " " + String.join(" ",
                            a.subList(0, Math.min(10, a.size()))) + (a.size() > 10 ? " ..." : "")));
        }
    }

    private static void badChecksums(StringBuilder sb, long bad) {
        if (bad > 0) {
            sb.append(String.format("  (%,d TCP segments with bad checksums were left out of stream reassembly; a "
                    + "capture taken on a host with checksum offload that auto did not detect needs "
                    + "--checksum-validation off)%n", bad));
        }
    }

    /**
     * The rule profile: the checks of every rule, then the {@code profileTop} rules that took the most time, each
     * with its checks, time, share of all rule time, time per check, slowest check and alerts.
     */
    private void profileSummary(StringBuilder sb) {
        long[] checks = pipeline.sumCounts(w -> w.suricata().checksByRule());
        long[] nanos = pipeline.sumCounts(w -> w.suricata().nanosByRule());
        long[] alerts = pipeline.sumCounts(w -> w.suricata().alertsByRule());
        long[] max = pipeline.maxCounts(w -> w.suricata().maxNanosByRule());
        long allChecks = java.util.Arrays.stream(checks).sum();
        long allNanos = java.util.Arrays.stream(nanos).sum();
        List<Integer> top = descending(nanos);
        sb.append(String.format("profile    %,d rule checks took %.3f s (%,.0f ns a check); the %d slowest rules:%n",
                allChecks, allNanos / 1e9, allNanos / (double) Math.max(1, allChecks), Math.min(profileTop,
                        top.size())));
        sb.append(String.format("  %10s  %6s  %11s  %9s  %10s  %8s  %s%n", "time", "share", "checks", "ns/check",
                "max", "alerts", "rule"));
        for (int i : top.subList(0, Math.min(profileTop, top.size()))) {
            SuricataRule r = rules.rules().get(i);
            sb.append(String.format("  %7.1f ms  %5.1f%%  %,11d  %,9.0f  %7.1f us  %,8d  [%s] %s%n", nanos[i] / 1e6,
                    100.0 * nanos[i] / Math.max(1, allNanos), checks[i], nanos[i] / (double) Math.max(1, checks[i]),
                    max[i] / 1e3, alerts[i], r.id(), r.msg()));
        }
    }

    /** {@link #profileSummary} as the {@code profile} member of {@code --json}. */
    private void profileJson(JsonWriter j) {
        long[] checks = pipeline.sumCounts(w -> w.suricata().checksByRule());
        long[] nanos = pipeline.sumCounts(w -> w.suricata().nanosByRule());
        long[] alerts = pipeline.sumCounts(w -> w.suricata().alertsByRule());
        long[] max = pipeline.maxCounts(w -> w.suricata().maxNanosByRule());
        j.name("profile").beginObject();
        j.name("checks").value(java.util.Arrays.stream(checks).sum());
        j.name("seconds").value(java.util.Arrays.stream(nanos).sum() / 1e9);
        j.name("slowest").beginArray();
        List<Integer> top = descending(nanos);
        for (int i : top.subList(0, Math.min(profileTop, top.size()))) {
            SuricataRule r = rules.rules().get(i);
            j.beginObject();
            j.name("id").value(r.id());
            j.name("sid").value(r.sid());
            j.name("msg").value(r.msg());
            j.name("checks").value(checks[i]);
            j.name("seconds").value(nanos[i] / 1e9);
            j.name("max_check_seconds").value(max[i] / 1e9);
            j.name("alerts").value(alerts[i]);
            j.endObject();
        }
        j.endArray();
        j.endObject();
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
