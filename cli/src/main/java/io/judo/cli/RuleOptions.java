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

    @Option(names = "--lang", paramLabel = "LANG", description = "Language of every --rules file: suricata or judo "
            + "(default: by extension, .judo is the judo language, anything else Suricata/Snort).")
    String lang;

    /** Whether {@code file} is in the judo language. */
    boolean isJudo(Path file) {
        if (lang != null) {
            if (!lang.equals("judo") && !lang.equals("suricata")) {
                throw new UserError("unknown --lang '" + lang + "' (suricata, judo)");
            }
            return lang.equals("judo");
        }
        return file.getFileName().toString().endsWith(".judo");
    }

    /** The Suricata/Snort rule files. */
    List<Path> suricataFiles() {
        return rules.stream().filter(f -> !isJudo(f)).toList();
    }

    /**
     * Parses the judo policy, if one was given; errors print with their carets and, as pfctl does, leave the policy
     * unloaded.
     *
     * @return null when no judo file was given
     * @throws UserError for more than one judo file, an unreadable file, or a policy with errors
     */
    io.judo.rules.judo.CompiledPolicy judoPolicy(PrintWriter err) {
        return judoPolicy(err, true);
    }

    /** As {@link #judoPolicy(PrintWriter)}; {@code optimize} runs the VM optimizer on the program. */
    io.judo.rules.judo.CompiledPolicy judoPolicy(PrintWriter err, boolean optimize) {
        List<Path> judo = rules.stream().filter(this::isJudo).toList();
        if (judo.isEmpty()) {
            return null;
        }
        if (judo.size() > 1) {
            throw new UserError("one judo policy file at a time, as pf loads one pf.conf (got " + judo.size() + ")");
        }
        Path f = judo.get(0);
        String text;
        try {
            text = Files.readString(f, java.nio.charset.StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            throw new UserError(f + ": " + describe(e));
        }
        return judoPolicy(text, f.toString(), err, optimize);
    }

    static io.judo.rules.judo.CompiledPolicy judoPolicy(String text, String name, PrintWriter err) {
        return judoPolicy(text, name, err, true);
    }

    static io.judo.rules.judo.CompiledPolicy judoPolicy(String text, String name, PrintWriter err,
            boolean optimize) {
        io.judo.rules.judo.JudoParser.Result r = io.judo.rules.judo.JudoParser.parse(text, name);
        for (RuleError e : r.errors()) {
            err.println("judo: " + e.display());
        }
        if (!r.errors().isEmpty()) {
            throw new UserError(name + ": " + r.errors().size() + " errors; policy not loaded");
        }
        return io.judo.rules.judo.JudoCompiler.compile(r.policy(), optimize);
    }

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
        return load(err, quietSkips, null);
    }

    /** As {@link #load(PrintWriter, boolean)}, showing each file on {@code progress} (null: none). */
    RuleLoader load(PrintWriter err, boolean quietSkips, ProgressLine progress) {
        RuleLoader loader = new RuleLoader(variables(), null, strict);
        List<Path> files = suricataFiles();
        for (int i = 0; i < files.size(); i++) {
            Path f = files.get(i);
            if (progress != null) {
                progress.step(String.format("loading rules: file %d/%d %s, %,d rules parsed", i + 1, files.size(),
                        f.getFileName(), loader.rules().size() + loader.skipped() + loader.errors().size()));
            }
            try {
                loader.load(f);
            } catch (IOException e) {
                throw new UserError(f + ": " + describe(e));
            }
        }
        if (progress != null) {
            progress.finish(); // errors and the skip line below start on a clean line
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
