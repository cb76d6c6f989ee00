package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo scan --profile-rules}: the profile's checks are the rule checks the summary counts on its own, per
 * rule they add up to that count whatever the number of workers, the rules come slowest first with the alerts the
 * summary gives them, {@code --profile-top} bounds the list, and without the option there is no profile.
 */
class ProfileRulesTest {
    @TempDir
    Path dir;

    @SuppressWarnings("unchecked")
    private static Map<String, Object> scan(String... args) {
        Run r = Run.judo(args);
        assertEquals(0, r.status(), r.err());
        return (Map<String, Object>) Json.parse(r.out());
    }

    @Test
    @SuppressWarnings("unchecked")
    void profileCountsTheSummarysChecksPerRuleSlowestFirst() throws Exception {
        Path pcap = dir.resolve("g.pcap");
        assertEquals(0, Run.judo("generate", "--packets", "3000", "--seed", "7", "--out", pcap.toString()).status());
        Path rules = Files.writeString(dir.resolve("p.rules"), String.join("\n",
                "alert tcp any any -> any any (msg:\"every chunk\"; flow:established; sid:1;)",
                "alert tcp any any -> any any (msg:\"GET\"; content:\"GET \"; sid:2;)",
                "alert tcp any any -> any any (msg:\"pcre\"; content:\"HTTP/1.\"; pcre:\"/^[A-Z]+ \\/[^ ]*a[^ ]*b/m\";"
                        + " sid:3;)",
                "alert udp any any -> any any (msg:\"udp\"; dsize:>0; sid:4;)", ""));
        for (String workers : List.of("1", "2")) {
            Map<String, Object> j = scan("scan", "--json", "--workers", workers, "--profile-rules", "--rules",
                    rules.toString(), pcap.toString());
            long checks = (Long) ((Map<String, Object>) j.get("checks")).get("run");
            Map<String, Object> profile = (Map<String, Object>) j.get("profile");
            assertEquals(checks, profile.get("checks"), workers + " workers");
            List<Map<String, Object>> slowest = (List<Map<String, Object>>) profile.get("slowest");
            assertEquals(checks, slowest.stream().mapToLong(m -> (Long) m.get("checks")).sum(), "all four listed");
            assertEquals(4, slowest.size());
            for (int i = 1; i < slowest.size(); i++) {
                assertTrue(((Number) slowest.get(i - 1).get("seconds")).doubleValue()
                        >= ((Number) slowest.get(i).get("seconds")).doubleValue(), slowest.toString());
            }
            Map<Long, Object> alerts = new HashMap<>();
            for (Object o : (List<Object>) ((Map<String, Object>) j.get("alerts")).get("by_rule")) {
                Map<String, Object> m = (Map<String, Object>) o;
                alerts.put((Long) m.get("sid"), m.get("alerts"));
            }
            assertFalse(alerts.isEmpty());
            for (Map<String, Object> m : slowest) {
                long a = (Long) m.get("alerts");
                assertEquals(alerts.getOrDefault((Long) m.get("sid"), 0L), a, m.toString());
                assertTrue(a <= (Long) m.get("checks"), m.toString());
                // the slowest check is at least the mean and at most the whole (one check, at most, is all of it)
                double seconds = ((Number) m.get("seconds")).doubleValue();
                double max = ((Number) m.get("max_check_seconds")).doubleValue();
                long n = (Long) m.get("checks");
                assertTrue(max <= seconds + 1e-12 && (n == 0 || max >= seconds / n - 1e-12), m.toString());
                assertTrue(n == 0 || max > 0, m.toString());
            }
        }
        Map<String, Object> two = scan("scan", "--json", "--profile-rules", "--profile-top", "2", "--rules",
                rules.toString(), pcap.toString());
        assertEquals(2, ((List<Object>) ((Map<String, Object>) two.get("profile")).get("slowest")).size());
        assertNull(scan("scan", "--json", "--rules", rules.toString(), pcap.toString()).get("profile"));

        Run text = Run.judo("scan", "--profile-rules", "--rules", rules.toString(), pcap.toString());
        assertEquals(0, text.status(), text.err());
        assertTrue(text.out().contains("the 4 slowest rules:"), text.out());
        assertTrue(text.out().contains("] every chunk"), text.out());
        Run bad = Run.judo("scan", "--profile-rules", "--profile-top", "0", "--rules", rules.toString(),
                pcap.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("--profile-top: a number of rules, 1 or more, got 0"), bad.err());
    }
}
