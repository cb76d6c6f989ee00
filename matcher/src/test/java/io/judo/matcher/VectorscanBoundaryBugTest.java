package io.judo.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.hyperscan.HyperscanDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Pins an upstream bug found by {@link DifferentialProperties}: Vectorscan 5.4.12 in streaming mode loses the match of
 * {@code [ab](?:[ab][^\nb])*} ending at offset 56 when the input is cut at 55 (its double-shufti accelerator skips a
 * chunk's last byte when that byte only starts a two-byte anchor; fixed upstream by VectorCamp/vectorscan pull request
 * 402, after this release). Block mode and the DFA are right. When this test fails, the library was fixed: remove the
 * tolerance in {@link DifferentialProperties#onlyTheKnownBoundaryMisses} and this test. Judo's detection scans
 * Hyperscan in block mode; only {@code judo grep --pcap}'s streaming can lose such a match.
 */
class VectorscanBoundaryBugTest {
    @Test
    void streamingStillLosesAMatchOneByteAfterAChunkBoundary() {
        Assumptions.assumeTrue(HyperscanDatabase.available(), "Hyperscan does not load here");
        Random r = new Random(234097L);
        List<Pattern> patterns = DifferentialProperties.patterns(r);
        byte[] input = DifferentialProperties.input(r);
        List<Oracle.Hit> expected = Oracle.matches(patterns, input);
        try (PatternDatabase db = HyperscanDatabase.compile(patterns)) {
            assertEquals(expected, Engines.block(db, input));
            List<Oracle.Hit> chunked = Engines.stream(db, input, 55);
            List<Oracle.Hit> missing = new ArrayList<>(expected);
            missing.removeAll(chunked);
            assertEquals(List.of(new Oracle.Hit(100, 56)), missing, "the upstream bug's shape changed");
            assertTrue(DifferentialProperties.onlyTheKnownBoundaryMisses(expected, chunked, new int[] {55}));
        }
    }
}
