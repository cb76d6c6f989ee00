package io.judo.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.LongRange;

/**
 * DeltaMap against a model: the rewritten stream is built byte by byte from the original and the edits, and every
 * original byte outside an edit must land where the map says, and map back.
 */
class DeltaMapProperties {

    /** One edit as generated: a gap of untouched bytes before it, then the replaced and replacement lengths. */
    record Edit(int gap, int oldLen, int newLen) {}

    @Provide
    Arbitrary<List<Edit>> edits() {
        Arbitrary<Edit> edit = Combinators.combine(
                        Arbitraries.integers().between(0, 40),
                        Arbitraries.integers().between(0, 12),
                        Arbitraries.integers().between(0, 12))
                .as(Edit::new);
        // two edits cannot start at one offset (an insertion followed by a replacement there is one edit to the caller)
        return edit.list().ofMaxSize(12).map(DeltaMapProperties::separateSameStart);
    }

    private static List<Edit> separateSameStart(List<Edit> edits) {
        List<Edit> out = new ArrayList<>();
        for (Edit e : edits) {
            boolean sameStart = !out.isEmpty() && e.gap() == 0 && out.get(out.size() - 1).oldLen() == 0;
            out.add(sameStart ? new Edit(1, e.oldLen(), e.newLen()) : e);
        }
        return out;
    }

    /** Original offset of each rewritten byte, -1 for bytes of a replacement. */
    private static List<Long> rewrittenOrigins(List<Edit> edits, int tail, DeltaMap map) {
        List<Long> out = new ArrayList<>();
        long original = 0;
        for (Edit e : edits) {
            for (int k = 0; k < e.gap(); k++) {
                out.add(original++);
            }
            map.edit(original, e.oldLen(), e.newLen());
            original += e.oldLen();
            for (int k = 0; k < e.newLen(); k++) {
                out.add(-1L);
            }
        }
        for (int k = 0; k < tail; k++) {
            out.add(original++);
        }
        out.add(original); // the offset one past the end: where the next segment would start
        return out;
    }

    @Property
    void untouchedBytesMapBothWays(@ForAll("edits") List<Edit> edits) {
        DeltaMap map = new DeltaMap();
        List<Long> origins = rewrittenOrigins(edits, 5, map);
        for (int r = 0; r < origins.size(); r++) {
            long p = origins.get(r);
            if (p < 0) {
                continue;
            }
            assertEquals(r, map.toRewritten(p), () -> "original " + p);
            assertEquals(p, map.toOriginal(r), "rewritten " + r);
        }
        long lengthChange = edits.stream().mapToLong(e -> e.newLen() - e.oldLen()).sum();
        assertEquals(lengthChange, map.delta());
    }

    @Property
    void offsetsInsideAnEditStayInsideItsReplacement(@ForAll("edits") List<Edit> edits) {
        DeltaMap map = new DeltaMap();
        rewrittenOrigins(edits, 0, map);
        long original = 0;
        long rewritten = 0;
        for (Edit e : edits) {
            original += e.gap();
            rewritten += e.gap();
            for (int k = 0; k < e.oldLen(); k++) {
                long r = map.toRewritten(original + k);
                assertTrue(r >= rewritten && r <= rewritten + e.newLen(), "original " + (original + k) + " -> " + r);
            }
            for (int k = 0; k < e.newLen(); k++) {
                // an acknowledgement inside a replacement never acknowledges more than the original span
                long o = map.toOriginal(rewritten + k);
                assertTrue(o >= original && o <= original + e.oldLen(), "rewritten " + (rewritten + k) + " -> " + o);
            }
            original += e.oldLen();
            rewritten += e.newLen();
        }
    }

    @Property
    void recordingAnEditAgainChangesNothing(@ForAll("edits") List<Edit> edits) {
        DeltaMap map = new DeltaMap();
        List<Long> origins = rewrittenOrigins(edits, 3, map);
        int size = map.size();
        long original = 0;
        for (Edit e : edits) {
            original += e.gap();
            assertFalse(map.edit(original, e.oldLen(), e.newLen()));
            original += e.oldLen();
        }
        assertEquals(size, map.size());
        long last = origins.get(origins.size() - 1);
        assertEquals(origins.size() - 1, map.toRewritten(last));
    }

    @Property
    void sequenceNumbersWrapAt32Bits(
            @ForAll("edits") List<Edit> edits, @ForAll @LongRange(min = 0xffffff00L, max = 0xffffffffL) long isn) {
        DeltaMap map = new DeltaMap();
        List<Long> origins = rewrittenOrigins(edits, 4, map);
        for (int r = 0; r < origins.size(); r++) {
            long p = origins.get(r);
            if (p < 0) {
                continue;
            }
            long seq = (isn + 1 + p) & 0xffffffffL;
            long expected = (isn + 1 + r) & 0xffffffffL;
            assertEquals(expected, map.toRewrittenSeq(seq, isn));
            assertEquals(seq, map.toOriginalSeq(expected, isn));
        }
    }
}
