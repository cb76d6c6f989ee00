package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.confirm.BoundedRegex;
import io.judo.rules.ChainCompiler;
import io.judo.rules.ir.ChainArbitraries;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.DataAt;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Pcre;
import io.judo.rules.ir.ReferenceChain;
import io.judo.rules.ir.Value;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * Random inspection chains (2-6 items: contents with random offset/depth/distance/within, nocase, negation,
 * startswith/endswith; isdataat; pcre with and without R; byte_test, byte_jump, byte_extract with variables) on
 * random payloads, compiled by the chain compiler and run in the interpreter and the JIT, against the reference
 * evaluator written from Suricata's documentation ({@code ReferenceChain}, in the rules module's tests): all three
 * agree.
 */
class ChainDifferentialProperties {
    @Provide
    Arbitrary<ChainArbitraries.Case> plainChains() {
        return ChainArbitraries.cases(false);
    }

    @Provide
    Arbitrary<ChainArbitraries.Case> byteChains() {
        return ChainArbitraries.cases(true);
    }

    private static void agree(ChainArbitraries.Case c) throws Exception {
        boolean reference = ReferenceChain.matches(c.chain(), c.payload());
        ChainHarness compiled = new ChainHarness(c.chain());
        boolean vm = compiled.matches(c.payload());
        assertEquals(0, compiled.fuelExhausted(), () -> "ran out of fuel: " + c);
        assertEquals(reference, vm, () -> "VM vs reference: " + c);
    }

    @Property(tries = 1000)
    void contentPcreAndIsdataatChainsMatchAsTheReferenceSays(@ForAll("plainChains") ChainArbitraries.Case c)
            throws Exception {
        agree(c);
    }

    @Property(tries = 1000)
    void chainsWithByteKeywordsMatchAsTheReferenceSays(@ForAll("byteChains") ChainArbitraries.Case c)
            throws Exception {
        agree(c);
    }

    /** A random chain, a stream of several random payloads, where it is cut and how many old bytes windows keep. */
    record StreamCase(List<Inspect> chain, byte[] stream, int[] cuts, int keep) {
        @Override
        public String toString() {
            return ChainArbitraries.describe(chain) + " on " + new String(stream, StandardCharsets.ISO_8859_1)
                    + " cut at " + Arrays.toString(cuts) + ", keeping " + keep;
        }
    }

    private static StreamCase streamCase(long seed, boolean lead) {
        Random r = new Random(seed);
        List<Inspect> chain = new ArrayList<>(ChainArbitraries.chain(r, r.nextBoolean()));
        if (lead) {
            // leading contents for certain: a plain content, then one within a few bytes of it
            chain.add(0, new Content(new byte[] {'a'}, false, r.nextBoolean(), Inspect.UNSET, Inspect.UNSET,
                    Inspect.UNSET, Inspect.UNSET, false, false, false, null, null));
            chain.add(1, new Content(r.nextBoolean() ? new byte[] {'b'} : new byte[] {'a', 'b'}, false, false,
                    Inspect.UNSET, Inspect.UNSET, r.nextInt(3), 2 + r.nextInt(4), false, false, false, null, null));
        }
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int k = 0, n = 1 + r.nextInt(4); k < n; k++) {
            stream.writeBytes(ChainArbitraries.payload(r));
        }
        byte[] bytes = stream.toByteArray();
        int[] cuts = r.ints(r.nextInt(10), 1, Math.max(2, bytes.length)).filter(c -> c < bytes.length).sorted()
                .distinct().toArray();
        int[] keeps = {1, 3, 8, 16, 40, StreamWindows.KEEP};
        return new StreamCase(chain, bytes, cuts, keeps[r.nextInt(keeps.length)]);
    }

    @Provide
    Arbitrary<StreamCase> streamChains() {
        return Arbitraries.longs().map(seed -> streamCase(seed, false));
    }

    @Provide
    Arbitrary<StreamCase> leadingContentChains() {
        return Arbitraries.longs().map(seed -> streamCase(seed, true));
    }

    /**
     * In a stream, remembering where a chain's leading contents were searched (issue 18) changes no report: chunk by
     * chunk, the same match end or none, in the interpreter and the JIT, as when every window is searched whole.
     */
    private static void streamAgrees(StreamCase c) throws Exception {
        StreamChainHarness h = new StreamChainHarness(c.chain());
        List<List<Long>> reports = h.reports(c.stream(), c.cuts(), c.keep());
        // a stream chain retries every item, so a long stream of short contents can spend the budget: the
        // comparison holds for the cases whole windows can decide
        Assume.that(h.fuelExhausted(2) == 0);
        assertEquals(0, h.fuelExhausted(0), () -> "ran out of fuel only when remembering: " + c);
        assertEquals(reports.get(2), reports.get(0), () -> "remembering vs searching whole windows: " + c);
        assertEquals(reports.get(0), reports.get(1), () -> "JIT vs interpreter: " + c);
    }

    @Property(tries = 1000)
    void streamChainsReportAsWithoutTheSearchedMemory(@ForAll("streamChains") StreamCase c) throws Exception {
        streamAgrees(c);
    }

    @Property(tries = 1000)
    void chainsWithLeadingContentsReportAsWithoutTheSearchedMemory(@ForAll("leadingContentChains") StreamCase c)
            throws Exception {
        streamAgrees(c);
    }

    /**
     * The memory is used: a window in which the leading contents ({@code a}, then {@code b} 1 to 3 bytes after it,
     * reach 4) never match records that the next one need not search its first 13 bytes (16 - 4 + 1) again, and one
     * where they first match at 3 (the {@code b} at 6) records 3.
     */
    @Test
    void aWindowWithoutTheLeadingContentsIsNotSearchedAgain() throws Exception {
        List<Inspect> chain = List.of(
                new Content(new byte[] {'a'}, false, false, Inspect.UNSET, Inspect.UNSET, Inspect.UNSET,
                        Inspect.UNSET, false, false, false, null, null),
                new Content(new byte[] {'b'}, false, false, Inspect.UNSET, Inspect.UNSET, 1, 2, false, false,
                        false, null, null),
                new Pcre("zz", "", BoundedRegex.compile("zz", false, false, false, false), false, false));
        assertEquals(new ChainCompiler.Lead(1, 4), ChainCompiler.leadOf(chain));
        StreamChainHarness h = new StreamChainHarness(chain);
        byte[] none = "aaaaaaaaaaaaaaaa".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(-1L), h.reports(none, new int[0], 2048).get(0));
        assertEquals(13, h.searched(0));
        byte[] some = "aaaaaxb.aaaaaaaa".getBytes(StandardCharsets.ISO_8859_1);
        assertEquals(List.of(-1L), h.reports(some, new int[0], 2048).get(0));
        assertEquals(3, h.searched(0));
        assertEquals(0, h.searched(2), "the forgetting runner records nothing");
    }

    /**
     * Every positive match of this chain ends at byte 0 (a pcre matching the empty string), a case the generator
     * cannot make: on a packet it still counts (the retired Java evaluator did not count it).
     */
    @Test
    void aChainWhoseMatchesAllEndAtZeroMatches() throws Exception {
        List<Inspect> chain = List.of(new Pcre("a*", "", BoundedRegex.compile("a*", false, false, false, false),
                false, false), new DataAt(Value.of(1), true, false));
        agree(new ChainArbitraries.Case(chain, new byte[] {'b'}));
        assertTrue(ReferenceChain.matches(chain, new byte[] {'b'}));
    }
}
