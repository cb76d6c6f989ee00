package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.testing.ExternalTools;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML report renders in headless Chromium: the page is screenshot and the charts' bar colours are counted in
 * the image (drawn, not just present in the markup), and the rendered DOM holds one bar per ranked rule and talker.
 */
class JournalReportTest {
    @TempDir
    Path dir;

    /** The host table counts HTTP transactions only: a DNS or tunnel alert's members name no host. */
    @Test
    void onlyHttpTransactionsCountAsHosts() {
        JournalReport r = new JournalReport();
        io.judo.journal.JournalEvent e = new io.judo.journal.JournalEvent();
        e.addresses(new byte[] {10, 0, 0, 1}, new byte[] {10, 0, 0, 2});
        e.http("\"tx_id\":0,\"app_proto\":\"http\",\"http\":{\"hostname\":\"example.com\",\"url\":\"/a\"}");
        r.add(e);
        e.http("\"tx_id\":1,\"app_proto\":\"http\",\"http\":{\"url\":\"/b\"}");
        r.add(e);
        e.http("\"tx_id\":0,\"app_proto\":\"dns\",\"dns\":{\"query\":[{\"rrname\":\"example.com\"}]}");
        r.add(e);
        e.http("\"pkt_src\":\"gre tunnel\",\"tunnel\":{\"src_ip\":\"192.0.2.1\",\"depth\":1}");
        r.add(e);
        assertEquals(java.util.Map.of("example.com", 1L, "(no host)", 1L), r.hosts());
    }

    @Test
    void headlessChromiumDrawsTheCharts() throws Exception {
        ExternalTools.require("chromium");
        Path pcap = dir.resolve("mix.pcap");
        assertEquals(0, Run.judo("generate", "--packets", "4000", "--seed", "5", "--out", pcap.toString()).status());
        Path rules = dir.resolve("r.rules");
        Files.writeString(rules, "alert tcp any any -> any any (msg:\"syn\"; flags:S; sid:1;)\n"
                + "drop udp any any -> any 53 (msg:\"dns\"; sid:2;)\n"
                + "alert icmp any any -> any any (msg:\"echo\"; itype:8; sid:3;)\n");
        Path journal = dir.resolve("journal");
        // IPS mode: the drop rule's alerts are drops (in IDS mode a drop rule only alerts, as in Suricata)
        assertEquals(0, Run.judo("scan", "--simulate-ips", "--rules", rules.toString(), "--journal",
                journal.toString(), pcap.toString()).status());
        Path html = dir.resolve("report.html");
        Run r = Run.judo("journal", "report", journal.toString(), "--html", html.toString());
        assertEquals(0, r.status(), r.err());
        String page = Files.readString(html);
        assertTrue(!page.contains("<script") && !page.contains("http://") && !page.contains("https://"),
                "self-contained: no scripts, nothing fetched");

        Path png = dir.resolve("report.png");
        ExternalTools.run("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1200,1400", "--screenshot=" + png, html.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        long blue = count(image, 0x2b6cb0);
        long red = count(image, 0xc53030);
        assertTrue(blue > 5_000, "allowed bars drawn: " + blue + " blue pixels");
        assertTrue(red > 200, "blocked (drop) bars drawn: " + red + " red pixels");

        String dom = ExternalTools.run("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                html.toUri().toString());
        String rulesChart = dom.substring(dom.indexOf("id=\"top-rules\""), dom.indexOf("</svg>",
                dom.indexOf("id=\"top-rules\"")));
        assertEquals(3, rulesChart.split("<rect").length - 1, "one bar per rule");
        assertTrue(dom.contains("id=\"events-over-time\"") && dom.contains("id=\"top-talkers\""), "all charts");
    }

    /**
     * A journal spanning 2009 to 2024 (as the shared captures do): far more anomalies than alerts, drop and reject
     * rules, rewrites. The report buckets by year (at most 60 bars, dated ticks), draws the four series in their own
     * lanes under a legend, colours rules by action, and keeps the anomalies' source out of the top talkers.
     */
    @Test
    void aJournalSpanningYearsIsBucketedLabelledAndSplitBySeries() throws Exception {
        ExternalTools.require("chromium");
        Path journal = dir.resolve("years");
        long y2009 = java.time.Instant.parse("2009-11-18T20:58:04Z").getEpochSecond() * 1_000_000_000L;
        long y2024 = java.time.Instant.parse("2024-10-28T19:51:13Z").getEpochSecond() * 1_000_000_000L;
        try (io.judo.journal.JournalWriter w = io.judo.journal.JournalWriter.open(journal,
                io.judo.journal.JournalWriter.Roll.DAILY, io.judo.journal.JournalWriter.Retention.KEEP_ALL)) {
            io.judo.journal.JournalEvent e = new io.judo.journal.JournalEvent();
            w.rule(1, 100, 1, "an alert rule", "Misc activity", 3);
            w.rule(1, 200, 1, "a drop rule", "", 1);
            w.rule(1, 300, 1, "a reject rule", "", 1);
            for (int i = 0; i < 706; i++) { // gaps of one capture cut at 96 bytes, in 2013
                event(w, e, io.judo.journal.EventType.ANOMALY, y2009 + 4 * 365 * 86_400_000_000_000L + i, 0,
                        new byte[] {(byte) 192, (byte) 168, 2, 20});
            }
            for (int i = 0; i < 20; i++) {
                event(w, e, io.judo.journal.EventType.ALERT, i % 2 == 0 ? y2009 + i : y2024 - i, 100,
                        new byte[] {10, 0, 0, 1});
            }
            event(w, e, io.judo.journal.EventType.DROP, y2009 + 1_000, 200, new byte[] {10, 0, 0, 2});
            event(w, e, io.judo.journal.EventType.REJECT, y2024, 300, new byte[] {10, 0, 0, 3});
            event(w, e, io.judo.journal.EventType.REWRITE, y2024 - 5, 100, new byte[] {10, 0, 0, 1});
        }
        Path html = dir.resolve("years.html");
        Run r = Run.judo("journal", "report", journal.toString(), "--html", html.toString());
        assertEquals(0, r.status(), r.err());
        String dom = ExternalTools.run("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                html.toUri().toString());
        String chart = section(dom, "id=\"events-over-time\"", "</svg>");
        java.util.regex.Matcher bars = java.util.regex.Pattern.compile("data-bars=\"(\\d+)\"").matcher(chart);
        assertTrue(bars.find(), chart);
        int n = Integer.parseInt(bars.group(1));
        assertTrue(n >= 2 && n <= JournalReport.MAX_BARS, n + " bars");
        assertTrue(chart.contains("data-bucket=\"year\""), "2009 to 2024 in years");
        assertTrue(chart.contains(">2009<") && chart.contains(">2013<") && chart.contains("events per year"),
                "dated ticks and an axis title: " + chart);
        for (String series : new String[] {"alerts", "blocks", "rewrites", "anomalies"}) {
            assertTrue(chart.contains("class=\"lane\" data-series=\"" + series + "\""), "a lane for " + series);
        }
        String legend = section(dom, "id=\"legend\"", "</p>");
        assertTrue(legend.contains("alerts 20") && legend.contains("blocks (drop, reject) 2")
                && legend.contains("rewrites (rewrite, remap) 1") && legend.contains("anomalies (stream events) 706"),
                legend);
        String talkers = section(dom, "id=\"top-talkers\"", "</svg>");
        assertTrue(talkers.contains("10.0.0.1") && !talkers.contains("192.168.2.20"), "anomalies are no talkers");
        String anomalies = section(dom, "id=\"anomalies\"", "</table>");
        assertTrue(anomalies.contains("gap") && anomalies.contains("706") && anomalies.contains("192.168.2.20"),
                anomalies);
        String rules = section(dom, "id=\"top-rules\"", "</svg>");
        assertEquals(2, rules.split("fill=\"" + JournalReport.Series.BLOCKS.colour + "\"").length - 1,
                "drop and reject rules in the blocking colour: " + rules);
        assertTrue(rules.contains("fill=\"" + JournalReport.Series.REWRITES.colour + "\""), "the rewriting rule");

        Path png = dir.resolve("years.png");
        ExternalTools.run("chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                "--window-size=1400,2000", "--screenshot=" + png, html.toUri().toString());
        BufferedImage image = ImageIO.read(png.toFile());
        assertTrue(count(image, 0xb7791f) > 1_000, "the anomaly lane is drawn in its own colour");
        assertTrue(count(image, 0x2b6cb0) > 1_000, "alerts are drawn, not flattened by the anomalies");
    }

    private static void event(io.judo.journal.JournalWriter w, io.judo.journal.JournalEvent e,
            io.judo.journal.EventType type, long time, long sid, byte[] src) {
        e.clear();
        e.type = type;
        e.timeNanos = time;
        e.flowId = sid + 1;
        e.addresses(src, new byte[] {10, 9, 9, 9});
        e.protocol = 6;
        e.srcPort = 40000;
        e.dstPort = 80;
        if (type == io.judo.journal.EventType.ANOMALY) {
            e.text("gap");
        } else {
            e.gid = 1;
            e.sid = sid;
            e.rev = 1;
        }
        w.append(e);
    }

    private static String section(String dom, String start, String end) {
        int from = dom.indexOf(start);
        assertTrue(from >= 0, "no " + start);
        return dom.substring(from, dom.indexOf(end, from));
    }

    private static long count(BufferedImage image, int rgb) {
        long n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                if ((image.getRGB(x, y) & 0xffffff) == rgb) {
                    n++;
                }
            }
        }
        return n;
    }
}
