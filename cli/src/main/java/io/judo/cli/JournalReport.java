package io.judo.cli;

import io.judo.journal.EventType;
import io.judo.journal.JournalEvent;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * {@code judo journal report DIR --html OUT.html}: one self-contained page (inline CSS and SVG, no scripts, nothing
 * fetched) with events over time, top rules, top talkers and the rewrite and anomaly counts.
 */
final class JournalReport {
    private static final String BAR = "#2b6cb0";
    private static final String BLOCKED = "#c53030";
    private static final int TOP = 10;

    private final Map<Long, long[]> perBucket = new TreeMap<>(); // bucket -> [allowed, blocked]
    private final Map<String, Long> perRule = new HashMap<>();
    private final Map<String, Long> perSource = new HashMap<>();
    private final Map<String, Long> perType = new TreeMap<>();
    private long first = Long.MAX_VALUE;
    private long last = Long.MIN_VALUE;
    private long events;
    private Map<String, String> names = Map.of();

    static String html(Path dir, JournalCommand.Filters filters) {
        JournalReport r = new JournalReport();
        List<JournalEvent> all = new ArrayList<>();
        r.names = JournalCommand.scan(dir, filters, (e, names) -> all.add(new JournalEvent().set(e)));
        long bucket = r.bucketFor(all);
        for (JournalEvent e : all) {
            r.add(e, bucket);
        }
        return r.render(bucket);
    }

    /** Bucket width so that the time axis has at most about 60 bars: a second, minute, hour or day. */
    private long bucketFor(List<JournalEvent> all) {
        for (JournalEvent e : all) {
            first = Math.min(first, e.timeNanos);
            last = Math.max(last, e.timeNanos);
        }
        long span = all.isEmpty() ? 0 : last - first;
        for (long width : new long[] {1_000_000_000L, 60_000_000_000L, 3_600_000_000_000L, 86_400_000_000_000L}) {
            if (span / width < 60) {
                return width;
            }
        }
        return 86_400_000_000_000L * 7;
    }

    private void add(JournalEvent e, long bucket) {
        events++;
        boolean blocked = e.type == EventType.DROP || e.type == EventType.REJECT;
        perBucket.computeIfAbsent(Math.floorDiv(e.timeNanos, bucket), k -> new long[2])[blocked ? 1 : 0]++;
        perType.merge(e.type.text(), 1L, Long::sum);
        if (e.type != EventType.ANOMALY) {
            String key = e.gid + ":" + e.sid;
            perRule.merge(key, 1L, Long::sum);
        }
        perSource.merge(JournalCommand.address(e, true), 1L, Long::sum);
    }

    private static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    private static List<Map.Entry<String, Long>> top(Map<String, Long> m) {
        List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
        l.sort((a, b) -> b.getValue().equals(a.getValue()) ? a.getKey().compareTo(b.getKey())
                : Long.compare(b.getValue(), a.getValue()));
        return l.subList(0, Math.min(TOP, l.size()));
    }

    private String render(long bucket) {
        StringBuilder h = new StringBuilder(16_384);
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>Judo journal report</title>")
                .append("<style>body{font:14px sans-serif;margin:24px;color:#1a202c}h1{font-size:20px}")
                .append("h2{font-size:16px;margin-top:28px}svg{display:block;margin:8px 0}")
                .append("table{border-collapse:collapse}td{padding:2px 10px 2px 0}.n{text-align:right}</style>")
                .append("</head><body><h1>Judo journal report</h1>");
        h.append("<p id=\"summary\">").append(String.format("%,d", events)).append(" events");
        if (events > 0) {
            h.append(" from ").append(JournalCommand.time(first)).append(" to ").append(JournalCommand.time(last));
        }
        h.append(". By type: ");
        List<String> types = new ArrayList<>();
        perType.forEach((k, v) -> types.add(esc(k) + " " + String.format("%,d", v)));
        h.append(types.isEmpty() ? "none" : String.join(", ", types)).append(".</p>");
        timeChart(h, bucket);
        barChart(h, "top-rules", "Top rules", top(perRule), k -> "[" + k + "] " + names.getOrDefault(k, ""));
        barChart(h, "top-talkers", "Top talkers (sources)", top(perSource), k -> k);
        h.append("<h2>Rewrites and anomalies</h2><table id=\"rewrites\">");
        for (String t : List.of("rewrite", "remap", "anomaly")) {
            h.append("<tr><td>").append(t).append("</td><td class=\"n\">")
                    .append(String.format("%,d", perType.getOrDefault(t, 0L))).append("</td></tr>");
        }
        h.append("</table></body></html>\n");
        return h.toString();
    }

    /** Events per time bucket as stacked bars (allowed below, blocked above). */
    private void timeChart(StringBuilder h, long bucket) {
        h.append("<h2>Events over time</h2>");
        int width = 900;
        int height = 220;
        long max = 1;
        for (long[] v : perBucket.values()) {
            max = Math.max(max, v[0] + v[1]);
        }
        long firstBucket = perBucket.isEmpty() ? 0 : ((TreeMap<Long, long[]>) perBucket).firstKey();
        long lastBucket = perBucket.isEmpty() ? 0 : ((TreeMap<Long, long[]>) perBucket).lastKey();
        int n = (int) (lastBucket - firstBucket + 1);
        double barWidth = (width - 60) / (double) Math.max(1, n);
        h.append("<svg id=\"events-over-time\" width=\"").append(width).append("\" height=\"").append(height + 30)
                .append("\">")
                .append("<line x1=\"50\" y1=\"").append(height).append("\" x2=\"").append(width).append("\" y2=\"")
                .append(height).append("\" stroke=\"#4a5568\"/>")
                .append("<text x=\"0\" y=\"14\">").append(max).append("</text>")
                .append("<text x=\"0\" y=\"").append(height).append("\">0</text>");
        for (Map.Entry<Long, long[]> x : perBucket.entrySet()) {
            double left = 55 + (x.getKey() - firstBucket) * barWidth;
            double allowed = (height - 10) * x.getValue()[0] / (double) max;
            double blocked = (height - 10) * x.getValue()[1] / (double) max;
            rect(h, left, height - allowed, Math.max(1, barWidth - 2), allowed, BAR);
            rect(h, left, height - allowed - blocked, Math.max(1, barWidth - 2), blocked, BLOCKED);
        }
        String unit = bucket == 1_000_000_000L ? "second" : bucket == 60_000_000_000L ? "minute"
                : bucket == 3_600_000_000_000L ? "hour" : "day";
        h.append("<text x=\"55\" y=\"").append(height + 20).append("\">per ").append(unit).append(", from ")
                .append(events == 0 ? "-" : JournalCommand.time(first)).append(" (blue allowed, red blocked)</text>")
                .append("</svg>");
    }

    private void barChart(StringBuilder h, String id, String title, List<Map.Entry<String, Long>> rows,
            java.util.function.Function<String, String> label) {
        h.append("<h2>").append(title).append("</h2>");
        int row = 24;
        int height = Math.max(1, rows.size()) * row;
        long max = rows.isEmpty() ? 1 : rows.get(0).getValue();
        h.append("<svg id=\"").append(id).append("\" width=\"1200\" height=\"").append(height)
                .append("\">");
        for (int i = 0; i < rows.size(); i++) {
            Map.Entry<String, Long> x = rows.get(i);
            double w = 400.0 * x.getValue() / max;
            rect(h, 0, i * row + 3, Math.max(1, w), row - 6, BAR);
            h.append("<text x=\"").append((int) w + 8).append("\" y=\"").append(i * row + 17).append("\">")
                    .append(String.format("%,d", x.getValue())).append("  ").append(esc(label.apply(x.getKey())))
                    .append("</text>");
        }
        if (rows.isEmpty()) {
            h.append("<text x=\"0\" y=\"17\">no events</text>");
        }
        h.append("</svg>");
    }

    private static void rect(StringBuilder h, double x, double y, double w, double height, String fill) {
        if (height <= 0) {
            return;
        }
        h.append(String.format(java.util.Locale.ROOT,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"%s\"/>", x, y, w, height, fill));
    }
}
