package io.judo.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The options of a detection pipeline shared by {@code judo scan} and {@code judo inline}: outputs (EVE, journal),
 * reassembly's overlap policy, the VM engine and the prefilter backend.
 */
final class PipelineOptions {
    @Option(names = "--eve", paramLabel = "OUT.json", description = "Write alerts, HTTP transactions, DNS messages and "
            + "TLS sessions as Suricata EVE JSON lines.")
    Path eve;

    @Option(names = "--eve-types", split = ",", paramLabel = "TYPE", description = "Event types --eve writes: alert, "
            + "http, fileinfo (HTTP bodies, mail attachments, FTP files), dns, tls, ssh, smtp, ftp, flow (one record "
            + "per flow at its end), drop (each packet --simulate-ips drops), anomaly (decoder and stream events), "
            + "stats (counters, once at the end) (default: all but drop, as Suricata's default eve-log).")
    java.util.List<String> eveTypes;

    /** The event types {@code --eve-types} names (all when not given); a name no writer knows is an error. */
    static java.util.Set<io.judo.engine.output.EveWriter.Type> eveTypes(java.util.List<String> names) {
        java.util.Set<io.judo.engine.output.EveWriter.Type> types =
                java.util.EnumSet.noneOf(io.judo.engine.output.EveWriter.Type.class);
        if (names == null) {
            return io.judo.engine.output.EveWriter.defaultTypes();
        }
        for (String n : names) {
            try {
                types.add(io.judo.engine.output.EveWriter.Type.valueOf(n.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw new UserError("--eve-types: alert, http, fileinfo, dns, tls, ssh, smtp, ftp, flow, drop, anomaly "
                        + "or stats, got '" + n + "'");
            }
        }
        return types;
    }

    @Option(names = "--simulate-ips", description = "Prevention mode on a capture, as Suricata's --simulate-ips: "
            + "a drop or reject rule drops the packet it matches and every later packet of its flow (unseen by the "
            + "rules); the summary counts them, --eve-types drop logs each, flow records say \"action\":\"drop\".")
    boolean simulateIps;

    @Option(names = "--journal", paramLabel = "DIR", description = "Journal every alert, verdict and stream anomaly "
            + "to a Chronicle Queue in DIR (judo journal reads it).")
    Path journal;

    @Option(names = "--journal-roll", completionCandidates = Choices.JournalRolls.class,
            paramLabel = "CYCLE", defaultValue = "daily",
            description = "Journal file per day or hour: daily or hourly (default: ${DEFAULT-VALUE}).")
    String journalRoll;

    @Option(names = "--journal-keep", paramLabel = "AGE", description = "Delete journal files older than AGE "
            + "(e.g. 7d, 12h; default: keep).")
    String journalKeep;

    @Option(names = "--journal-max-size", paramLabel = "SIZE", description = "Delete the oldest journal files while "
            + "the journal is larger than SIZE (e.g. 10G, 500M; default: no limit).")
    String journalMaxSize;

    @Option(names = "--policy", completionCandidates = Choices.OverlapPolicies.class,
            paramLabel = "P", defaultValue = "first", description = "TCP overlap policy for "
            + "reassembly (first, last, bsd, linux, windows, ...; default: ${DEFAULT-VALUE}).")
    String policy;

    @Option(names = "--engine", completionCandidates = Choices.VmEngines.class,
            paramLabel = "E", defaultValue = "jit", description = "interp or jit: run the rule "
            + "programs interpreted or compiled to JVM bytecode (default: ${DEFAULT-VALUE}; falls back to the "
            + "interpreter if compilation fails).")
    String vmEngine;

    @Option(names = "--matcher", completionCandidates = Choices.Matchers.class,
            paramLabel = "ENGINE", defaultValue = "auto",
            description = "Prefilter backend: auto, hyperscan or dfa (default: ${DEFAULT-VALUE}).")
    String matcher;

    @Option(names = "--cache", paramLabel = "DIR", description = "Keep the compiled Hyperscan databases in DIR, keyed "
            + "by the SHA-256 of their patterns and Hyperscan's version, and load them from there when the rules have "
            + "not changed, as Suricata 8's detect.sgh-mpm-caching (default: suricata.yaml's "
            + "detect.sgh-mpm-caching-path, else $XDG_CACHE_HOME/judo/hyperscan or ~/.cache/judo/hyperscan).")
    Path cache;

    @Option(names = "--no-cache", description = "Compile the Hyperscan databases afresh and keep nothing on disk.")
    boolean noCache;

    @Option(names = "--skip-bad-rules", description = "Run with the rules that load when some rules have errors "
            + "(default: print the errors and stop, exit 2).")
    boolean skipBadRules;

    /** The matcher backend named by the user. */
    /**
     * Where compiled Hyperscan databases are kept: {@code --cache}; else suricata.yaml's
     * {@code detect.sgh-mpm-caching(-path)}; else the user's cache directory. Null for none ({@code --no-cache}, or
     * the configuration's switch off).
     */
    Path cacheDir(SuricataConfig config) {
        if (noCache) {
            return null;
        }
        if (cache != null) {
            return cache;
        }
        return config.mpmCache(defaultCache(System.getenv("XDG_CACHE_HOME"), System.getProperty("user.home")));
    }

    /** {@code $XDG_CACHE_HOME/judo/hyperscan} when that is an absolute path, else {@code ~/.cache/judo/hyperscan}. */
    static Path defaultCache(String xdgCacheHome, String home) {
        if (xdgCacheHome != null && !xdgCacheHome.isBlank() && Path.of(xdgCacheHome).isAbsolute()) {
            return Path.of(xdgCacheHome, "judo", "hyperscan");
        }
        return home == null || home.isBlank() ? null : Path.of(home, ".cache", "judo", "hyperscan");
    }

    static io.judo.matcher.Engine engine(String name) {
        io.judo.matcher.Engine e = io.judo.matcher.Engine.named(name);
        if (e == null) {
            throw new UserError("unknown matcher '" + name + "' (auto, hyperscan, dfa)");
        }
        if (e == io.judo.matcher.Engine.HYPERSCAN && !io.judo.matcher.hyperscan.HyperscanDatabase.available()) {
            throw new UserError("Hyperscan does not load on this machine; use --matcher dfa");
        }
        return e;
    }

    /** Retention from {@code --journal-keep 7d} and {@code --journal-max-size 10G} (either may be null). */
    static io.judo.journal.JournalWriter.Retention retention(String keep, String maxSize) {
        return new io.judo.journal.JournalWriter.Retention(keep == null ? 0 : amount("--journal-keep", keep, "smhd",
                new long[] {1_000L, 60_000L, 3_600_000L, 86_400_000L}),
                maxSize == null ? 0 : amount("--journal-max-size", maxSize, "KMGT",
                        new long[] {1L << 10, 1L << 20, 1L << 30, 1L << 40}));
    }

    private static long amount(String option, String text, String units, long[] factors) {
        String t = text.trim();
        char c = t.isEmpty() ? ' ' : t.charAt(t.length() - 1);
        int u = units.indexOf(units.equals("smhd") ? Character.toLowerCase(c) : Character.toUpperCase(c));
        try {
            if (u >= 0) {
                long n = Long.parseLong(t.substring(0, t.length() - 1));
                if (n > 0) {
                    return n * factors[u];
                }
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw new UserError(option + ": expected a number with one of " + String.join(", ", units.split(""))
                + ", got '" + text + "'");
    }

    /** The journal's roll cycle from {@code --journal-roll}. */
    static io.judo.journal.JournalWriter.Roll roll(String roll) {
        return switch (roll) {
            case "daily" -> io.judo.journal.JournalWriter.Roll.DAILY;
            case "hourly" -> io.judo.journal.JournalWriter.Roll.HOURLY;
            default -> throw new UserError("--journal-roll: daily or hourly, got '" + roll + "'");
        };
    }

    @Option(names = "--profile-rules", description = "Time every rule check and end the summary with the rules "
            + "that took the most time (--profile-top of them), as Suricata's rule profiling; costs two clock reads "
            + "a check.")
    boolean profileRules;

    @Option(names = "--profile-top", paramLabel = "N", defaultValue = "20", description = "With --profile-rules: "
            + "how many rules the profile lists (default: ${DEFAULT-VALUE}).")
    int profileTop;

    /** Loads the rules and starts the pipeline these options describe ({@code demo}: the bundled rules). */
    Detection start(RuleOptions rules, boolean demo, boolean checksums, PrintWriter err) {
        if (!vmEngine.equals("jit") && !vmEngine.equals("interp")) {
            throw new UserError("--engine: interp or jit, got '" + vmEngine + "'");
        }
        if (profileTop < 1) {
            throw new UserError("--profile-top: a number of rules, 1 or more, got " + profileTop);
        }
        rules.failOnErrors = !skipBadRules;
        java.util.List<String> types = eveTypes != null ? eveTypes : rules.config().eveTypes();
        Detection d = Detection.start(rules, demo, policy, engine(matcher), checksums, eve, eveTypes(types),
                journal, journalRoll, retention(journalKeep, journalMaxSize), vmEngine.equals("jit"),
                cacheDir(rules.config()), err);
        if (profileRules) {
            d.profileRules(profileTop);
        }
        if (simulateIps) {
            d.simulateIps();
        }
        d.midstreamPolicy(rules.config());
        return d;
    }
}
