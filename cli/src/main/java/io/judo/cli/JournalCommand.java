package io.judo.cli;

import io.judo.engine.output.EveWriter;
import io.judo.engine.output.JsonWriter;
import io.judo.journal.EventType;
import io.judo.journal.JournalEvent;
import io.judo.journal.JournalReader;
import io.judo.packet.Addresses;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo journal stats|query|tail DIR}: offline analysis of what {@code judo scan --journal} recorded. */
@Command(name = "journal", mixinStandardHelpOptions = true, description = "Analyse a match journal.",
        footer = {"", "Examples:",
            "  judo scan --rules et.rules --journal j caps/*.pcap   record one",
            "  judo journal stats j                        counts by type, rule, hour",
            "  judo journal query j --type drop --format csv",
            "  judo journal report j --html report.html    charts in one page",
            "  judo journal tail -f j                      events as they come"},
        subcommands = {JournalCommand.Stats.class, JournalCommand.Query.class, JournalCommand.Tail.class,
            JournalCommand.Report.class})
final class JournalCommand {
    private JournalCommand() {
    }

    /** A journal time as EVE writes times (the same text, so the two outputs can be compared and joined). */
    static String time(long nanos) {
        return io.judo.engine.output.EveWriter.timestamp(nanos);
    }

    static String address(JournalEvent e, boolean source) {
        if (e.family == 0) {
            return "-";
        }
        return Addresses.format(ByteBuffer.wrap(source ? e.src : e.dst), 0, e.family == 4 ? 4 : 16);
    }

    static JournalReader open(Path dir) {
        try {
            return JournalReader.open(dir);
        } catch (IOException ex) {
            throw new UserError(ex.getMessage());
        }
    }

    /** Rule names from RULE records, and the filters every subcommand shares. */
    static final class Filters {
        @Option(names = "--sid", paramLabel = "N", description = "Only this signature id.")
        Long sid;

        @Option(names = "--type", completionCandidates = Choices.EventTypes.class,
                paramLabel = "T", description = "Only this event type: alert, drop, reject, "
                + "rewrite, remap, anomaly.")
        String type;

        @Option(names = "--src", paramLabel = "CIDR", description = "Only events from these addresses.")
        String src;

        @Option(names = "--dst", paramLabel = "CIDR", description = "Only events to these addresses.")
        String dst;

        @Option(names = "--since", paramLabel = "TIME", description = "Only events at or after TIME (ISO-8601, "
                + "e.g. 2026-11-26T10:00:00Z, or seconds since the epoch).")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "Only events before TIME.")
        String until;

        private EventType wanted;
        private Addresses.Prefix srcPrefix;
        private Addresses.Prefix dstPrefix;
        private long from = Long.MIN_VALUE;
        private long to = Long.MAX_VALUE;

        void prepare() {
            if (type != null) {
                wanted = null;
                for (EventType t : EventType.values()) {
                    if (t != EventType.RULE && t.text().equals(type)) {
                        wanted = t;
                    }
                }
                if (wanted == null) {
                    throw new UserError("--type: alert, drop, reject, rewrite, remap or anomaly, got '" + type + "'");
                }
            }
            srcPrefix = prefix("--src", src);
            dstPrefix = prefix("--dst", dst);
            from = since == null ? Long.MIN_VALUE : instant("--since", since);
            to = until == null ? Long.MAX_VALUE : instant("--until", until);
        }

        private static Addresses.Prefix prefix(String option, String text) {
            if (text == null) {
                return null;
            }
            try {
                return Addresses.parsePrefix(text);
            } catch (IllegalArgumentException e) {
                throw new UserError(option + ": '" + text + "' is not an address or prefix");
            }
        }

        private static long instant(String option, String text) {
            try {
                if (text.matches("\\d+(\\.\\d+)?")) {
                    return (long) (Double.parseDouble(text) * 1e9);
                }
                Instant i = Instant.parse(text);
                return i.getEpochSecond() * 1_000_000_000L + i.getNano();
            } catch (DateTimeParseException | NumberFormatException e) {
                throw new UserError(option + ": '" + text + "' is neither ISO-8601 (2026-11-26T10:00:00Z) nor seconds");
            }
        }

        boolean accept(JournalEvent e) {
            if (e.type == EventType.RULE) {
                return false;
            }
            if (wanted != null && e.type != wanted) {
                return false;
            }
            if (sid != null && e.sid != sid) {
                return false;
            }
            if (e.timeNanos < from || e.timeNanos >= to) {
                return false;
            }
            return in(srcPrefix, e.src, e.family) && in(dstPrefix, e.dst, e.family);
        }

        private static boolean in(Addresses.Prefix p, byte[] address, int family) {
            if (p == null) {
                return true;
            }
            int length = family == 4 ? 4 : family == 6 ? 16 : 0;
            return length == p.address().length && p.contains(ByteBuffer.wrap(address), 0, length);
        }
    }

    /**
     * What a RULE record says of a rule: its message, category and severity (empty and 0 in journals written before
     * rule records carried them).
     */
    record RuleInfo(String msg, String category, int severity) {
        static final RuleInfo NONE = new RuleInfo("", "", 0);

        static RuleInfo of(JournalEvent ruleRecord) {
            return new RuleInfo(ruleRecord.text(), ruleRecord.category(), ruleRecord.severity);
        }
    }

    /** The key of an event's rule in the maps {@link #scan} hands out. */
    static String ruleKey(JournalEvent e) {
        return e.gid + ":" + e.sid;
    }

    /**
     * Reads the whole journal: each accepted event to {@code each} together with the rules met so far by
     * {@link #ruleKey} (RULE records come before the events that use them). Returns the rules.
     */
    static Map<String, RuleInfo> scan(Path dir, Filters filters,
            java.util.function.BiConsumer<JournalEvent, Map<String, RuleInfo>> each) {
        Map<String, RuleInfo> names = new HashMap<>();
        try (JournalReader r = open(dir)) {
            JournalEvent e = new JournalEvent();
            while (r.next(e)) {
                if (e.type == EventType.RULE) {
                    names.put(ruleKey(e), RuleInfo.of(e));
                } else if (filters.accept(e)) {
                    each.accept(e, names);
                }
            }
        }
        return names;
    }

    @Command(name = "stats", mixinStandardHelpOptions = true,
            description = "Events by type, by rule (with its message), by source and destination address and by "
                    + "time bucket; first and last timestamps.",
            footer = {"", "Examples:",
                "  judo journal stats j                        the whole journal",
                "  judo journal stats j --top 3 --type alert   the 3 rules alerting most",
                "  judo journal stats j --since 2026-11-26T10:00:00Z --json | jq .by_rule"})
    static final class Stats implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
        Path dir;

        @Option(names = "--json", description = "One JSON object.")
        boolean json;

        @Option(names = "--top", paramLabel = "N", defaultValue = "10", description = "Entries per ranking "
                + "(default: ${DEFAULT-VALUE}).")
        int top;

        @picocli.CommandLine.Mixin
        Filters filters;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            filters.prepare();
            Map<String, Long> byType = new TreeMap<>();
            Map<String, Long> byRule = new HashMap<>();
            Map<String, Long> bySrc = new HashMap<>();
            Map<String, Long> byDst = new HashMap<>();
            Map<Long, Long> byHour = new TreeMap<>();
            long[] span = {Long.MAX_VALUE, Long.MIN_VALUE, 0};
            Map<String, RuleInfo> names = scan(dir, filters, (e, known) -> {
                byType.merge(e.type.text(), 1L, Long::sum);
                if (e.type != EventType.ANOMALY) {
                    byRule.merge(e.gid + ":" + e.sid, 1L, Long::sum);
                }
                bySrc.merge(address(e, true), 1L, Long::sum);
                byDst.merge(address(e, false), 1L, Long::sum);
                byHour.merge(Math.floorDiv(e.timeNanos, 3_600_000_000_000L), 1L, Long::sum);
                span[0] = Math.min(span[0], e.timeNanos);
                span[1] = Math.max(span[1], e.timeNanos);
                span[2]++;
            });
            PrintWriter out = spec.commandLine().getOut();
            if (json) {
                out.println(json(byType, byRule, bySrc, byDst, byHour, span, names));
            } else {
                out.printf("events     %,d%s%n", span[2], span[2] == 0 ? "" : "  from " + time(span[0]) + " to "
                        + time(span[1]));
                out.println("by type    " + String.join(", ", byType.entrySet().stream()
                        .map(x -> x.getKey() + " " + String.format("%,d", x.getValue())).toList()));
                out.println("by rule");
                for (Map.Entry<String, Long> x : topOf(byRule)) {
                    out.printf("  %,10d  [%s] %s%n", x.getValue(), x.getKey(),
                            names.getOrDefault(x.getKey(), RuleInfo.NONE).msg());
                }
                out.println("by source");
                topOf(bySrc).forEach(x -> out.printf("  %,10d  %s%n", x.getValue(), x.getKey()));
                out.println("by destination");
                topOf(byDst).forEach(x -> out.printf("  %,10d  %s%n", x.getValue(), x.getKey()));
                out.println("by hour");
                byHour.forEach((h, n) -> out.printf("  %,10d  %s%n", n, time(h * 3_600_000_000_000L)
                        .substring(0, 13) + ":00Z"));
            }
            out.flush();
            return 0;
        }

        private List<Map.Entry<String, Long>> topOf(Map<String, Long> m) {
            List<Map.Entry<String, Long>> l = new ArrayList<>(m.entrySet());
            l.sort((a, b) -> b.getValue().equals(a.getValue()) ? a.getKey().compareTo(b.getKey())
                    : Long.compare(b.getValue(), a.getValue()));
            return l.subList(0, Math.min(top, l.size()));
        }

        private String json(Map<String, Long> byType, Map<String, Long> byRule, Map<String, Long> bySrc,
                Map<String, Long> byDst, Map<Long, Long> byHour, long[] span, Map<String, RuleInfo> names) {
            StringBuilder sb = new StringBuilder();
            JsonWriter j = new JsonWriter(sb);
            j.beginObject().name("events").value(span[2]);
            j.name("first").value(span[2] == 0 ? null : time(span[0]));
            j.name("last").value(span[2] == 0 ? null : time(span[1]));
            j.name("by_type").beginObject();
            byType.forEach((k, v) -> j.name(k).value(v));
            j.endObject().name("by_rule").beginArray();
            for (Map.Entry<String, Long> x : topOf(byRule)) {
                String[] gs = x.getKey().split(":");
                j.beginObject().name("gid").value(Long.parseLong(gs[0])).name("sid").value(Long.parseLong(gs[1]))
                        .name("msg").value(names.getOrDefault(x.getKey(), RuleInfo.NONE).msg())
                        .name("events").value(x.getValue())
                        .endObject();
            }
            j.endArray().name("by_source").beginArray();
            topOf(bySrc).forEach(x -> j.beginObject().name("address").value(x.getKey()).name("events")
                    .value(x.getValue()).endObject());
            j.endArray().name("by_destination").beginArray();
            topOf(byDst).forEach(x -> j.beginObject().name("address").value(x.getKey()).name("events")
                    .value(x.getValue()).endObject());
            j.endArray().name("by_hour").beginArray();
            byHour.forEach((h, n) -> j.beginObject().name("hour").value(time(h * 3_600_000_000_000L))
                    .name("events").value(n).endObject());
            j.endArray().endObject();
            return sb.toString();
        }
    }

    @Command(name = "query", mixinStandardHelpOptions = true, description = "The events that pass the filters.",
            footer = {"", "Examples:",
                "  judo journal query j --sid 2002023          one rule's events",
                "  judo journal query j --src 10.0.0.0/8 --format csv > events.csv",
                "  judo journal query j --format eve           EVE lines, as scan --eve",
                "  judo journal query j --format json --since 2026-11-26T10:00:00Z"})
    static final class Query implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
        Path dir;

        @Option(names = "--format", completionCandidates = Choices.QueryFormats.class,
                paramLabel = "F", defaultValue = "table", description = "table, json, csv or "
                + "eve (Suricata EVE alert lines) (default: ${DEFAULT-VALUE}).")
        String format;

        @picocli.CommandLine.Mixin
        Filters filters;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            filters.prepare();
            if (!List.of("table", "json", "csv", "eve").contains(format)) {
                throw new UserError("--format: table, json, csv or eve, got '" + format + "'");
            }
            PrintWriter out = spec.commandLine().getOut();
            if (format.equals("csv")) {
                out.println("time,type,gid,sid,rev,src,sport,dst,dport,proto,flow_id,stream_offset,msg");
            }
            scan(dir, filters, (e, names) -> out.println(format(e, names.getOrDefault(ruleKey(e), RuleInfo.NONE))));
            out.flush();
            return 0;
        }

        private String format(JournalEvent e, RuleInfo rule) {
            String msg = e.type == EventType.ANOMALY ? e.text() : rule.msg();
            switch (format) {
                case "csv":
                    return String.join(",", time(e.timeNanos), e.type.text(), Long.toString(e.gid),
                            Long.toString(e.sid), Long.toString(e.rev), address(e, true), Integer.toString(e.srcPort),
                            address(e, false), Integer.toString(e.dstPort), Integer.toString(e.protocol),
                            Long.toString(e.flowId), Long.toString(e.streamOffset), csv(msg));
                case "json":
                    return json(e, msg);
                case "eve":
                    return eve(e, rule);
                default:
                    return String.format("%s  %-7s %s:%-10d %s:%d -> %s:%d  %s", time(e.timeNanos), e.type.text(),
                            e.gid, e.sid, address(e, true), e.srcPort, address(e, false), e.dstPort, msg);
            }
        }

        private static String csv(String s) {
            return s.contains(",") || s.contains("\"") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
        }

        /**
         * One EVE line, written by the writer {@code scan --eve} uses: an alert the same line as there; a rewrite or
         * remap an alert with judo's {@code rewrite} / {@code remap} object; an anomaly Suricata's anomaly event.
         */
        private static String eve(JournalEvent e, RuleInfo rule) {
            StringBuilder sb = new StringBuilder(256);
            JsonWriter j = new JsonWriter(sb);
            if (e.type == EventType.ANOMALY) {
                EveWriter.anomaly(j, e.timeNanos, e.flowId, address(e, true), e.srcPort, address(e, false), e.dstPort,
                        e.protocol, e.text(), e.streamOffset);
            } else {
                EveWriter.alert(j, new EveWriter.Fields(e.timeNanos, e.flowId, address(e, true), e.srcPort,
                        address(e, false), e.dstPort, e.protocol, e.type == EventType.DROP
                                || e.type == EventType.REJECT, e.gid, e.sid, e.rev, rule.msg(), rule.category(),
                        rule.severity(), e.streamOffset, e.excerpt, e.excerptLength));
                edit(j, e);
                if (e.httpLength > 0) {
                    j.members(e.http()); // the alert line's tx_id, app_proto and http object, kept as written
                }
            }
            j.endObject();
            return sb.toString();
        }

        /** A rewrite's or remap's before and after (and a rewrite's length change); nothing for other events. */
        private static void edit(JsonWriter j, JournalEvent e) {
            if (e.type == EventType.REMAP || e.type == EventType.REWRITE) {
                j.name(e.type == EventType.REMAP ? "remap" : "rewrite").beginObject()
                        .name("before").value(new String(e.before, 0, e.beforeLength,
                                java.nio.charset.StandardCharsets.ISO_8859_1))
                        .name("after").value(new String(e.after, 0, e.afterLength,
                                java.nio.charset.StandardCharsets.ISO_8859_1));
                if (e.type == EventType.REWRITE) {
                    j.name("delta").value(e.delta);
                }
                j.endObject();
            }
        }

        /** One JSON line in judo's own form: the event's type as event_type, the stream offset always. */
        private static String json(JournalEvent e, String msg) {
            StringBuilder sb = new StringBuilder(256);
            JsonWriter j = new JsonWriter(sb);
            j.beginObject().name("timestamp").value(time(e.timeNanos)).name("flow_id").value(e.flowId);
            j.name("event_type").value(e.type.text());
            j.name("src_ip").value(address(e, true)).name("src_port").value(e.srcPort);
            j.name("dest_ip").value(address(e, false)).name("dest_port").value(e.dstPort);
            j.name("proto").value(e.protocol == 6 ? "TCP" : e.protocol == 17 ? "UDP" : e.protocol == 1 ? "ICMP"
                    : String.valueOf(e.protocol));
            if (e.type == EventType.ANOMALY) {
                j.name("anomaly").beginObject().name("event").value(e.text()).name("stream_offset")
                        .value(e.streamOffset).endObject();
            } else {
                j.name("alert").beginObject()
                        .name("action").value(e.type == EventType.ALERT || e.type == EventType.REWRITE
                                || e.type == EventType.REMAP ? "allowed" : "blocked")
                        .name("gid").value(e.gid).name("signature_id").value(e.sid).name("rev").value(e.rev)
                        .name("signature").value(msg).endObject();
            }
            j.name("stream_offset").value(e.streamOffset);
            edit(j, e); // what changed: endpoints for a remap, bytes and the length change for a rewrite
            if (e.httpLength > 0) {
                j.members(e.http());
            }
            if (e.excerptLength > 0) {
                j.name("payload").value(Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(e.excerpt,
                        e.excerptLength)));
            }
            j.endObject();
            return sb.toString();
        }
    }

    @Command(name = "report", mixinStandardHelpOptions = true,
            description = "Write a self-contained HTML page with charts: events over time (alerts, blocks, "
                    + "rewrites and anomalies, bucketed to at most 60 bars), top rules coloured by action, top talkers, "
                    + "anomalies and rewrites.",
            footer = {"", "Examples:",
                "  judo journal report j --html report.html    the whole journal",
                "  judo journal report j --html web.html --dst 192.0.2.0/24 --type alert"})
    static final class Report implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
        Path dir;

        @Option(names = "--html", paramLabel = "OUT.html", required = true, description = "The page to write.")
        Path html;

        @picocli.CommandLine.Mixin
        Filters filters;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() {
            filters.prepare();
            String page = JournalReport.html(dir, filters);
            try {
                java.nio.file.Files.writeString(html, page);
            } catch (IOException e) {
                throw new UserError(html + ": " + RuleOptions.describe(e));
            }
            spec.commandLine().getOut().println("wrote " + html);
            return 0;
        }
    }

    @Command(name = "tail", mixinStandardHelpOptions = true,
            description = "Print events as they are appended (from the end; --follow keeps waiting).",
            footer = {"", "Examples:",
                "  judo journal tail j                         the last 10 events",
                "  judo journal tail -n 50 -f j                50, then new ones to Ctrl-C"})
    static final class Tail implements Callable<Integer> {
        @Parameters(index = "0", paramLabel = "DIR", description = "The journal directory.")
        Path dir;

        @Option(names = {"-f", "--follow"}, description = "Keep waiting for new events until interrupted.")
        boolean follow;

        @Option(names = "-n", paramLabel = "N", defaultValue = "10", description = "Print the last N events first "
                + "(default: ${DEFAULT-VALUE}).")
        int last;

        @Spec
        picocli.CommandLine.Model.CommandSpec spec;

        @Override
        public Integer call() throws InterruptedException {
            PrintWriter out = spec.commandLine().getOut();
            Filters none = new Filters();
            none.prepare();
            Query q = new Query();
            q.format = "table";
            java.util.ArrayDeque<String> recent = new java.util.ArrayDeque<>();
            Map<String, RuleInfo> names = new HashMap<>();
            try (JournalReader r = open(dir)) {
                JournalEvent e = new JournalEvent();
                while (r.next(e)) {
                    if (e.type == EventType.RULE) {
                        names.put(ruleKey(e), RuleInfo.of(e));
                    } else {
                        recent.addLast(q.format(e, names.getOrDefault(ruleKey(e), RuleInfo.NONE)));
                        if (recent.size() > last) {
                            recent.removeFirst();
                        }
                    }
                }
                recent.forEach(out::println);
                out.flush();
                while (follow) {
                    if (r.next(e)) {
                        if (e.type == EventType.RULE) {
                            names.put(ruleKey(e), RuleInfo.of(e));
                        } else {
                            out.println(q.format(e, names.getOrDefault(ruleKey(e), RuleInfo.NONE)));
                            out.flush();
                        }
                    } else {
                        Thread.sleep(50);
                    }
                }
            }
            return 0;
        }
    }
}
