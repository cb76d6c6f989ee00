package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.testing.SharedData;
import io.judo.rules.RuleError;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Parse coverage of the real public rule sets: every enabled rule of ET Open and the Snort community set either loads
 * or is skipped for a named unsupported keyword; none fails for any other reason.
 */
class RuleCoverageTest {
    private static RuleLoader loadAll(String set) throws IOException {
        Path dir = SharedData.dir().resolve("rules/" + set);
        RuleLoader loader = new RuleLoader(Variables.defaults(), null, false);
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".rules")).sorted().toList();
        }
        for (Path f : files) {
            loader.load(f);
        }
        return loader;
    }

    private static void check(String set, int minLoaded) throws IOException {
        RuleLoader l = loadAll(set);
        String errors = l.errors().stream().limit(20).map(RuleError::display).collect(Collectors.joining("\n"));
        System.out.printf("%s: %d loaded, %d skipped, %d errors; skipped by keyword: %s%n", set, l.rules().size(),
                l.skipped(), l.errors().size(), l.skips().values().stream()
                        .sorted((a, b) -> b.count() - a.count()).limit(12)
                        .map(s -> s.keyword() + "=" + s.count()).collect(Collectors.joining(", ")));
        assertTrue(l.errors().isEmpty(), l.errors().size() + " rules failed to parse:\n" + errors);
        assertTrue(l.rules().size() >= minLoaded, "only " + l.rules().size() + " rules loaded");
    }

    @Test
    void everyEtOpenRuleLoadsOrIsSkippedForANamedKeyword() throws IOException {
        check("et-open", 1000);
    }

    @Test
    void everySnortCommunityRuleLoadsOrIsSkippedForANamedKeyword() throws IOException {
        check("snort2-community", 100);
    }
}
