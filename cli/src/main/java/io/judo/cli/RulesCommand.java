package io.judo.cli;

import io.judo.rules.suricata.RuleLoader;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo rules check FILE...}: what loads, what is skipped and why, and every error with its place. */
@Command(name = "rules", mixinStandardHelpOptions = true, description = "Work with rule files.",
        subcommands = {RulesCommand.Check.class, RulesCommand.Show.class})
final class RulesCommand {
    @Command(name = "check", mixinStandardHelpOptions = true,
            description = "Parse rule files: count loaded and skipped rules (per unsupported keyword) and print every "
                    + "error as file:line:column with a caret; warn about flow bits checked but never set. Exit 1 "
                    + "when a rule has an error, 2 when a file cannot be read or a variable is bad.",
            footer = {"", "Errors say which of three cases a problem is: a keyword Suricata or Snort has that Judo does "
                    + "not implement yet (the rule is skipped and counted by keyword; --strict makes it an error), a "
                    + "word no engine knows (an error, with a \"did you mean\" when a keyword is close), or a "
                    + "malformed value.",
                "", "Examples:",
                "  judo rules check local.rules                      one file",
                "  judo rules check ../shared/data/rules/et-open/    every *.rules in a directory",
                "  judo rules check --strict --set HOME_NET=[10.0.0.0/8] a.rules b.rules",
                "  judo rules check policy.judo                      a judo policy: rules, queues, tags, errors"})
    static final class Check implements Callable<Integer> {
        @Parameters(arity = "1..*", paramLabel = "FILE|DIR", description = "Rule files, or directories (every "
                + "*.rules in them).")
        List<Path> files = new ArrayList<>();

        @Mixin
        RuleOptions options;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            options.rules.addAll(files);
            int judoErrors = 0;
            for (Path f : options.files()) {
                if (options.isJudo(f)) {
                    judoErrors += checkJudo(f, options, out, err);
                }
            }
            if (options.suricataFiles().isEmpty()) {
                out.flush();
                return judoErrors == 0 ? 0 : 1;
            }
            // On a terminal, which file is being parsed (ET Open takes seconds); the counts below are the summary.
            RuleLoader l = options.load(err, true, new ProgressLine(err));
            int dead = l.flowbitUse().neverFire();
            out.printf("%,d rules loaded%s, %,d skipped, %,d errors%n", l.rules().size(),
                    dead == 0 ? "" : String.format(" (%,d can never fire: a flow bit they check is never set)", dead),
                    l.skipped(), l.errors().size());
            if (l.skipped() > 0) {
                out.println("skipped, by unsupported keyword:");
                l.skips().values().stream().sorted((a, b) -> b.count() - a.count()).forEach(s ->
                        out.printf("  %-28s %,7d  (first at %s)%n", s.keyword(), s.count(), s.firstAt()));
            }
            if (!l.ignored().isEmpty()) {
                out.println("loaded, with options that have no effect here:");
                l.ignored().values().forEach(s ->
                        out.printf("  %-28s %,7d  (first at %s)%n", s.keyword(), s.count(), s.firstAt()));
            }
            out.flush();
            return l.errors().isEmpty() && judoErrors == 0 ? 0 : 1;
        }

        /** Parses one judo policy file, prints its counts and errors; returns the number of errors. */
        private static int checkJudo(Path f, RuleOptions options, PrintWriter out, PrintWriter err) {
            io.judo.rules.judo.JudoParser.Result r = options.parsePolicy(f, err);
            out.printf("%s: %,d rules, %,d queues, %,d tags, %,d errors, %,d warnings%n", f,
                    r.policy().rules().size(), r.policy().queues().size(), r.policy().tags().size(),
                    r.errors().size(), r.warnings().size());
            return r.errors().size();
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true,
            description = "Print a judo (pf.conf) policy as it was loaded, as pfctl -nv does: macros expanded, "
                    + "lists expanded into one rule per item, @N rule numbers, anchors with their rules in braces. "
                    + "Exit 1 when the policy has an error (printed as file:line:column with a caret).",
            footer = {"", "Examples:",
                "  judo rules show /etc/pf.conf",
                "  judo rules show --interface em0=192.0.2.1/24 --interface em1=10.0.0.1/24 gateway.conf"})
    static final class Show implements Callable<Integer> {
        @Parameters(arity = "1", paramLabel = "FILE", description = "A policy file (.conf, .pf or .judo; any "
                + "name with --lang judo).")
        Path file;

        @Mixin
        RuleOptions options;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            PrintWriter out = spec.commandLine().getOut();
            PrintWriter err = spec.commandLine().getErr();
            if (options.lang != null && !options.isJudo(file)) {
                throw new UserError("rules show prints judo (pf.conf) policies; use rules check for Suricata rules");
            }
            io.judo.rules.judo.JudoParser.Result r = options.parsePolicy(file, err);
            if (!r.errors().isEmpty()) {
                err.printf("judo: %s: %d errors; policy not loaded%n", file, r.errors().size());
                err.flush();
                return 1;
            }
            for (String line : r.policy().listing()) {
                out.println(line);
            }
            out.flush();
            return 0;
        }
    }
}
