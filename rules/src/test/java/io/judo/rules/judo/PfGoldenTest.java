package io.judo.rules.judo;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.Addresses;
import io.judo.rules.Golden;
import io.judo.rules.RuleError;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * pf.conf files written from pf.conf(5), the OpenBSD FAQ and OpenBSD's example file, loaded as {@code judo rules show}
 * prints them (pfctl -nvv's shape: macros, options and tables first, lists expanded, @N numbers, anchors in braces)
 * with their warnings; and bad lines to their diagnostics. The expected listings were checked by hand against the
 * printing rules of pfctl (docs/RULES.md says where Judo prints otherwise). Regenerate with
 * -Djudo.golden.update=true and review the diff.
 */
class PfGoldenTest {
    private static final Path DIR = Path.of("src/test/resources/golden/pf").toAbsolutePath();
    /** The interfaces the corpus assumes (em0 holds the default route: the egress group). */
    static final JudoParser.Context CONTEXT = new JudoParser.Context(Map.of(
            "em0", List.of(prefix("192.0.2.1", 24)), "egress", List.of(prefix("192.0.2.1", 24)),
            "em1", List.of(prefix("10.0.0.1", 24), prefix("2001:db8::1", 64)), "em2", List.of(prefix("10.1.0.1", 24)),
            "athn0", List.of(prefix("10.2.0.1", 24)), "lo0", List.of(prefix("127.0.0.1", 8))), DIR);

    private static Addresses.Prefix prefix(String address, int bits) {
        return new Addresses.Prefix(Addresses.parse(address), bits);
    }

    @ParameterizedTest
    @ValueSource(strings = {"openbsd-example", "openbsd-etc-pf", "faq-firewall", "manual-macros", "manual-tables",
        "manual-options", "manual-filter", "manual-translation", "manual-routing", "manual-scrub-antispoof",
        "manual-state", "manual-anchors", "manual-queue"})
    void loadsAndPrintsAsPinned(String name) {
        JudoParser.Result r = JudoParser.parse(Golden.read("pf/" + name + ".conf"), name + ".conf", CONTEXT);
        assertTrue(r.errors().isEmpty(), () -> r.errors().get(0).display());
        JudoCompiler.compile(r.policy());
        StringBuilder sb = new StringBuilder();
        r.policy().listing().forEach(l -> sb.append(l).append('\n'));
        if (!r.warnings().isEmpty()) {
            sb.append("\n# warnings\n");
            r.warnings().forEach(w -> sb.append(w.location()).append('\n'));
        }
        Golden.pin("pf/" + name + ".show", sb.toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"diagnostics"})
    void badLinesArePinned(String name) {
        JudoParser.Result r = JudoParser.parse(Golden.read("pf/errors/" + name + ".conf"), name + ".conf", CONTEXT);
        StringBuilder sb = new StringBuilder();
        for (RuleError e : r.errors()) {
            sb.append(e.display()).append('\n');
        }
        sb.append("rules ").append(r.policy().rules().size()).append('\n');
        Golden.pin("pf/errors/" + name + ".txt", sb.toString());
    }
}
