package io.judo.rules.suricata;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.rules.Golden;
import io.judo.rules.RuleError;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Golden fixtures at the rule compiler's boundaries: rule text to program listing, and rule text to diagnostics
 * (errors with file:line:column and caret, skips with their keyword). Regenerate with -Djudo.golden.update=true and
 * review the diff.
 */
class SuricataGoldenTest {
    private static String read(String name) {
        return Golden.read("suricata/" + name);
    }

    private static void pin(String name, String actual) {
        Golden.pin("suricata/" + name, actual);
    }

    @ParameterizedTest
    @ValueSource(strings = {"header", "http", "checksum"})
    void listingsArePinned(String name) throws Exception {
        RuleLoader l = new RuleLoader(Variables.defaults(), null, false).load(read(name + ".rules"), name + ".rules");
        assertEquals(0, l.errors().size());
        pin(name + ".listing", RuleSetCompiler.compile(l.rules()).listing());
    }

    @ParameterizedTest
    @ValueSource(strings = {"diagnostics"})
    void diagnosticsArePinned(String name) throws Exception {
        RuleLoader l = new RuleLoader(Variables.defaults(), null, false).load(read(name + ".rules"), name + ".rules");
        StringBuilder sb = new StringBuilder();
        for (RuleError e : l.errors()) {
            sb.append(e.display()).append('\n');
        }
        l.skips().values().forEach(s -> sb.append("skipped ").append(s.count()).append(" for ").append(s.keyword())
                .append(", first at ").append(s.firstAt()).append('\n'));
        l.ignored().values().forEach(s -> sb.append("ignored ").append(s.count()).append(" ").append(s.keyword())
                .append(", first at ").append(s.firstAt()).append('\n'));
        sb.append("loaded ").append(l.rules().size()).append('\n');
        pin(name + ".txt", sb.toString());
    }
}
