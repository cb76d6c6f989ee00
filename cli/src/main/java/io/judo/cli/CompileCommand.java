package io.judo.cli;

import io.judo.matcher.Engine;
import io.judo.matcher.MatcherException;
import io.judo.matcher.PatternDatabase;
import io.judo.rules.suricata.CompiledRuleSet;
import io.judo.rules.suricata.CompiledRuleSet.Hook;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.RuleSetCompiler;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code judo compile --rules FILE [--disasm]}: the programs a rule set compiles to and their pattern databases. */
@Command(name = "compile", mixinStandardHelpOptions = true,
        description = "Compile rules to VM programs; print statistics, and the listing with --disasm.",
        footer = {"", "Exit status: 0, 1 when a rule has an error (the others are compiled), 2 when a file cannot be "
                + "read or a variable is bad.",
            "", "Examples:",
            "  judo compile --rules local.rules                  rules per hook, prefilter patterns, indexes",
            "  judo compile --rules local.rules --disasm         the listing, each region headed by its rule",
            "  judo compile --rules et-open/ --matcher dfa       every *.rules in a directory, the pure-Java DFA",
            "  judo compile --rules policy.judo --disasm --no-opt   a judo policy, before the optimizer"})
final class CompileCommand implements Callable<Integer> {
    @Mixin
    RuleOptions.WithFiles options;

    @Option(names = "--disasm", description = "Print the program listing, each region headed by its rule.")
    boolean disasm;

    @Option(names = "--no-opt", description = "Skip the optimizer (compare the listings with and without).")
    boolean noOpt;

    @Option(names = "--matcher", completionCandidates = Choices.Matchers.class,
            paramLabel = "ENGINE", defaultValue = "auto",
            description = "Prefilter backend: auto, hyperscan or dfa (default: ${DEFAULT-VALUE}).")
    String matcher;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private static int intervals(io.judo.rules.suricata.AddressIndex index) {
        return index == null ? 0 : index.intervals();
    }

    private static int countPrefiltered(CompiledRuleSet.HookCode code) {
        java.util.Set<Integer> rules = new java.util.HashSet<>();
        for (int[] byPattern : code.rulesOfPattern()) {
            for (int r : byPattern) {
                rules.add(r);
            }
        }
        return rules.size();
    }

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (options.rules.isEmpty()) {
            throw new UserError("compile needs --rules FILE");
        }
        io.judo.rules.judo.CompiledPolicy judo = options.judoPolicy(err, !noOpt);
        if (judo != null) {
            out.printf("judo policy: %,d rules, %,d queues, %,d tags, %,d instructions, %,d stream prefilter "
                    + "patterns%n", judo.policy().rules().size(), judo.policy().queues().size(),
                    judo.policy().tags().size(), judo.program().program().length(), judo.prefilter().size());
            if (disasm) {
                out.print(judo.listing());
            }
            if (options.suricataFiles().isEmpty()) {
                out.flush();
                return 0;
            }
        }
        long started = System.nanoTime();
        RuleLoader l = options.load(err, false, new ProgressLine(err)); // on a terminal: the file being parsed
        CompiledRuleSet set = RuleSetCompiler.compile(l.rules(), !noOpt);
        long compiled = System.nanoTime();
        out.printf("%,d rules loaded, %,d skipped, %,d errors; compiled in %.0f ms%n", l.rules().size(), l.skipped(),
                l.errors().size(), (compiled - started) / 1e6);
        Engine engine = PipelineOptions.engine(matcher);
        for (Hook h : Hook.values()) {
            CompiledRuleSet.HookCode code = set.hook(h);
            String db = "no prefilter";
            if (!code.prefilter().isEmpty()) {
                long t = System.nanoTime();
                try (PatternDatabase d = engine.compile(code.prefilter())) {
                    db = d.describe() + String.format(", built in %.0f ms", (System.nanoTime() - t) / 1e6);
                } catch (MatcherException e) {
                    throw new UserError("prefilter patterns: " + e.getMessage());
                }
            }
            out.printf("%-6s hook: %,d rules, %,d instructions, %,d prefilter patterns (%s), %,d address-indexed "
                    + "(%,d intervals) or port-indexed, %,d rules always run%n",
                    h.name().toLowerCase(java.util.Locale.ROOT), code.ruleOfRegion().length,
                    code.program().program().length(), code.prefilter().size(), db,
                    code.ruleOfRegion().length - code.always().length - countPrefiltered(code),
                    intervals(code.bySource()) + intervals(code.byDestination()), code.always().length);
        }
        out.printf("flow bits: %d%n", set.flowbits().size());
        for (String rule : set.unrunnable()) {
            out.printf("never matches (the VM cannot hold its inspection): %s%n", rule);
        }
        if (disasm) {
            out.print(set.listing());
        }
        out.flush();
        return l.errors().isEmpty() ? 0 : 1;
    }
}
