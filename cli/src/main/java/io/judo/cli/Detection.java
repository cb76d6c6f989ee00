package io.judo.cli;

import io.judo.engine.detect.Alert;
import io.judo.engine.detect.Detector;
import io.judo.matcher.Engine;
import io.judo.matcher.MatcherException;
import io.judo.reassembly.OverlapPolicy;
import io.judo.reassembly.StreamConfig;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import io.judo.rules.suricata.SuricataRule;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** The rule side of {@code judo scan}: loads and compiles the rules, runs the detector, writes EVE, sums up. */
final class Detection {
    /** The demo's rules, bundled beside the demo capture. */
    static final String DEMO_RULES = "demo.rules";

    private final RuleLoader loader;
    private final CompiledRuleSet rules;
    private final Detector detector;
    private final BufferedWriter eveOut;
    private final Path evePath;

    private Detection(RuleLoader loader, CompiledRuleSet rules, Detector detector, BufferedWriter eveOut,
            Path evePath) {
        this.loader = loader;
        this.rules = rules;
        this.detector = detector;
        this.eveOut = eveOut;
        this.evePath = evePath;
    }

    static Detection start(RuleOptions options, boolean demo, String policy, Engine engine, boolean checksums,
            Path eve, PrintWriter err) {
        RuleLoader loader;
        if (demo && options.rules.isEmpty()) {
            loader = new RuleLoader(options.variables(), null, options.strict).load(demoRules(), DEMO_RULES);
        } else {
            loader = options.load(err, false);
        }
        OverlapPolicy p = OverlapPolicy.named(policy);
        if (p == null) {
            throw new UserError("unknown overlap policy '" + policy + "'");
        }
        CompiledRuleSet set = RuleSetCompiler.compile(loader.rules());
        BufferedWriter out = null;
        if (eve != null) {
            try {
                out = Files.newBufferedWriter(eve, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UserError(eve + ": " + RuleOptions.describe(e));
            }
        }
        EveWriter writer = out == null ? null : new EveWriter(out, loader.classifications());
        Detector d;
        try {
            d = new Detector(set, engine, StreamConfig.defaults().withPolicy(p), checksums, a -> {
                if (writer != null) {
                    writer.write(a);
                }
            });
        } catch (MatcherException e) {
            throw new UserError("prefilter patterns: " + e.getMessage());
        }
        return new Detection(loader, set, d, out, eve);
    }

    private static String demoRules() {
        try (InputStream in = Detection.class.getResourceAsStream(DEMO_RULES)) {
            return new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    Detector detector() {
        return detector;
    }

    /** Flushes reassembly (end of input) and closes the EVE file. */
    void finish() {
        detector.finish();
        detector.close();
        if (eveOut != null) {
            try {
                eveOut.close();
            } catch (IOException e) {
                throw new UserError(evePath + ": " + e.getMessage());
            }
        }
    }

    /** "alerts N" and one line per rule that alerted, most first. */
    String summary() {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("rules      %,d loaded, %,d skipped (unsupported keywords), %,d with errors%n",
                loader.rules().size(), loader.skipped(), loader.errors().size()));
        sb.append(String.format("checks     %,d rule checks after prefiltering (%.1f per packet)%n",
                detector.regionsRun(), detector.regionsRun() / (double) Math.max(1, detector.packets())));
        sb.append(String.format("alerts     %,d%s%n", detector.alerts(),
                evePath != null ? "  (EVE: " + evePath + ")" : ""));
        long[] by = detector.alertsByRule();
        java.util.List<Integer> order = new java.util.ArrayList<>();
        for (int i = 0; i < by.length; i++) {
            if (by[i] > 0) {
                order.add(i);
            }
        }
        order.sort((a, b) -> Long.compare(by[b], by[a]));
        for (int i : order) {
            SuricataRule r = rules.rules().get(i);
            sb.append(String.format("  %,8d  [%s] %s%n", by[i], r.id(), r.msg()));
        }
        long bad = detector.reassembler().badChecksum();
        if (bad > 0) {
            sb.append(String.format("  (%,d TCP segments with bad checksums were left out of stream reassembly; a "
                    + "capture taken on a host with checksum offload needs --no-checksum-validation)%n", bad));
        }
        if (detector.budgetExceeded() > 0) {
            sb.append(String.format("  (%,d rule checks stopped at the inspection budget)%n",
                    detector.budgetExceeded()));
        }
        return sb.toString();
    }
}
