package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * suricata.yaml's {@code app-layer.protocols.NAME.enabled}: a protocol switched off is not parsed, so its
 * transaction rules never alert and it writes no records, while packet and stream rules go on. The oracle is the
 * demo's rule file: its {@code alert http} rules (sids 9000008, 9000009, 9000010, 9000014) need the HTTP parser, its
 * {@code alert tls} rule (9000011) the TLS parser, the others none.
 */
class AppLayerSwitchTest {
    @TempDir
    Path dir;

    private static final List<String> HTTP_RULES = List.of("9000008", "9000009", "9000010", "9000014");

    @Test
    void aProtocolSwitchedOffIsNotParsedAndItsRulesDoNotAlert() throws Exception {
        Path eve = dir.resolve("eve.json");
        Path yaml = dir.resolve("suricata.yaml");
        Files.writeString(yaml, "%YAML 1.1\n---\napp-layer:\n  protocols:\n    http:\n      enabled: no\n"
                + "    tls:\n      enabled: yes\n");
        Run r = Run.judo("scan", "-c", yaml.toString(), "--eve", eve.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("http       0 flows"), r.out());
        assertTrue(r.out().contains("alerts     11"), r.out());
        for (String sid : HTTP_RULES) {
            assertFalse(r.out().contains("[1:" + sid + ":1]"), sid + " in " + r.out());
        }
        assertTrue(r.out().contains("[1:9000011:1]") && r.out().contains("[1:9000002:1]"), r.out());
        List<String> lines = Files.readAllLines(eve);
        assertTrue(lines.stream().noneMatch(l -> l.contains("\"event_type\":\"http\"")), "no http records");
        // the HTTP connection's flow record: detection gave up on it
        assertTrue(lines.stream().anyMatch(l -> l.contains("\"event_type\":\"flow\"") && l.contains("\"dest_port\":80")
                && l.contains("\"app_proto\":\"failed\"")), "failed app_proto");

        Run tls = Run.judo("scan", "--set", "app-layer.protocols.tls.enabled=no");
        assertTrue(tls.out().contains("alerts     14") && !tls.out().contains("[1:9000011:1]"), tls.out());
        Run only = Run.judo("scan", "--set", "app-layer.protocols.http.enabled=detection-only");
        assertTrue(only.err().contains("app-layer.protocols.http.enabled: detection-only is read as no"), only.err());
        Run bad = Run.judo("scan", "--set", "app-layer.protocols.tls.enabled=maybe");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("app-layer.protocols.tls.enabled: expected yes or no, got 'maybe'"), bad.err());
    }

    @Test
    void libhtpsBodyLimitCutsWhatFileDataSees() throws Exception {
        // The demo page's body reaches "illustrative examples" at bytes 77-98 (tshark's http.file_data of the demo):
        // a 64-byte response body limit keeps it out of file.data, so sid 9000009 cannot match; 0 is unlimited.
        String key = "app-layer.protocols.http.libhtp.default-config.response-body-limit";
        Path yaml = dir.resolve("suricata.yaml");
        Files.writeString(yaml, "%YAML 1.1\n---\napp-layer:\n  protocols:\n    http:\n      libhtp:\n"
                + "        default-config:\n          response-body-limit: 64\n          personality: IDS\n");
        Run cut = Run.judo("scan", "-c", yaml.toString());
        assertEquals(0, cut.status(), cut.err());
        assertFalse(cut.out().contains("[1:9000009:1]"), cut.out());
        assertTrue(cut.err().contains("suricata.yaml:9: app-layer.protocols.http.libhtp.default-config.personality: "
                + "not used by judo"), cut.err());
        Run whole = Run.judo("scan", "-c", yaml.toString(), "--set", key + "=0");
        assertTrue(whole.out().contains("[1:9000009:1]"), whole.out());
        Run bad = Run.judo("scan", "--set", "app-layer.protocols.http.libhtp.default-config.max-tx=many");
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("max-tx: expected a number, got 'many'"), bad.err());
    }
}
