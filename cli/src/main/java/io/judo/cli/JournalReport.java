package io.judo.cli;

import io.judo.journal.EventType;
import io.judo.journal.JournalEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * {@code judo journal report DIR --html OUT.html}: one self-contained page (inline CSS and SVG, no scripts, nothing
 * fetched). Events over time are four series with a legend (alerts, blocks, rewrites, anomalies), each in its own
 * lane with its own scale so that thousands of gaps from one cut capture do not flatten a handful of alerts; a bar is
 * a millisecond up to a decade, whichever keeps the span within {@link #MAX_BARS} bars, under a dated axis. Top rules are
 * coloured by what they did; top talkers count what rules did (alerts, blocks, rewrites), anomalies have their own
 * table. The journal is read twice (the span first, then the bars), so memory does not grow with its size.
 */
final class JournalReport {
    /** At most this many bars on the time axis. */
    static final int MAX_BARS = 60;
    private static final int TOP = 10;

    /** What the time chart draws: one colour and lane each. */
    enum Series {
        ALERTS("alerts", "#2b6cb0"), BLOCKS("blocks (drop, reject)", "#c53030"),
        REWRITES("rewrites (rewrite, remap)", "#2f855a"), ANOMALIES("anomalies (stream events)", "#b7791f");

        final String label;
        final String colour;

        Series(String label, String colour) {
            this.label = label;
            this.colour = colour;
        }

        static Series of(EventType t) {
            return switch (t) {
                case DROP, REJECT -> BLOCKS;
                case REWRITE, REMAP -> REWRITES;
                case ANOMALY -> ANOMALIES;
                default -> ALERTS;
            };
        }
    }

    private final Map<Series, Map<Long, Long>> perBucket = new EnumMap<>(Series.class);
    private final Map<Series, Long> perSeries = new EnumMap<>(Series.class);
    private final Map<String, Long> perRule = new HashMap<>();
    private final Map<String, Series> ruleAction = new HashMap<>();
    private final Map<String, long[]> perSource = new HashMap<>(); // by Series ordinal, anomalies excluded
    private final Map<String, Long> perType = new TreeMap<>();
    private final Map<String, Long> perAnomaly = new TreeMap<>();
    private final Map<String, Set<Long>> anomalyFlows = new HashMap<>();
    private final Map<String, Map<String, Long>> anomalySources = new HashMap<>();
    private final Map<String, Long> perHost = new HashMap<>();
    private final Map<String, Long> perUri = new HashMap<>();
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private long events;

    /** Records counted per HTTP host ("(no host)" for a transaction without one); for the tests. */
    Map<String, Long> hosts() {
        return perHost;
    }
    private Map<String, JournalCommand.RuleInfo> rules = Map.of();

    static String html(Path dir, JournalCommand.Filters filters) {
        JournalReport r = new JournalReport();
        r.rules = JournalCommand.scan(dir, filters, (e, known) -> r.add(e));
        TimeBucket bucket = TimeBucket.forSpan(r.first, r.last, MAX_BARS);
        if (r.events > 0) {
            JournalCommand.scan(dir, filters, (e, known) -> r.perBucket.computeIfAbsent(Series.of(e.type),
                    k -> new HashMap<>()).merge(bucket.index(e.timeNanos), 1L, Long::sum));
        }
        return r.render(bucket);
    }

    /** Counts one record (package-private for the tests). */
    void add(JournalEvent e) {
        events++;
        first = Math.min(first, e.timeNanos);
        last = Math.max(last, e.timeNanos);
        Series s = Series.of(e.type);
        perSeries.merge(s, 1L, Long::sum);
        perType.merge(e.type.text(), 1L, Long::sum);
        String source = JournalCommand.address(e, true);
        if (s == Series.ANOMALIES) {
            String name = e.text().isEmpty() ? "(unnamed)" : e.text();
            perAnomaly.merge(name, 1L, Long::sum);
            anomalyFlows.computeIfAbsent(name, k -> new HashSet<>()).add(e.flowId);
            anomalySources.computeIfAbsent(name, k -> new HashMap<>()).merge(source, 1L, Long::sum);
            return;
        }
        String key = JournalCommand.ruleKey(e);
        perRule.merge(key, 1L, Long::sum);
        // a rule that blocked is drawn as blocking even if it also alerted (an IPS rule in IDS mode, say)
        ruleAction.merge(key, s, (a, b) -> a == Series.BLOCKS || b == Series.BLOCKS ? Series.BLOCKS
                : a == Series.REWRITES || b == Series.REWRITES ? Series.REWRITES : Series.ALERTS);
        perSource.computeIfAbsent(source, k -> new long[Series.values().length])[s.ordinal()]++;
        String http = e.http();
        // the record's members are the alert line's: an HTTP transaction's (app_proto http) name a host and URI
        if (http != null && "http".equals(member(http, "app_proto"))) {
            String host = member(http, "hostname");
            String url = member(http, "url");
            perHost.merge(host == null ? "(no host)" : host, 1L, Long::sum);
            if (url != null) {
                perUri.merge((host == null ? "" : host) + url, 1L, Long::sum);
            }
        }
    }

    /**
     * The string member {@code name} of the HTTP members text a record keeps (JSON as EVE's JsonWriter writes it),
     * unescaped, or null.
     */
    static String member(String json, String name) {
        String key = "\"" + name + "\":\"";
        int at = json.indexOf(key);
        if (at < 0) {
            return null;
        }
        StringBuilder v = new StringBuilder();
        for (int i = at + key.length(); i < json.length(); i++) {
            char c = json.charAt(i);
            if (c == '"') {
                return v.toString();
            }
            if (c == '\\' && i + 1 < json.length()) {
                char n = json.charAt(++i);
                if (n == 'u' && i + 4 < json.length()) {
                    v.append((char) Integer.parseInt(json.substring(i + 1, i + 5), 16));
                    i += 4;
                } else {
                    v.append(switch (n) {
                        case 'n' -> '\n';
                        case 'r' -> '\r';
                        case 't' -> '\t';
                        case 'b' -> '\b';
                        case 'f' -> '\f';
                        default -> n;
                    });
                }
            } else {
                v.append(c);
            }
        }
        return null;
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static String n(long v) {
        return String.format("%,d", v);
    }

    private static <V> List<Map.Entry<String, V>> top(Map<String, V> m, Function<V, Long> count, int limit) {
        List<Map.Entry<String, V>> l = new ArrayList<>(m.entrySet());
        l.sort((a, b) -> {
            int c = Long.compare(count.apply(b.getValue()), count.apply(a.getValue()));
            return c != 0 ? c : a.getKey().compareTo(b.getKey());
        });
        return l.subList(0, Math.min(limit, l.size()));
    }

    private static long sum(long[] v) {
        long s = 0;
        for (long x : v) {
            s += x;
        }
        return s;
    }

    private String render(TimeBucket bucket) {
        StringBuilder h = new StringBuilder(32_768);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Judo journal report</title>")
                .append("<style>body{font:14px sans-serif;margin:24px;color:#1a202c}h1{font-size:20px}")
                .append("h2{font-size:16px;margin-top:28px}svg{display:block;margin:8px 0}svg text{font-size:12px}")
                .append("table{border-collapse:collapse}td,th{padding:2px 12px 2px 0;text-align:left}")
                .append(".n{text-align:right}.legend span{display:inline-block;margin-right:18px}")
                .append(".key{display:inline-block;width:12px;height:12px;margin-right:5px;vertical-align:-1px}")
                .append("</style></head><body><h1>Judo journal report</h1>");
        h.append("<p id=\"summary\">").append(n(events)).append(" events");
        if (events > 0) {
            h.append(" from ").append(JournalCommand.time(first)).append(" to ").append(JournalCommand.time(last));
        }
        h.append(". By type: ");
        List<String> types = new ArrayList<>();
        perType.forEach((k, v) -> types.add(esc(k) + " " + n(v)));
        h.append(types.isEmpty() ? "none" : String.join(", ", types)).append(".</p>");
        timeChart(h, bucket);
        topRules(h);
        topTalkers(h);
        anomalies(h);
        http(h);
        h.append("<h2>Rewrites</h2><table id=\"rewrites\">");
        for (String t : List.of("rewrite", "remap")) {
            h.append("<tr><td>").append(t).append("</td><td class=\"n\">").append(n(perType.getOrDefault(t, 0L)))
                    .append("</td></tr>");
        }
        h.append("</table></body></html>\n");
        return h.toString();
    }

    /** A legend of {@code series}: a colour key, the name and, when given, the count. */
    private static void legend(StringBuilder h, String id, List<Series> series, Map<Series, Long> counts) {
        h.append("<p class=\"legend\" id=\"").append(id).append("\">");
        for (Series s : series) {
            h.append("<span data-series=\"").append(s.name().toLowerCase(Locale.ROOT)).append("\">")
                    .append("<i class=\"key\" style=\"background:").append(s.colour).append("\"></i>")
                    .append(esc(s.label));
            if (counts != null) {
                h.append(' ').append(n(counts.getOrDefault(s, 0L)));
            }
            h.append("</span>");
        }
        h.append("</p>");
    }

    /** One lane per series that has events, bars per bucket, each lane scaled to its own largest bar. */
    private void timeChart(StringBuilder h, TimeBucket bucket) {
        h.append("<h2>Events over time</h2>");
        List<Series> drawn = new ArrayList<>();
        for (Series s : Series.values()) {
            if (perSeries.getOrDefault(s, 0L) > 0) {
                drawn.add(s);
            }
        }
        legend(h, "legend", List.of(Series.values()), perSeries);
        if (events == 0) {
            h.append("<p id=\"events-over-time\">no events</p>");
            return;
        }
        long firstBucket = bucket.index(first);
        int bars = (int) (bucket.index(last) - firstBucket + 1);
        int left = 190;
        int plot = 1000;
        int lane = 80;
        int gap = 22;
        int top = 10;
        int axis = top + drawn.size() * (lane + gap);
        double barWidth = plot / (double) bars;
        h.append("<svg id=\"events-over-time\" data-bucket=\"").append(bucket.name().toLowerCase(Locale.ROOT))
                .append("\" data-bars=\"").append(bars).append("\" width=\"").append(left + plot + 20)
                .append("\" height=\"").append(axis + 60).append("\">");
        for (int i = 0; i < drawn.size(); i++) {
            Series s = drawn.get(i);
            Map<Long, Long> counts = perBucket.getOrDefault(s, Map.of());
            long max = counts.values().stream().mapToLong(Long::longValue).max().orElse(1);
            int base = top + i * (lane + gap) + lane;
            h.append("<g class=\"lane\" data-series=\"").append(s.name().toLowerCase(Locale.ROOT)).append("\">");
            text(h, 0, base - lane / 2 + 4, "start", esc(s.label.replaceFirst(" \\(.*", "")), s.colour);
            text(h, left - 8, base - lane + 10, "end", n(max), null);
            text(h, left - 8, base, "end", "0", null);
            line(h, left, base - lane, left, base, "#a0aec0");
            line(h, left, base, left + plot, base, "#4a5568");
            for (Map.Entry<Long, Long> x : new TreeMap<>(counts).entrySet()) {
                double height = Math.max(1, (lane - 4) * x.getValue() / (double) max);
                double at = left + (x.getKey() - firstBucket) * barWidth;
                h.append(String.format(Locale.ROOT, "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
                        + "height=\"%.1f\" fill=\"%s\"><title>%s: %s</title></rect>", at + 0.5, base - height,
                        Math.max(1, barWidth - 1), height, s.colour, esc(bucket.label(x.getKey(), true)),
                        n(x.getValue())));
            }
            h.append("</g>");
        }
        // the time axis: a tick per bar, a dated label where there is room (about every 90 pixels)
        int every = (int) Math.max(1, Math.ceil(90 / barWidth));
        h.append("<g id=\"time-axis\">");
        for (int b = 0; b < bars; b++) {
            double x = left + b * barWidth;
            line(h, x, axis - gap + 2, x, axis - gap + (b % every == 0 ? 8 : 5), "#4a5568");
            if (b % every == 0) {
                h.append(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%.1f\" y=\"%d\">%s</text>", x,
                        axis - gap + 22, esc(bucket.label(firstBucket + b, b == 0))));
            }
        }
        h.append("</g>");
        text(h, left, axis + 28, "start", "events per " + bucket.unit() + " (UTC), " + n(bars) + (bars == 1 ? " bar" : " bars") + " from "
                + esc(bucket.label(firstBucket, true)) + " to " + esc(bucket.label(firstBucket + bars - 1, true))
                + "; each lane scaled to its largest bar", null);
        h.append("</svg>");
    }

    private void topRules(StringBuilder h) {
        h.append("<h2>Top rules</h2>");
        List<Series> actions = new ArrayList<>();
        for (Series s : List.of(Series.ALERTS, Series.BLOCKS, Series.REWRITES)) {
            if (ruleAction.containsValue(s)) {
                actions.add(s);
            }
        }
        legend(h, "rules-legend", actions, null);
        List<Map.Entry<String, Long>> rows = top(perRule, v -> v, TOP);
        int row = 24;
        long max = rows.isEmpty() ? 1 : rows.get(0).getValue();
        h.append("<svg id=\"top-rules\" width=\"1200\" height=\"").append(Math.max(1, rows.size()) * row)
                .append("\">");
        for (int i = 0; i < rows.size(); i++) {
            Map.Entry<String, Long> x = rows.get(i);
            Series action = ruleAction.get(x.getKey());
            double w = Math.max(1, 400.0 * x.getValue() / max);
            h.append(String.format(Locale.ROOT, "<rect data-action=\"%s\" x=\"0\" y=\"%d\" width=\"%.1f\" "
                    + "height=\"%d\" fill=\"%s\"/>", action.name().toLowerCase(Locale.ROOT), i * row + 3, w, row - 6,
                    action.colour));
            String msg = rules.getOrDefault(x.getKey(), JournalCommand.RuleInfo.NONE).msg();
            text(h, (int) w + 8, i * row + 17, "start", n(x.getValue()) + "  [" + esc(x.getKey()) + "] " + esc(msg),
                    null);
        }
        if (rows.isEmpty()) {
            text(h, 0, 17, "start", "no rule events", null);
        }
        h.append("</svg>");
    }

    /** Sources of what rules did, one bar each, stacked by series; anomalies are not traffic a rule judged. */
    private void topTalkers(StringBuilder h) {
        h.append("<h2>Top talkers (sources of alerts, blocks and rewrites)</h2>");
        List<Map.Entry<String, long[]>> rows = top(perSource, JournalReport::sum, TOP);
        int row = 24;
        long max = rows.isEmpty() ? 1 : sum(rows.get(0).getValue());
        h.append("<svg id=\"top-talkers\" width=\"1200\" height=\"").append(Math.max(1, rows.size()) * row)
                .append("\">");
        for (int i = 0; i < rows.size(); i++) {
            long[] v = rows.get(i).getValue();
            double at = 0;
            List<String> parts = new ArrayList<>();
            for (Series s : Series.values()) {
                if (v[s.ordinal()] == 0) {
                    continue;
                }
                double w = Math.max(1, 400.0 * v[s.ordinal()] / max);
                h.append(String.format(Locale.ROOT, "<rect data-series=\"%s\" x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
                        + "height=\"%d\" fill=\"%s\"/>", s.name().toLowerCase(Locale.ROOT), at, i * row + 3, w,
                        row - 6, s.colour));
                at += w;
                parts.add(n(v[s.ordinal()]) + " " + s.label.replaceFirst(" \\(.*", ""));
            }
            text(h, (int) at + 8, i * row + 17, "start", n(sum(v)) + "  " + esc(rows.get(i).getKey()) + "  ("
                    + String.join(", ", parts) + ")", null);
        }
        if (rows.isEmpty()) {
            text(h, 0, 17, "start", "no rule events", null);
        }
        h.append("</svg>");
    }

    private void anomalies(StringBuilder h) {
        h.append("<h2>Anomalies</h2><table id=\"anomalies\"><tr><th>stream event</th><th class=\"n\">events</th>")
                .append("<th class=\"n\">flows</th><th>top source</th></tr>");
        for (Map.Entry<String, Long> x : top(perAnomaly, v -> v, Integer.MAX_VALUE)) {
            Map.Entry<String, Long> source = top(anomalySources.get(x.getKey()), v -> v, 1).get(0);
            h.append("<tr><td>").append(esc(x.getKey())).append("</td><td class=\"n\">").append(n(x.getValue()))
                    .append("</td><td class=\"n\">").append(n(anomalyFlows.get(x.getKey()).size()))
                    .append("</td><td>").append(esc(source.getKey())).append(" (").append(n(source.getValue()))
                    .append(")</td></tr>");
        }
        if (perAnomaly.isEmpty()) {
            h.append("<tr><td colspan=\"4\">none</td></tr>");
        }
        h.append("</table>");
    }

    /** Top HTTP hosts and URIs of the alerts that fired in HTTP transactions. */
    private void http(StringBuilder h) {
        h.append("<h2>Top HTTP hosts and URIs (alerts in HTTP transactions)</h2><table id=\"http-hosts\">")
                .append("<tr><th>host</th><th class=\"n\">events</th></tr>");
        for (Map.Entry<String, Long> x : top(perHost, v -> v, TOP)) {
            h.append("<tr><td>").append(esc(x.getKey())).append("</td><td class=\"n\">").append(n(x.getValue()))
                    .append("</td></tr>");
        }
        if (perHost.isEmpty()) {
            h.append("<tr><td colspan=\"2\">none</td></tr>");
        }
        h.append("</table><table id=\"http-uris\"><tr><th>host and URI</th><th class=\"n\">events</th></tr>");
        for (Map.Entry<String, Long> x : top(perUri, v -> v, TOP)) {
            h.append("<tr><td>").append(esc(x.getKey())).append("</td><td class=\"n\">").append(n(x.getValue()))
                    .append("</td></tr>");
        }
        if (perUri.isEmpty()) {
            h.append("<tr><td colspan=\"2\">none</td></tr>");
        }
        h.append("</table>");
    }

    private static void text(StringBuilder h, double x, double y, String anchor, String escaped, String fill) {
        h.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\"%s>%s</text>", x, y, anchor,
                fill == null ? "" : " fill=\"" + fill + "\"", escaped));
    }

    private static void line(StringBuilder h, double x1, double y1, double x2, double y2, String stroke) {
        h.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"%s\"/>",
                x1, y1, x2, y2, stroke));
    }
}
