package io.judo.rules.ir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.rules.suricata.PayloadInspector;
import java.util.Random;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The reference evaluator against the existing {@link PayloadInspector}: for chains of content, pcre and isdataat
 * only (no byte keywords, no variables), on one packet payload, both say the same.
 */
class ReferenceChainProperties {
    @Provide
    Arbitrary<ChainArbitraries.Case> plainChains() {
        return ChainArbitraries.cases(false);
    }

    @Property(tries = 1000)
    void referenceAgreesWithPayloadInspector(@ForAll("plainChains") ChainArbitraries.Case c) {
        boolean reference = ReferenceChain.matches(c.chain(), c.payload());
        boolean inspector = new PayloadInspector().matches(c.chain(), c.payload(), c.payload().length, 0, 0);
        assertEquals(reference, inspector, c.toString());
    }

    /**
     * Known difference, excluded from the generator (no pattern there can match the empty string): when every positive
     * match of a chain ends at byte 0 (a pcre matching the empty string at the start), the inspector does not count
     * it, because it counts a match only when one of its positive items ends after {@code newFrom} (0 for a packet).
     * {@code pcre:"/a{@literal *}/"; isdataat:1,relative;} on {@code "b"}: the pcre matches the empty string at 0, the
     * cursor stays at 0 and one byte follows it, so Suricata's documented semantics match; the inspector retries the
     * pcre at 1 (cursor 1, no byte follows) and says no match.
     */
    @org.junit.jupiter.api.Test
    void inspectorMissesAChainWhoseMatchesAllEndAtZero() {
        java.util.List<Inspect> chain = java.util.List.of(new Pcre("a*", "", io.judo.matcher.confirm.BoundedRegex
                .compile("a*", false, false, false, false), false, false), new DataAt(Value.of(1), true, false));
        byte[] payload = {'b'};
        assertTrue(ReferenceChain.matches(chain, payload));
        org.junit.jupiter.api.Assertions.assertFalse(new PayloadInspector().matches(chain, payload, 1, 0, 0));
    }

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
