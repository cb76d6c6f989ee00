package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.RuleError;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** A large file, parsed on two threads, loads exactly as the same rules loaded one at a time. */
class RuleLoaderTest {

    /** 1,500 rules: good ones, a duplicate of a sid from the first half, errors and skips in both halves. */
    private static List<String> rules() {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < 1_500; i++) {
            int sid = 1_000 + i;
            if (i == 1_200) {
                sid = 1_010; // a duplicate whose first place is in the other half
            }
            String body = switch (i % 250) {
                case 7 -> "content:\"a\"; nosuchkeyword; sid:" + sid + ";"; // an error
                case 11 -> "content:\"a\"; asn1:oversize_length 100; sid:" + sid + ";"; // skipped: unsupported
                case 13 -> "content:\"a\"; pcre:\"/x/O\"; sid:" + sid + ";"; // loads, option without effect
                default -> "content:\"r" + i + "\"; sid:" + sid + ";";
            };
            out.add("alert tcp $EXTERNAL_NET any -> $HOME_NET " + (i % 2 == 0 ? "80" : "any") + " (msg:\"r" + i
                    + "\"; " + body + ")");
        }
        return out;
    }

    @Test
    void aFileParsedOnTwoThreadsLoadsAsRulesLoadedOneByOne() {
        List<String> rules = rules();
        assertTrue(rules.size() >= RuleLoader.PARALLEL_RULES);
        RuleLoader whole = new RuleLoader(Variables.defaults(), null, false).load(String.join("\n", rules), "t.rules");
        RuleLoader single = new RuleLoader(Variables.defaults(), null, false);
        for (int i = 0; i < rules.size(); i++) {
            // blank lines keep each rule on its own line number
            single.load("\n".repeat(i) + rules.get(i), "t.rules");
        }
        assertEquals(single.rules().stream().map(SuricataRule::text).toList(),
                whole.rules().stream().map(SuricataRule::text).toList());
        assertEquals(single.rules().stream().map(SuricataRule::line).toList(),
                whole.rules().stream().map(SuricataRule::line).toList());
        assertEquals(messages(single.errors()), messages(whole.errors()));
        assertEquals(skips(single.skips()), skips(whole.skips()));
        assertEquals(skips(single.ignored()), skips(whole.ignored()));
        assertEquals(single.skipped(), whole.skipped());
        assertTrue(messages(whole.errors()).stream()
                .anyMatch(m -> m.contains("duplicate sid 1:1010 (first at t.rules:11)")), whole.errors().toString());
        assertEquals(6 + 1, whole.errors().size()); // six unknown keywords and the duplicate
        assertEquals(6, whole.skipped());
    }

    private static List<String> messages(List<RuleError> errors) {
        return errors.stream().map(RuleError::getMessage).toList();
    }

    private static Map<String, String> skips(Map<String, RuleLoader.Skip> skips) {
        Map<String, String> out = new TreeMap<>();
        skips.forEach((k, v) -> out.put(k, v.count() + " at " + v.firstAt()));
        return out;
    }
}
