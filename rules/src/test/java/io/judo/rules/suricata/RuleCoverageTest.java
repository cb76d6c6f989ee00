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
        check("et-open", 24_780); // issue 19's target is 97% of the 24,827 enabled rules: 24,083
    }

    /** ET Open's 2,547 {@code alert tls} rules load (those with xbits aside) and run in the transaction hook. */
    @Test
    void etOpenTlsRulesLoadAndCompile() throws IOException {
        RuleLoader l = loadAll("et-open");
        List<SuricataRule> tls = l.rules().stream().filter(r -> r.appProtos().stream()
                .anyMatch(p -> p.id() == io.judo.vm.interp.Helpers.APP_PROTO_TLS && !p.negated())).toList();
        System.out.printf("et-open alert tls: %d loaded%n", tls.size());
        assertTrue(tls.size() >= 2_540, "only " + tls.size() + " alert tls rules loaded");
        CompiledRuleSet set = RuleSetCompiler.compile(tls);
        long inHook = tls.stream().filter(SuricataRule::transactionInspected).count();
        assertTrue(inHook >= 2_500, inHook + " of them read TLS buffers");
        assertTrue(set.hook(CompiledRuleSet.Hook.HTTP).ruleOfRegion().length >= inHook);
        assertTrue(set.unrunnable().isEmpty(), set.unrunnable().toString());
    }

    /**
     * ET Open's 44 {@code alert ftp} rules and its {@code alert ftp-data} rule load and compile; the ftpbounce rule
     * (an {@code alert tcp} rule that ftpbounce makes an FTP rule) runs in the transaction hook.
     */
    @Test
    void etOpenFtpRulesLoadAndCompile() throws IOException {
        RuleLoader l = loadAll("et-open");
        List<SuricataRule> ftp = l.rules().stream().filter(r -> r.appProtos().stream()
                .anyMatch(p -> !p.negated() && (p.id() == io.judo.vm.interp.Helpers.APP_PROTO_FTP
                        || p.id() == io.judo.vm.interp.Helpers.APP_PROTO_FTP_DATA))).toList();
        System.out.printf("et-open ftp and ftp-data: %d loaded%n", ftp.size());
        assertTrue(ftp.size() >= 46, "only " + ftp.size() + " ftp and ftp-data rules loaded");
        CompiledRuleSet set = RuleSetCompiler.compile(ftp);
        assertTrue(ftp.stream().anyMatch(r -> r.transactionInspections().stream()
                .anyMatch(i -> i.buffer() == io.judo.vm.Buffer.FTP_BOUNCE)), "the ftpbounce rule");
        assertTrue(set.unrunnable().isEmpty(), set.unrunnable().toString());
    }

    /**
     * The HTTP rules of ET Open (14,544 enabled {@code alert http} rules, of which 14,507 load today) load and compile
     * into the HTTP hook (or, with only packet data, the stream hook); the rest are skipped for a named keyword
     * (pcre/G, flowint, ...).
     */
    @Test
    void etOpenHttpRulesLoadAndCompile() throws IOException {
        RuleLoader l = loadAll("et-open");
        List<SuricataRule> http = l.rules().stream().filter(SuricataRule::http).toList();
        System.out.printf("et-open alert http: %d loaded%n", http.size());
        assertTrue(http.size() >= 14_500, "only " + http.size() + " alert http rules loaded");
        CompiledRuleSet set = RuleSetCompiler.compile(l.rules());
        CompiledRuleSet.HookCode hook = set.hook(CompiledRuleSet.Hook.HTTP);
        long inHook = http.stream().filter(SuricataRule::transactionInspected).count();
        assertTrue(hook.ruleOfRegion().length >= inHook, "every transaction rule has a region in the HTTP hook");
        System.out.printf("http hook: %d rules, %d instructions, %d buffers prefiltered, %d always, %d derived "
                + "buffers, %d unrunnable%n", hook.ruleOfRegion().length, hook.program().program().length(),
                hook.buffers().size(), hook.always().length, set.derivedBuffers().size(), set.unrunnable().size());
        assertTrue(set.unrunnable().size() < 10, set.unrunnable().toString());
    }

    @Test
    void everySnortCommunityRuleLoadsOrIsSkippedForANamedKeyword() throws IOException {
        check("snort2-community", 880);
    }
}
