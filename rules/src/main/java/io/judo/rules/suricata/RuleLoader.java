package io.judo.rules.suricata;

import io.judo.rules.RuleError;
import io.judo.vm.Background;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * Reads rule files: one rule per line (a trailing backslash continues it), {@code #} comments and blank lines
 * skipped. Every rule either loads, is skipped for a named unsupported keyword (counted, with its first place), or is
 * an error with file:line:column. In strict mode a skipped rule is an error too. A {@code classification.config}
 * beside the first rule file supplies categories and priorities unless one is given.
 */
public final class RuleLoader {
    /** Where one kind of skip first happened, and how often. */
    public static final class Skip {
        private final String keyword;
        private final String firstAt;
        private int count;

        Skip(String keyword, String firstAt) {
            this.keyword = keyword;
            this.firstAt = firstAt;
        }

        public String keyword() {
            return keyword;
        }

        public String firstAt() {
            return firstAt;
        }

        public int count() {
            return count;
        }
    }

    private final Variables vars;
    private final boolean strict;
    private Classifications classes;
    private RuleParser parser;
    /** The parser of large files' second halves, on another thread (see {@link #load(String, String)}). */
    private RuleParser secondParser;
    private final List<SuricataRule> rules = new ArrayList<>();
    private final Map<String, Skip> skips = new TreeMap<>();
    private final Map<String, Skip> ignored = new TreeMap<>();
    private final List<RuleError> errors = new ArrayList<>();
    private final Map<String, String> seen = new HashMap<>();
    private int skipped;

    public RuleLoader(Variables vars, Classifications classes, boolean strict) {
        this.vars = vars;
        this.classes = classes;
        this.strict = strict;
    }

    /**
     * Loads every rule of {@code file}.
     *
     * @throws IOException when the file cannot be read ({@link io.judo.rules.TextFiles.NotText} when it is not text)
     */
    public RuleLoader load(Path file) throws IOException {
        if (classes == null) {
            Path beside = file.toAbsolutePath().resolveSibling("classification.config");
            classes = Files.isReadable(beside)
                    ? Classifications.parse(Files.readString(beside, StandardCharsets.ISO_8859_1))
                    : Classifications.empty();
        }
        return load(io.judo.rules.TextFiles.readRules(file), file.toString());
    }

    /** Loads every rule of {@code text}, naming it {@code name} in messages. */
    public RuleLoader load(String text, String name) {
        if (classes == null) {
            classes = Classifications.empty();
        }
        if (parser == null) {
            parser = new RuleParser(vars, classes);
        }
        List<String> texts = new ArrayList<>();
        List<Integer> lines = new ArrayList<>();
        String[] split = text.split("\n", -1);
        for (int i = 0; i < split.length; i++) {
            int first = i;
            StringBuilder rule = new StringBuilder(stripCr(split[i]));
            while (rule.length() > 0 && rule.charAt(rule.length() - 1) == '\\' && i + 1 < split.length) {
                rule.setLength(rule.length() - 1);
                rule.append(stripCr(split[++i]));
            }
            String t = rule.toString();
            if (!t.isBlank() && !t.stripLeading().startsWith("#")) {
                texts.add(t);
                lines.add(first + 1);
            }
        }
        // A large file's second half is parsed on another core (each parser is independent: the variables and
        // classifications are only read); the outcomes are applied in file order, so duplicates, skips and errors
        // come out as they would from one thread.
        int half = texts.size() >= PARALLEL_RULES ? texts.size() / 2 : texts.size();
        CompletableFuture<List<Parsed>> rest = null;
        if (half < texts.size()) {
            if (secondParser == null) {
                secondParser = new RuleParser(vars, classes);
            }
            RuleParser second = secondParser;
            rest = Background.start("judo-parse", () -> {
                List<Parsed> out = new ArrayList<>();
                for (int i = half; i < texts.size(); i++) {
                    out.add(parse(second, texts.get(i), name, lines.get(i)));
                }
                return out;
            });
        }
        for (int i = 0; i < half; i++) {
            apply(parse(parser, texts.get(i), name, lines.get(i)), name);
        }
        if (rest != null) {
            for (Parsed p : Background.join(rest)) {
                apply(p, name);
            }
        }
        return this;
    }

    /** Files with at least this many rules are parsed on two cores (ET Open's six largest hold most of its rules). */
    static final int PARALLEL_RULES = 1_000;

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** One rule's outcome: the rule and what it used to no effect, or why it did not load. */
    private record Parsed(String text, int line, SuricataRule rule, List<String> ignored, RuntimeException failure) {
    }

    private static Parsed parse(RuleParser parser, String text, String name, int line) {
        try {
            SuricataRule r = parser.parse(text, name, line);
            return new Parsed(text, line, r, parser.ignored(), null);
        } catch (UnsupportedKeyword | RuleError e) {
            return new Parsed(text, line, null, List.of(), e);
        }
    }

    private void apply(Parsed p, String name) {
        String text = p.text();
        int line = p.line();
        try {
            if (p.failure() != null) {
                throw p.failure();
            }
            SuricataRule r = p.rule();
            String key = r.gid() + ":" + r.sid();
            String previous = seen.putIfAbsent(key, name + ":" + line);
            if (previous != null) {
                throw new RuleError(name, line, text.indexOf("sid") + 1, text, "duplicate sid " + key
                        + " (first at " + previous + ")");
            }
            rules.add(r);
            for (String what : p.ignored()) {
                ignored.computeIfAbsent(what, k -> new Skip(k, name + ":" + line)).count++;
            }
        } catch (UnsupportedKeyword u) {
            if (strict) {
                errors.add(new RuleError(name, line, u.column(), text, u.getMessage() + " (--strict)"));
                return;
            }
            skipped++;
            skips.computeIfAbsent(u.keyword(), k -> new Skip(k, name + ":" + line)).count++;
        } catch (RuleError e) {
            errors.add(e);
        }
    }

    public List<SuricataRule> rules() {
        return rules;
    }

    /**
     * Gives the loaded rules the thresholds, suppressions and rate filters of {@code config} (Suricata's
     * threshold.config); rules loaded after this call do not get them.
     *
     * @return one warning per entry that names no loaded rule
     */
    public List<String> applyThresholds(ThresholdConfig config) {
        ThresholdConfig.Applied applied = config.apply(rules);
        rules.clear();
        rules.addAll(applied.rules());
        return applied.warnings();
    }

    /** Skips by keyword, sorted by keyword. */
    public Map<String, Skip> skips() {
        return skips;
    }

    /** Options loaded rules use that have no effect here (e.g. pcre flag O), with count and first place. */
    public Map<String, Skip> ignored() {
        return ignored;
    }

    /** The flow bits the loaded rules check but none sets, and the rules that can therefore never fire. */
    public FlowbitUse flowbitUse() {
        return FlowbitUse.of(rules);
    }

    public int skipped() {
        return skipped;
    }

    public List<RuleError> errors() {
        return errors;
    }

    public Classifications classifications() {
        return classes == null ? Classifications.empty() : classes;
    }
}
