package io.judo.rules.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The reference evaluator's own checks: its generator makes only what the parser produces, and matches often enough
 * to be a useful oracle. The compiled chains are compared with it in the engine's {@code ChainDifferentialProperties}
 * (the retired Java evaluator agreed with it on 30,000 random content/pcre/isdataat chains before it went, except
 * for chains whose every match ends at byte 0, which it did not count on a packet).
 */
class ReferenceChainProperties {
    @Provide
    Arbitrary<ChainArbitraries.Case> byteChains() {
        return ChainArbitraries.cases(true);
    }

    private static final io.judo.rules.suricata.RuleParser PARSER = new io.judo.rules.suricata.RuleParser(
            io.judo.rules.suricata.Variables.defaults(), io.judo.rules.suricata.Classifications.empty());

    /**
     * The generator makes only IR the parser could produce: a generated chain written as rule text parses back to a
     * chain that the reference evaluates the same way on the payload.
     */
    @Property(tries = 300)
    void generatedChainsAreWhatTheParserProduces(@ForAll("byteChains") ChainArbitraries.Case c) {
        String text = "alert tcp any any -> any any (" + ChainArbitraries.describe(c.chain()) + " sid:1;)";
        java.util.List<Inspect> parsed = PARSER.parse(text, "generated", 1).chain();
        assertEquals(c.chain().size(), parsed.size(), text);
        assertEquals(ReferenceChain.matches(c.chain(), c.payload()), ReferenceChain.matches(parsed, c.payload()),
                text);
    }

    /** The generators are useful: a good share of pairs match, and byte-keyword chains run without failing. */
    @Property(tries = 5)
    void generatedPairsMatchOftenEnough(@ForAll long seed) {
        Random r = new Random(seed);
        for (boolean bytes : new boolean[] {false, true}) {
            int matched = 0;
            int n = 2000;
            for (int i = 0; i < n; i++) {
                if (ReferenceChain.matches(ChainArbitraries.chain(r, bytes), ChainArbitraries.payload(r))) {
                    matched++;
                }
            }
            System.out.printf("byte keywords %s: %d of %d match%n", bytes, matched, n);
            assertTrue(matched > n / 6 && matched < n * 2 / 3, (bytes ? "byte" : "plain") + " chains matched "
                    + matched + " of " + n);
        }
    }
}
