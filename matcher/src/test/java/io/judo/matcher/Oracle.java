package io.judo.matcher;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;

/**
 * The test oracle, independent of both backends: java.util.regex by brute force. An end offset e is reported for a
 * pattern when some start s &lt; e makes [s, e) an exact match (anchoring bounds off, so ^ and $ mean the real edges
 * of the data; UNIX_LINES, so only \n ends a line, as in PCRE). Quadratic: for small inputs only.
 */
final class Oracle {
    record Hit(int index, long end) implements Comparable<Hit> {
        @Override
        public int compareTo(Hit o) {
            return end != o.end ? Long.compare(end, o.end) : Integer.compare(index, o.index);
        }

        @Override
        public String toString() {
            return index + "\t" + end;
        }
    }

    private Oracle() {
    }

    static List<Hit> matches(List<Pattern> patterns, byte[] input) {
        String text = new String(input, StandardCharsets.ISO_8859_1);
        List<Hit> hits = new ArrayList<>();
        for (int i = 0; i < patterns.size(); i++) {
            Pattern p = patterns.get(i);
            int flags = java.util.regex.Pattern.UNIX_LINES;
            if (p.has(PatternFlag.CASELESS)) {
                flags |= java.util.regex.Pattern.CASE_INSENSITIVE;
            }
            if (p.has(PatternFlag.DOTALL)) {
                flags |= java.util.regex.Pattern.DOTALL;
            }
            if (p.has(PatternFlag.MULTILINE)) {
                flags |= java.util.regex.Pattern.MULTILINE;
            }
            Matcher m = java.util.regex.Pattern.compile(p.expression(), flags).matcher(text);
            m.useAnchoringBounds(false);
            m.useTransparentBounds(true);
            boolean single = p.has(PatternFlag.SINGLEMATCH);
            for (int e = 1; e <= text.length(); e++) {
                boolean inBounds = (p.minEnd() < 0 || e >= p.minEnd()) && (p.maxEnd() < 0 || e <= p.maxEnd());
                if (!inBounds) {
                    continue;
                }
                boolean hit = false;
                for (int s = e - 1; s >= 0 && !hit; s--) {
                    m.region(s, e);
                    hit = m.matches();
                }
                if (hit) {
                    hits.add(new Hit(p.id(), e));
                    if (single) {
                        break;
                    }
                }
            }
        }
        hits.sort(null);
        return hits;
    }
}
