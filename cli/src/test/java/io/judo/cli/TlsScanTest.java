package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.testing.ExternalTools;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo scan --eve} over the demo's TLS handshake, with tshark's reading of the same bytes as the oracle: the
 * alert of a {@code tls.sni} rule carries the {@code tls} object, and the session's {@code event_type: "tls"} line has
 * the SNI, the version, JA3 and JA3S as tshark computes them; {@code --eve-types} without {@code tls} leaves the line
 * out.
 */
class TlsScanTest {
    @TempDir
    Path dir;

    private static String tshark(Path pcap, String filter, String field) throws Exception {
        return ExternalTools.run("tshark", "-n", "-r", pcap.toString(), "-Y", filter, "-T", "fields", "-e", field)
                .strip();
    }

    @Test
    void eveTlsLineAndAlertAgreeWithTshark() throws Exception {
        ExternalTools.require("tshark");
        Path demo = dir.resolve("demo.pcap");
        Files.write(demo, DemoCapture.bundled());
        String sni = tshark(demo, "tls.handshake.type == 1", "tls.handshake.extensions_server_name");
        String ja3 = tshark(demo, "tls.handshake.type == 1", "tls.handshake.ja3");
        String ja3s = tshark(demo, "tls.handshake.type == 2", "tls.handshake.ja3s");
        assertEquals("www.example.org", sni);
        Path rules = dir.resolve("tls.rules");
        Files.writeString(rules, "alert tls any any -> any any (msg:\"demo sni\"; tls.sni; content:\"" + sni
                + "\"; bsize:" + sni.length() + "; sid:7; rev:1;)\n"
                + "alert tls any any -> any any (msg:\"demo ja3\"; ja3.hash; content:\"" + ja3 + "\"; sid:8; rev:1;)\n");
        Path eve = dir.resolve("eve.json");
        Run r = Run.judo("scan", "--rules", rules.toString(), "--eve", eve.toString(), "--eve-types", "alert,tls",
                demo.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("tls        1 flows, 1 handshakes, 0 events"), r.out());
        assertTrue(r.out().contains("alerts     2"), r.out());
        List<String> lines = Files.readAllLines(eve);
        assertEquals(3, lines.size(), String.join("\n", lines));
        for (String alert : lines.subList(0, 2)) {
            assertTrue(alert.contains("\"event_type\":\"alert\"") && alert.contains("\"app_proto\":\"tls\",\"tls\":{"
                    + "\"sni\":\"" + sni + "\",\"version\":\"TLS 1.2\",\"ja3\":{\"hash\":\"" + ja3 + "\""), alert);
        }
        String tls = lines.get(2);
        assertTrue(tls.contains("\"event_type\":\"tls\",\"src_ip\":\"192.168.1.10\",\"src_port\":49160,"
                + "\"dest_ip\":\"93.184.216.34\",\"dest_port\":443"), tls);
        assertTrue(tls.contains("\"sni\":\"" + sni + "\",\"version\":\"TLS 1.2\""), tls);
        assertTrue(tls.contains("\"ja3s\":{\"hash\":\"" + ja3s + "\""), tls);

        Path alertsOnly = dir.resolve("alerts.json");
        Run a = Run.judo("scan", "--rules", rules.toString(), "--eve", alertsOnly.toString(), "--eve-types", "alert",
                demo.toString());
        assertEquals(0, a.status(), a.err());
        assertEquals(2, Files.readAllLines(alertsOnly).size());
    }
}
