package io.judo.cli;

import io.judo.rules.RuleError;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.Variables;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** The options every rule-loading command shares: rule files, variables, strictness. */
final class RuleOptions {
    @Option(names = "--rules", paramLabel = "FILE", description = "A rule file (Suricata/Snort syntax); repeatable.")
    List<Path> rules = new ArrayList<>();

    @Option(names = "--set", paramLabel = "VAR=VALUE", description = "Set a rule variable, e.g. "
            + "HOME_NET=[10.0.0.0/8]; repeatable. Defaults are Suricata's.")
    List<String> sets = new ArrayList<>();

    @Option(names = "--vars", paramLabel = "YAML", description = "Read variables from a suricata.yaml-style file "
            + "(vars: address-groups / port-groups).")
    Path varsFile;

    @Option(names = "--strict", description = "Treat rules with unsupported keywords as errors instead of skipping "
            + "them.")
    boolean strict;

    /** Builds the variables from the defaults, the YAML file and the --set options. */
    Variables variables() {
        Variables v = Variables.defaults();
        if (varsFile != null) {
            try {
                v.loadYaml(Files.readString(varsFile));
            } catch (IOException e) {
                throw new UserError(varsFile + ": " + describe(e));
            }
        }
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--set needs VAR=VALUE, got '" + s + "'");
            }
            v.set(s.substring(0, eq).trim(), s.substring(eq + 1));
        }
        return v;
    }

    /**
     * Loads every file; prints each error with its caret and a one-line skip summary to {@code err}.
     *
     * @throws UserError when a file cannot be read
     */
    RuleLoader load(PrintWriter err, boolean quietSkips) {
        RuleLoader loader = new RuleLoader(variables(), null, strict);
        for (Path f : rules) {
            try {
                loader.load(f);
            } catch (IOException e) {
                throw new UserError(f + ": " + describe(e));
            }
        }
        for (RuleError e : loader.errors()) {
            err.println("judo: " + e.display());
        }
        if (!quietSkips && loader.skipped() > 0) {
            err.println("judo: " + loader.skipped() + " rules skipped for unsupported keywords (judo rules check "
                    + "lists them)");
        }
        return loader;
    }

    static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }
}
