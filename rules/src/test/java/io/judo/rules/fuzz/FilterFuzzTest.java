package io.judo.rules.fuzz;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import io.judo.packet.decode.LinkType;
import io.judo.rules.SyntaxError;
import io.judo.rules.pcap.FilterCompiler;
import io.judo.vm.Program;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;

/**
 * Arbitrary text as a tcpdump filter for one of the supported link types: it compiles to a program the verifier
 * accepts, or fails with a {@link SyntaxError} whose column lies in the text. Anything else thrown is a finding. Every
 * build fuzzes this for 10 s (rules/pom.xml); docs/TESTING.md has the long run.
 */
class FilterFuzzTest {
    private static final int[] LINKS = {LinkType.ETHERNET, LinkType.LINUX_SLL, LinkType.LINUX_SLL2, LinkType.RAW};

    @Timeout(value = 10, unit = TimeUnit.SECONDS)
    @FuzzTest(maxDuration = "10s")
    void filtersCompileToVerifiedProgramsOrFailWithAColumn(FuzzedDataProvider data) {
        int link = LINKS[data.consumeInt(0, LINKS.length - 1)];
        String text = data.consumeRemainingAsString();
        Program p;
        try {
            p = FilterCompiler.compile(text, link);
        } catch (SyntaxError e) {
            Outcomes.located(e, text);
            return;
        }
        Outcomes.verifies(p, "filter '" + text + "'");
    }
}
