package io.judo.rules.suricata;

import io.judo.rules.RuleError;
import io.judo.rules.suricata.SuricataRule.Action;
import io.judo.rules.suricata.SuricataRule.RateFilter;
import io.judo.rules.suricata.SuricataRule.Suppression;
import io.judo.rules.suricata.SuricataRule.Threshold;
import io.judo.rules.suricata.SuricataRule.Track;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Suricata {@code threshold.config}: {@code threshold} / {@code event_filter}, {@code suppress} and
 * {@code rate_filter} lines that tune the alerts of loaded rules without editing them.
 *
 * <p>How an entry reaches a rule, as Suricata applies the file (in file order): an entry naming a rule
 * ({@code sig_id} not 0) replaces the rule's own {@code threshold} and {@code detection_filter}, and any earlier
 * entry's threshold or rate filter, with its own; an entry with {@code sig_id 0} (of {@code gen_id} G, or of every
 * generator with {@code gen_id 0}) gives its threshold or rate filter only to rules that have none yet, so the first
 * such entry wins and a rule's own threshold is kept. Suppressions add up: a rule may have several, each silencing the
 * rule or the addresses it names.
 */
public final class ThresholdConfig {
    /** One line of the file, parsed. */
    public record Entry(String file, int line, String text, int gid, long sid, Threshold threshold,
            Suppression suppression, RateFilter rateFilter) {
        boolean global() {
            return sid == 0;
        }

        boolean covers(SuricataRule r) {
            return (gid == 0 || gid == r.gid()) && (sid == 0 || sid == r.sid());
        }

        String where() {
            return file + ":" + line;
        }
    }

    private final List<Entry> entries;
    private final List<RuleError> errors;

    private ThresholdConfig(List<Entry> entries, List<RuleError> errors) {
        this.entries = entries;
        this.errors = errors;
    }

    /** The empty configuration: rules keep their own thresholds. */
    public static ThresholdConfig empty() {
        return new ThresholdConfig(List.of(), List.of());
    }

    /**
     * Parses {@code text} (named {@code file} in messages). Lines may continue with a trailing backslash; {@code #}
     * starts a comment line. Bad lines become {@link #errors()} and are left out; the others are kept.
     *
     * @param vars resolves {@code $NAME} in a suppression's {@code ip}
     */
    public static ThresholdConfig parse(String text, String file, Variables vars) {
        List<Entry> entries = new ArrayList<>();
        List<RuleError> errors = new ArrayList<>();
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            int first = i + 1;
            StringBuilder b = new StringBuilder(stripCr(lines[i]));
            while (b.length() > 0 && b.charAt(b.length() - 1) == '\\' && i + 1 < lines.length) {
                b.setLength(b.length() - 1);
                b.append(stripCr(lines[++i]));
            }
            String line = b.toString();
            String t = line.strip();
            if (t.isEmpty() || t.startsWith("#")) {
                continue;
            }
            try {
                entries.add(new LineParser(file, first, line, vars).entry());
            } catch (RuleError e) {
                errors.add(e);
            }
        }
        return new ThresholdConfig(List.copyOf(entries), List.copyOf(errors));
    }

    /** The entries that parsed, in file order. */
    public List<Entry> entries() {
        return entries;
    }

    /** The lines that did not parse, each with its place and a caret column. */
    public List<RuleError> errors() {
        return errors;
    }

    /** The rules with the entries applied, and warnings for entries that name no loaded rule. */
    public record Applied(List<SuricataRule> rules, List<String> warnings) {
    }

    /** Applies the entries to {@code rules} (see the class comment for the order). */
    public Applied apply(List<SuricataRule> rules) {
        Map<Long, List<Entry>> bySid = new HashMap<>();
        List<Entry> global = new ArrayList<>();
        for (Entry e : entries) {
            if (e.global()) {
                global.add(e);
            } else {
                bySid.computeIfAbsent(e.sid(), k -> new ArrayList<>()).add(e);
            }
        }
        Map<Entry, Boolean> used = new LinkedHashMap<>();
        List<SuricataRule> out = new ArrayList<>(rules.size());
        for (SuricataRule r : rules) {
            List<Entry> mine = merge(bySid.getOrDefault(r.sid(), List.of()), global);
            if (mine.isEmpty()) {
                out.add(r);
                continue;
            }
            Threshold threshold = r.threshold();
            Threshold filter = r.detectionFilter();
            RateFilter rate = r.rateFilter();
            List<Suppression> suppressions = new ArrayList<>(r.suppressions());
            boolean changed = false;
            for (Entry e : mine) {
                if (!e.covers(r)) {
                    continue;
                }
                used.put(e, true);
                if (e.suppression() != null) {
                    suppressions.add(e.suppression());
                } else if (!e.global()) {
                    threshold = e.threshold();
                    rate = e.rateFilter();
                    filter = null;
                } else if (threshold == null && filter == null && rate == null) {
                    threshold = e.threshold();
                    rate = e.rateFilter();
                } else {
                    continue;
                }
                changed = true;
            }
            out.add(changed ? r.withFilters(threshold, filter, suppressions, rate) : r);
        }
        List<String> warnings = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.global() && !used.containsKey(e)) {
                warnings.add(e.where() + ": no loaded rule has gen_id " + e.gid() + ", sig_id " + e.sid());
            }
        }
        return new Applied(List.copyOf(out), List.copyOf(warnings));
    }

    /** Two lists in file order (by line), merged. */
    private static List<Entry> merge(List<Entry> a, List<Entry> b) {
        if (a.isEmpty() || b.isEmpty()) {
            return a.isEmpty() ? b : a;
        }
        List<Entry> m = new ArrayList<>(a.size() + b.size());
        int i = 0;
        int j = 0;
        while (i < a.size() || j < b.size()) {
            if (j == b.size() || i < a.size() && a.get(i).line() < b.get(j).line()) {
                m.add(a.get(i++));
            } else {
                m.add(b.get(j++));
            }
        }
        return m;
    }

    private static String stripCr(String s) {
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    /** Reads one logical line: a keyword, then {@code name value} pairs separated by commas. */
    private static final class LineParser {
        private final String file;
        private final int line;
        private final String text;
        private final Variables vars;
        private final Map<String, String> values = new LinkedHashMap<>();
        private final Map<String, Integer> columns = new HashMap<>();

        LineParser(String file, int line, String text, Variables vars) {
            this.file = file;
            this.line = line;
            this.text = text;
            this.vars = vars;
        }

        Entry entry() {
            int start = 0;
            while (start < text.length() && Character.isWhitespace(text.charAt(start))) {
                start++;
            }
            int end = start;
            while (end < text.length() && !Character.isWhitespace(text.charAt(end))) {
                end++;
            }
            String keyword = text.substring(start, end);
            List<String> allowed = switch (keyword) {
                case "threshold", "event_filter" -> List.of("gen_id", "sig_id", "type", "track", "count", "seconds");
                case "suppress" -> List.of("gen_id", "sig_id", "track", "ip");
                case "rate_filter" -> List.of("gen_id", "sig_id", "track", "count", "seconds", "new_action",
                        "timeout");
                default -> throw error(start, "unknown entry '" + keyword
                        + "' (threshold, event_filter, suppress or rate_filter)");
            };
            pairs(end, keyword, allowed);
            int gid = (int) number("gen_id", keyword, 0xffffffffL);
            long sid = number("sig_id", keyword, 0xffffffffL);
            return switch (keyword) {
                case "suppress" -> new Entry(file, line, text, gid, sid, null, suppression(), null);
                case "rate_filter" -> new Entry(file, line, text, gid, sid, null, null, rateFilter());
                default -> new Entry(file, line, text, gid, sid, threshold(keyword), null, null);
            };
        }

        private Threshold threshold(String keyword) {
            String type = need("type", keyword);
            if (!List.of("limit", "threshold", "both").contains(type)) {
                throw error(columns.get("type"), "type '" + type + "' (limit, threshold or both)");
            }
            Track track = track(keyword, Track.SRC, Track.DST, Track.RULE, Track.BOTH, Track.FLOW);
            return new Threshold(type, track, (int) number("count", keyword, Integer.MAX_VALUE),
                    (int) number("seconds", keyword, Integer.MAX_VALUE));
        }

        private Suppression suppression() {
            if (!values.containsKey("track") && !values.containsKey("ip")) {
                return new Suppression(null, null);
            }
            Track track = track("suppress", Track.SRC, Track.DST, Track.EITHER);
            String ip = need("ip", "suppress with track");
            try {
                return new Suppression(track, AddressSpec.parse(ip, vars).toCidrSet());
            } catch (IllegalArgumentException e) {
                throw error(columns.get("ip"), "ip '" + ip + "': " + e.getMessage());
            }
        }

        private RateFilter rateFilter() {
            Track track = track("rate_filter", Track.SRC, Track.DST, Track.RULE, Track.BOTH, Track.FLOW);
            String action = need("new_action", "rate_filter");
            Action a = switch (action) {
                case "alert" -> Action.ALERT;
                case "drop" -> Action.DROP;
                case "pass" -> Action.PASS;
                case "reject" -> Action.REJECT;
                default -> throw error(columns.get("new_action"), "new_action '" + action
                        + "' (alert, drop, pass or reject)");
            };
            return new RateFilter(track, (int) number("count", "rate_filter", Integer.MAX_VALUE),
                    (int) number("seconds", "rate_filter", Integer.MAX_VALUE), a,
                    (int) number("timeout", "rate_filter", Integer.MAX_VALUE));
        }

        private Track track(String keyword, Track... allowed) {
            String word = need("track", keyword);
            Track t = Track.named(word);
            if (t != null) {
                for (Track a : allowed) {
                    if (a == t) {
                        return t;
                    }
                }
            }
            StringBuilder names = new StringBuilder();
            for (int i = 0; i < allowed.length; i++) {
                names.append(i == 0 ? "" : i == allowed.length - 1 ? " or " : ", ").append(allowed[i].word());
            }
            throw error(columns.get("track"), keyword + ": track '" + word + "' (" + names + ")");
        }

        /**
         * Splits the text after the keyword at commas outside brackets (an {@code ip} list has its own commas) into
         * {@code name value} pairs.
         */
        private void pairs(int from, String keyword, List<String> allowed) {
            int depth = 0;
            int partStart = from;
            for (int i = from; i <= text.length(); i++) {
                char c = i < text.length() ? text.charAt(i) : ',';
                if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth--;
                } else if (c == ',' && depth <= 0) {
                    pair(partStart, i, keyword, allowed);
                    partStart = i + 1;
                }
            }
            if (depth != 0) {
                throw error(from, "unbalanced brackets");
            }
        }

        private void pair(int from, int to, String keyword, List<String> allowed) {
            int s = from;
            while (s < to && Character.isWhitespace(text.charAt(s))) {
                s++;
            }
            int e = to;
            while (e > s && Character.isWhitespace(text.charAt(e - 1))) {
                e--;
            }
            if (s == e) {
                throw error(s, "empty option (a stray comma?)");
            }
            int space = s;
            while (space < e && !Character.isWhitespace(text.charAt(space))) {
                space++;
            }
            String name = text.substring(s, space);
            String value = text.substring(space, e).strip();
            if (!allowed.contains(name)) {
                throw error(s, keyword + ": unknown option '" + name + "' (" + String.join(", ", allowed) + ")");
            }
            if (value.isEmpty()) {
                throw error(s, name + " needs a value");
            }
            if (values.putIfAbsent(name, value) != null) {
                throw error(s, name + " given twice");
            }
            columns.put(name, space + (text.substring(space, e).length() - text.substring(space, e).stripLeading()
                    .length()));
        }

        private String need(String name, String what) {
            String v = values.get(name);
            if (v == null) {
                throw error(text.length(), what + " needs " + name);
            }
            return v;
        }

        private long number(String name, String what, long max) {
            String v = need(name, what);
            try {
                long n = Long.parseLong(v);
                if (n >= 0 && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw error(columns.get(name), name + ": '" + v + "' is not a number from 0 to " + max);
        }

        private RuleError error(int column, String message) {
            return new RuleError(file, line, column + 1, text, message);
        }
    }
}
