package io.judo.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.matcher.dfa.DfaDatabase;
import io.judo.matcher.hyperscan.HyperscanDatabase;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Random pattern sets (literals and regexes over a small alphabet, so that matches are frequent and overlapping) on
 * random inputs: the DFA, Hyperscan and the oracle report the same (pattern, end offset) pairs, and streaming the
 * input at random split points gives what one block gives. The seed is in jqwik's report on failure.
 */
class DifferentialProperties {
    private static final String ALPHABET = "ab\nc";

    static String regex(Random r, int depth) {
        int kind = depth > 2 ? r.nextInt(2) : r.nextInt(7);
        switch (kind) {
            case 0: return String.valueOf(atom(r));
            case 1: return "[" + (r.nextBoolean() ? "^" : "") + atom(r) + atom(r) + "]";
            case 2: return regex(r, depth + 1) + regex(r, depth + 1);
            case 3: return "(?:" + regex(r, depth + 1) + "|" + regex(r, depth + 1) + ")";
            case 4: return "(?:" + regex(r, depth + 1) + ")" + "+*?".charAt(r.nextInt(3)) + (r.nextBoolean() ? "" : "?");
            case 5: return "(?:" + regex(r, depth + 1) + "){" + r.nextInt(2) + "," + (1 + r.nextInt(2)) + "}";
            default: return r.nextBoolean() ? "." : "\\n";
        }
    }

    private static String atom(Random r) {
        char c = ALPHABET.charAt(r.nextInt(3));
        return c == '\n' ? "\\n" : String.valueOf(c);
    }

    static List<Pattern> patterns(Random r) {
        List<Pattern> out = new ArrayList<>();
        int n = 1 + r.nextInt(6);
        for (int i = 0; i < n; i++) {
            String expr;
            do {
                expr = r.nextInt(3) == 0 ? "ab".substring(r.nextInt(2)) + atom(r) + atom(r) : regex(r, 0);
            } while (new java.util.regex.Pattern[] {null}.length == 0 || "".matches(expr.replace("\\n", "\n")));
            Set<PatternFlag> flags = r.nextInt(4) == 0 ? Set.of(PatternFlag.CASELESS)
                    : r.nextInt(5) == 0 ? Set.of(PatternFlag.DOTALL) : Set.of();
            if (r.nextInt(6) == 0) {
                out.add(new Pattern(100 + i, expr, flags, r.nextInt(5), 5 + r.nextInt(30)));
            } else {
                out.add(new Pattern(100 + i, expr, flags));
            }
        }
        return out;
    }

    static byte[] input(Random r) {
        byte[] b = new byte[r.nextInt(60)];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (r.nextInt(8) == 0 ? 'B' : ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return b;
    }

    /**
     * Vectorscan 5.4.12's double-shufti accelerator loses a match whose two-byte anchor straddles a stream chunk
     * boundary (fixed upstream after this release: VectorCamp/vectorscan pull request 402). Tolerated only in exactly
     * that shape: nothing extra reported, and every lost match ends one byte after a cut.
     */
    static boolean onlyTheKnownBoundaryMisses(List<Oracle.Hit> expected, List<Oracle.Hit> actual, int[] cuts) {
        List<Oracle.Hit> missing = new ArrayList<>(expected);
        for (Oracle.Hit h : actual) {
            if (!missing.remove(h)) {
                return false;
            }
        }
        for (Oracle.Hit h : missing) {
            boolean afterCut = false;
            for (int c : cuts) {
                afterCut |= h.end() == c + 1;
            }
            if (!afterCut) {
                return false;
            }
        }
        return !missing.isEmpty();
    }

    @Property(tries = 300)
    void backendsAgreeWithTheOracleWholeAndChunked(@ForAll long seed) {
        Random r = new Random(seed);
        List<Pattern> patterns = patterns(r);
        byte[] input = input(r);
        List<Oracle.Hit> expected = Oracle.matches(patterns, input);
        List<PatternDatabase> dbs = new ArrayList<>(List.of(DfaDatabase.compile(patterns)));
        if (HyperscanDatabase.available()) {
            dbs.add(HyperscanDatabase.compile(patterns));
        }
        for (PatternDatabase db : dbs) {
            try (db) {
                assertEquals(expected, Engines.block(db, input), db.engine() + " " + patterns);
                int[] cuts = new int[r.nextInt(4)];
                for (int i = 0; i < cuts.length; i++) {
                    cuts[i] = input.length == 0 ? 0 : r.nextInt(input.length + 1);
                }
                java.util.Arrays.sort(cuts);
                List<Oracle.Hit> chunked = Engines.stream(db, input, cuts);
                if (!chunked.equals(expected) && db.engine().equals("hyperscan")
                        && onlyTheKnownBoundaryMisses(expected, chunked, cuts)) {
                    System.err.println("KNOWN UPSTREAM BUG (VectorCamp/vectorscan#402): seed " + seed + " "
                            + patterns + " lost " + expected.size() + " -> " + chunked.size() + " hits at cuts "
                            + java.util.Arrays.toString(cuts));
                    continue;
                }
                assertEquals(expected, chunked, db.engine() + " chunked at " + java.util.Arrays.toString(cuts)
                        + " " + patterns);
            }
        }
    }
}
