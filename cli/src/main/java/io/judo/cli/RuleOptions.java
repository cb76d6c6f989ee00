package io.judo.cli;

import io.judo.rules.RuleError;
import io.judo.rules.suricata.RuleLoader;
import io.judo.rules.suricata.Variables;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The options every rule-loading command shares: variables, strictness, language. The rule files themselves come from
 * {@code --rules} ({@link WithFiles}, for scan, compile and inline) or from positional arguments ({@code rules check}).
 */
class RuleOptions {
    /** The rule files and directories given, in order. */
    final List<Path> rules = new ArrayList<>();

    @Option(names = "--set", paramLabel = "VAR=VALUE", description = "Set a rule variable, e.g. "
            + "HOME_NET=[10.0.0.0/8], or a suricata.yaml key, e.g. stream.reassembly.depth=1mb or "
            + "vars.address-groups.HOME_NET=[10.0.0.0/8]; repeatable. Defaults are Suricata's.")
    List<String> sets = new ArrayList<>();

    @Option(names = {"-c", "--config"}, paramLabel = "YAML", description = "Read a suricata.yaml: vars, "
            + "default-rule-path and rule-files (when no rule files are named), classification-file, threshold-file, "
            + "host-os-policy, stream.checksum-validation, stream.reassembly depth and memcap, defrag timeout and "
            + "memcap, outputs eve-log; one "
            + "warning line for each key judo does not use.")
    Path configFile;

    private SuricataConfig config;
    private boolean configWarned;

    @Option(names = "--vars", paramLabel = "YAML", description = "Read variables from a suricata.yaml-style file "
            + "(vars: address-groups / port-groups).")
    Path varsFile;

    @Option(names = "--threshold-file", paramLabel = "FILE", description = "Suricata threshold.config: threshold / "
            + "event_filter, suppress and rate_filter entries applied to the loaded rules.")
    Path thresholdFile;

    @Option(names = "--strict", description = "Treat rules with unsupported keywords as errors instead of skipping "
            + "them.")
    boolean strict;

    @Option(names = "--lang", completionCandidates = Choices.Languages.class,
            paramLabel = "LANG", description = "Language of every rule file: suricata or judo "
            + "(default: by extension, .judo, .conf and .pf are the judo language (pf.conf), anything else "
            + "Suricata/Snort).")
    String lang;

    @Option(names = "--interface", paramLabel = "NAME=ADDR/N", description = "An interface's address for a judo "
            + "(pf.conf) policy's (NAME), NAME:network, self and antispoof forms, which offline have no live "
            + "interface to read (judo inline reads this host's, and this option overrides one by name); "
            + "repeatable, and several addresses per interface are allowed.")
    List<String> interfaceAddresses = new ArrayList<>();

    @Option(names = "--inside", paramLabel = "NET", split = ",", description = "The networks inside a judo (pf.conf) "
            + "policy's firewall: a packet from one of them goes out (pf's out rules), every other comes in. Without "
            + "it every packet comes in, as pf sees a capture taken on its outside interface. Repeatable or "
            + "comma-separated, such as 192.168.0.0/16,fd00::/8.")
    List<String> inside = new ArrayList<>();

    /** The {@code --inside} networks, or null without any. */
    io.judo.vm.pool.CidrSet insideNetworks() {
        if (inside.isEmpty()) {
            return null;
        }
        List<io.judo.vm.pool.CidrSet.Entry> entries = new ArrayList<>();
        for (String n : inside) {
            try {
                io.judo.vm.pool.CidrSet.Entry e = io.judo.vm.pool.CidrSet.parse(n.trim());
                if (e.negated()) {
                    throw new IllegalArgumentException("negated");
                }
                entries.add(e);
            } catch (IllegalArgumentException e) {
                throw new UserError("--inside " + n + ": expected a network such as 192.168.0.0/16 or fd00::/8");
            }
        }
        return io.judo.vm.pool.CidrSet.of(entries);
    }

    /** Set by commands that run rules on traffic: a rule with an error stops them unless --skip-bad-rules. */
    boolean failOnErrors;

    /** The rule options with {@code --rules FILE|DIR...}. */
    static final class WithFiles extends RuleOptions {
        @Option(names = "--rules", paramLabel = "FILE|DIR", parameterConsumer = RuleArguments.class,
                description = {"Rule files (Suricata/Snort syntax, or a .judo policy), or directories (every *.rules "
                        + "in them). Takes the arguments that follow while they are rule files: names ending in .rules "
                        + "or .judo, directories, or text whose first rule starts with an action; repeatable."})
        void addRules(List<Path> files) {
            rules.addAll(files);
        }
    }

    /**
     * Reads {@code --rules}' arguments: the first one always, then each following one while it is a rule file (so
     * that {@code --rules et-open/*.rules caps/*.pcap} takes the rules and leaves the captures), as Suricata's
     * {@code rule-files} list takes several files.
     */
    static final class RuleArguments implements picocli.CommandLine.IParameterConsumer {
        @Override
        public void consumeParameters(java.util.Stack<String> args, picocli.CommandLine.Model.ArgSpec argSpec,
                picocli.CommandLine.Model.CommandSpec commandSpec) {
            if (args.isEmpty() || isOption(args.peek())) {
                throw new picocli.CommandLine.ParameterException(commandSpec.commandLine(),
                        "--rules needs a rule FILE or DIR");
            }
            List<Path> got = new ArrayList<>();
            got.add(Path.of(args.pop()));
            while (!args.isEmpty() && !isOption(args.peek()) && isRuleArgument(Path.of(args.peek()))) {
                got.add(Path.of(args.pop()));
            }
            argSpec.setValue(got);
        }

        private static boolean isOption(String a) {
            return a.startsWith("-") && a.length() > 1;
        }
    }

    /** Whether {@code p} is a rule file or a directory of them, rather than (say) a capture. */
    static boolean isRuleArgument(Path p) {
        String name = p.getFileName() == null ? "" : p.getFileName().toString();
        return name.endsWith(".rules") || isPolicyName(name) || java.nio.file.Files.isDirectory(p)
                || looksLikeRules(p);
    }

    private static final java.util.Set<String> ACTIONS = java.util.Set.of("alert", "pass", "drop", "reject",
            "rejectsrc", "rejectdst", "rejectboth");

    /** Whether {@code p} is a text file whose first line that is not blank or a comment starts with a rule action. */
    static boolean looksLikeRules(Path p) {
        if (!java.nio.file.Files.isRegularFile(p)) {
            return false;
        }
        byte[] head;
        try (java.io.InputStream in = java.nio.file.Files.newInputStream(p)) {
            head = in.readNBytes(4096);
        } catch (IOException e) {
            return false;
        }
        if (io.judo.rules.TextFiles.binaryKind(head) != null) {
            return false;
        }
        for (String line : new String(head, java.nio.charset.StandardCharsets.ISO_8859_1).split("\n")) {
            String t = line.trim();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            String[] words = t.split("\\s+", 2);
            return words.length == 2 && ACTIONS.contains(words[0]);
        }
        return false;
    }

    /** " (it looks like a rules file: did you mean --rules?)" when a capture argument is a rules file, else "". */
    static String captureHint(String name) {
        return looksLikeRules(Path.of(name)) ? " (it looks like a rules file: did you mean --rules " + name + "?)" : "";
    }

    /**
     * The rule files, with each directory replaced by its {@code *.rules} files in name order; a file named twice
     * (a directory and a file in it) is read once.
     *
     * @throws UserError for a directory without rule files or that cannot be listed
     */
    List<Path> files() {
        java.util.Set<Path> out = new java.util.LinkedHashSet<>();
        for (Path p : rules.isEmpty() ? config().ruleFiles() : rules) {
            if (!java.nio.file.Files.isDirectory(p)) {
                out.add(p);
                continue;
            }
            List<Path> inside;
            try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(p)) {
                inside = s.filter(f -> f.getFileName().toString().endsWith(".rules")
                        && java.nio.file.Files.isRegularFile(f)).sorted().toList();
            } catch (IOException e) {
                throw new UserError(p + ": " + describe(e));
            }
            if (inside.isEmpty()) {
                throw new UserError(p + ": a directory with no *.rules files");
            }
            out.addAll(inside);
        }
        java.util.Set<Path> seen = new java.util.HashSet<>();
        return out.stream().filter(p -> seen.add(p.toAbsolutePath().normalize())).toList();
    }

    /** Whether {@code file} is in the judo language. */
    boolean isJudo(Path file) {
        if (lang != null) {
            if (!lang.equals("judo") && !lang.equals("suricata")) {
                throw new UserError("unknown --lang '" + lang + "' (suricata, judo)");
            }
            return lang.equals("judo");
        }
        return isPolicyName(file.getFileName().toString());
    }

    /** A judo-language (pf.conf) file name: {@code .judo}, or pf's {@code .conf} and {@code .pf}. */
    static boolean isPolicyName(String name) {
        return name.endsWith(".judo") || name.endsWith(".conf") || name.endsWith(".pf");
    }

    /**
     * Set by {@code judo inline}: a judo policy's interface forms read the addresses of this host's interfaces (as pf
     * reads them at load time), and {@code --interface} adds to or replaces them per name.
     */
    boolean liveInterfaces;

    /**
     * The parse context of a judo policy: the {@code --interface} addresses (and with {@link #liveInterfaces} the
     * host's), and the policy's directory.
     *
     * @throws UserError for a malformed {@code --interface}
     */
    io.judo.rules.judo.JudoParser.Context policyContext(Path policy) {
        java.util.Map<String, List<io.judo.packet.Addresses.Prefix>> map = new java.util.LinkedHashMap<>();
        for (String a : interfaceAddresses) {
            int eq = a.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--interface " + a + ": expected NAME=ADDR/N, such as em0=192.0.2.1/24");
            }
            try {
                // parsePrefix keeps the host bits: 192.0.2.1/24 is the address and its network
                map.computeIfAbsent(a.substring(0, eq), k -> new ArrayList<>())
                        .add(io.judo.packet.Addresses.parsePrefix(a.substring(eq + 1)));
            } catch (IllegalArgumentException e) {
                throw new UserError("--interface " + a + ": bad address (expected NAME=ADDR/N, such as "
                        + "em0=192.0.2.1/24)");
            }
        }
        if (liveInterfaces) {
            hostInterfaces().forEach(map::putIfAbsent);
        }
        Path dir = policy == null ? null : policy.toAbsolutePath().getParent();
        return new io.judo.rules.judo.JudoParser.Context(map, dir);
    }

    /** This host's interfaces (those of the network namespace judo runs in) and their addresses with prefixes. */
    static java.util.Map<String, List<io.judo.packet.Addresses.Prefix>> hostInterfaces() {
        java.util.Map<String, List<io.judo.packet.Addresses.Prefix>> map = new java.util.LinkedHashMap<>();
        try {
            for (java.net.NetworkInterface ni : java.util.Collections.list(
                    java.net.NetworkInterface.getNetworkInterfaces())) {
                List<io.judo.packet.Addresses.Prefix> prefixes = new ArrayList<>();
                for (java.net.InterfaceAddress a : ni.getInterfaceAddresses()) {
                    // a scoped IPv6 address's bytes are the address; the scope stays with the interface
                    byte[] address = a.getAddress().getAddress();
                    int bits = a.getNetworkPrefixLength();
                    prefixes.add(new io.judo.packet.Addresses.Prefix(address,
                            bits < 0 || bits > address.length * 8 ? address.length * 8 : bits));
                }
                map.put(ni.getName(), prefixes);
            }
        } catch (java.net.SocketException e) {
            // the JDK says so when no interface has an address (a namespace with only a bridge's sides): none to read
            return map;
        }
        return map;
    }

    /**
     * The suricata.yaml of {@code -c} with the {@code --set} keys that are configuration keys applied; an empty
     * configuration without {@code -c}. Read once.
     */
    SuricataConfig config() {
        if (config == null) {
            config = configFile == null ? SuricataConfig.empty() : SuricataConfig.read(configFile);
            for (String s : sets) {
                int eq = s.indexOf('=');
                if (eq > 0) {
                    config.set(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
                }
            }
        }
        return config;
    }

    /** Whether rules were given: {@code --rules}, or the configuration's rule-files. */
    boolean hasRules() {
        return !rules.isEmpty() || !config().ruleFiles().isEmpty();
    }

    /** Prints the configuration's warnings (the keys judo does not use) once. */
    void configWarnings(PrintWriter err) {
        if (!configWarned) {
            configWarned = true;
            for (String w : config().warnings()) {
                err.println("judo: warning: " + w);
            }
        }
    }

    /** The Suricata/Snort rule files. */
    List<Path> suricataFiles() {
        return files().stream().filter(f -> !isJudo(f)).toList();
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
        List<Path> judo = files().stream().filter(this::isJudo).toList();
        if (judo.isEmpty()) {
            return null;
        }
        if (judo.size() > 1) {
            throw new UserError("one judo policy file at a time, as pf loads one pf.conf (got " + judo.size() + ")");
        }
        Path f = judo.get(0);
        return compilePolicy(parsePolicy(f, err), f.toString(), err, optimize);
    }

    /**
     * Reads and parses a judo (pf.conf) policy file with the {@code --interface} addresses, printing its warnings and
     * errors with their carets.
     *
     * @throws UserError for an unreadable file or a bad {@code --interface}
     */
    io.judo.rules.judo.JudoParser.Result parsePolicy(Path f, PrintWriter err) {
        String text;
        try {
            text = io.judo.rules.TextFiles.readRules(f);
        } catch (IOException e) {
            throw new UserError(f + ": " + describe(e));
        }
        return parsePolicy(text, f.toString(), policyContext(f), err);
    }

    private static io.judo.rules.judo.JudoParser.Result parsePolicy(String text, String name,
            io.judo.rules.judo.JudoParser.Context context, PrintWriter err) {
        io.judo.rules.judo.JudoParser.Result r = io.judo.rules.judo.JudoParser.parse(text, name, context);
        for (RuleError w : r.warnings()) {
            err.println("judo: warning: " + w.display());
        }
        for (RuleError e : r.errors()) {
            err.println("judo: " + e.display());
        }
        return r;
    }

    static io.judo.rules.judo.CompiledPolicy judoPolicy(String text, String name, PrintWriter err) {
        return compilePolicy(parsePolicy(text, name, io.judo.rules.judo.JudoParser.Context.none(), err), name,
                err, true);
    }

    private static io.judo.rules.judo.CompiledPolicy compilePolicy(io.judo.rules.judo.JudoParser.Result r,
            String name, PrintWriter err, boolean optimize) {
        if (!r.errors().isEmpty()) {
            throw new UserError(name + ": " + r.errors().size() + " errors; policy not loaded");
        }
        try {
            return io.judo.rules.judo.JudoCompiler.compile(r.policy(), optimize);
        } catch (RuleError e) {
            err.println("judo: " + e.display());
            throw new UserError(name + ": 1 error; policy not loaded");
        }
    }

    /**
     * Builds the variables from the defaults, the YAML file and the --set options, and checks every one once.
     *
     * @throws UserError for an unreadable or malformed vars file or a bad value, with its line and a caret
     */
    Variables variables() {
        Variables v = Variables.defaults();
        if (configFile != null && config().hasVars()) {
            try {
                v.loadYaml(config().text(), configFile.toString());
            } catch (RuleError e) {
                throw new UserError(e.display());
            }
        }
        if (varsFile != null) {
            String text;
            try {
                text = io.judo.rules.TextFiles.readUtf8(varsFile, "YAML");
            } catch (IOException e) {
                throw new UserError(varsFile + ": " + describe(e));
            }
            try {
                v.loadYaml(text, varsFile.toString());
            } catch (RuleError e) {
                throw new UserError(e.display());
            }
        }
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new UserError("--set needs VAR=VALUE, got '" + s + "'");
            }
            String name = s.substring(0, eq).trim();
            if (name.startsWith("vars.address-groups.") || name.startsWith("vars.port-groups.")) {
                name = name.substring(name.lastIndexOf('.') + 1); // suricata --set's spelling of a variable
            } else if (SuricataConfig.isConfigKey(name)) {
                continue; // a configuration key, applied by config()
            }
            v.set(name, s.substring(eq + 1), null, new Variables.Origin("--set", 0, s, eq + 2));
        }
        List<RuleError> bad = v.check();
        if (!bad.isEmpty()) {
            throw new UserError(bad.stream().map(RuleError::display)
                    .collect(java.util.stream.Collectors.joining("\njudo: ")));
        }
        return v;
    }

    /**
     * Loads every file; prints each error with its caret, one warning per flow bit checked but never set, and a
     * one-line skip summary to {@code err}.
     *
     * @throws UserError when a file cannot be read or is not text, or (with {@link #failOnErrors}) a rule has an error
     */
    RuleLoader load(PrintWriter err, boolean quietSkips) {
        return load(err, quietSkips, null);
    }

    /** As {@link #load(PrintWriter, boolean)}, showing each file on {@code progress} (null: none). */
    RuleLoader load(PrintWriter err, boolean quietSkips, ProgressLine progress) {
        Variables vars = variables();
        io.judo.rules.suricata.ThresholdConfig thresholds = thresholds(vars, err);
        RuleLoader loader = new RuleLoader(vars, classifications(), strict);
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
        for (String w : loader.flowbitUse().warnings()) {
            err.println("judo: warning: " + w);
        }
        if (!quietSkips && loader.skipped() > 0) {
            err.println("judo: " + loader.skipped() + " rules skipped for unsupported keywords (judo rules check "
                    + "lists them)");
        }
        if (failOnErrors && !loader.errors().isEmpty()) {
            throw new UserError(loader.errors().size() + " rules with errors (above): fix them, or pass "
                    + "--skip-bad-rules to run with the rules that load");
        }
        if (thresholds != null) {
            for (String w : loader.applyThresholds(thresholds)) {
                err.println("judo: warning: " + w);
            }
            long suppress = thresholds.entries().stream().filter(e -> e.suppression() != null).count();
            long rate = thresholds.entries().stream().filter(e -> e.rateFilter() != null).count();
            err.printf("judo: %s: %,d thresholds, %,d suppressions, %,d rate filters%n", thresholdFile,
                    thresholds.entries().size() - suppress - rate, suppress, rate);
        }
        return loader;
    }

    /**
     * Reads {@code --threshold-file} before any rule is loaded, so a bad file stops the command early; null without
     * one.
     *
     * @throws UserError when the file cannot be read or has a bad line (each printed with its caret)
     */
    private io.judo.rules.suricata.ThresholdConfig thresholds(Variables vars, PrintWriter err) {
        if (thresholdFile == null) {
            thresholdFile = config().thresholdFile();
        }
        if (thresholdFile == null) {
            return null;
        }
        String text;
        try {
            text = io.judo.rules.TextFiles.readUtf8(thresholdFile, "threshold");
        } catch (IOException e) {
            throw new UserError(thresholdFile + ": " + describe(e));
        }
        io.judo.rules.suricata.ThresholdConfig c = io.judo.rules.suricata.ThresholdConfig.parse(text,
                thresholdFile.toString(), vars);
        for (RuleError e : c.errors()) {
            err.println("judo: " + e.display());
        }
        if (!c.errors().isEmpty()) {
            throw new UserError(thresholdFile + ": " + c.errors().size() + " bad line"
                    + (c.errors().size() == 1 ? "" : "s") + " (above)");
        }
        return c;
    }

    /** The configuration's classification-file, read; null (a classification.config beside the rules) without. */
    private io.judo.rules.suricata.Classifications classifications() {
        Path f = config().classificationFile();
        if (f == null) {
            return null;
        }
        try {
            return io.judo.rules.suricata.Classifications.parse(io.judo.rules.TextFiles.readUtf8(f, "classification"));
        } catch (IOException e) {
            throw new UserError(f + ": " + describe(e));
        }
    }

    static String describe(IOException e) {
        return e instanceof NoSuchFileException ? "no such file" : String.valueOf(e.getMessage());
    }
}
