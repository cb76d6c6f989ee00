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
        assertEquals(0, Run.judo("scan", "--rules", rules.toString(), "--journal", journal.toString(),
                pcap.toString()).status());
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
