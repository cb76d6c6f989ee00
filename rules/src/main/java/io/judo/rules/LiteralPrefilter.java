package io.judo.rules;

import io.judo.matcher.Pattern;
import io.judo.matcher.PatternFlag;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * Collects the literal each rule needs present before it can match, one pattern per distinct literal (rules sharing a
 * literal share its pattern), for one multi-pattern scan that makes rules candidates. Patterns report once per scan.
 */
public final class LiteralPrefilter {
    private final Map<String, Integer> ids = new HashMap<>();
    private final List<Pattern> patterns = new ArrayList<>();
    private final List<List<Integer>> rules = new ArrayList<>();

    /** Rule {@code rule} needs {@code bytes} (either case when {@code nocase}). */
    public void add(int rule, byte[] bytes, boolean nocase) {
        String key = (nocase ? "i:" : "c:") + HexFormat.of().formatHex(bytes);
        Integer id = ids.get(key);
        if (id == null) {
            id = patterns.size();
            ids.put(key, id);
            patterns.add(Pattern.literal(id, bytes, nocase ? EnumSet.of(PatternFlag.CASELESS, PatternFlag.SINGLEMATCH)
                    : EnumSet.of(PatternFlag.SINGLEMATCH)));
            rules.add(new ArrayList<>());
        }
        rules.get(id).add(rule);
    }

    /** The patterns, ids 0..n-1. */
    public List<Pattern> patterns() {
        return List.copyOf(patterns);
    }

    /** Per pattern id, the rules it makes candidates, in the order they were added. */
    public int[][] rulesOfPattern() {
        return rules.stream().map(l -> l.stream().mapToInt(Integer::intValue).toArray()).toArray(int[][]::new);
    }
}
