package io.judo.rewrite;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Hand-checked vectors for DeltaMap. */
class DeltaMapTest {

    @Test
    void growingReplacementShiftsLaterBytesAndAcks() {
        // "GET /a HTTP/1.1": replace "a" (offset 5, 1 byte) with "abc" -> later bytes move by +2
        DeltaMap map = new DeltaMap();
        assertTrue(map.edit(5, 1, 3));
        assertEquals(4, map.toRewritten(4));
        assertEquals(8, map.toRewritten(6)); // the space after "a"
        assertEquals(6, map.toOriginal(8));
        assertEquals(15, map.toOriginal(15 + 2)); // an ack of the whole rewritten request
        // ISN 1000: first payload byte has seq 1001; a receiver's ack 1018 means the sender's 1016
        assertEquals(1018, map.toRewrittenSeq(1016, 1000));
        assertEquals(1016, map.toOriginalSeq(1018, 1000));
    }

    @Test
    void twoEditsAccumulateAndOldDataStillTranslates() {
        DeltaMap map = new DeltaMap();
        map.edit(10, 4, 0); // delete 4 bytes
        map.edit(100, 2, 7); // then grow by 5
        assertEquals(1, map.delta());
        assertEquals(46, map.toRewritten(50)); // a retransmission of data between the edits
        assertEquals(201, map.toRewritten(200));
        assertEquals(50, map.toOriginal(46));
        assertEquals(200, map.toOriginal(201));
    }

    @Test
    void anAcknowledgementInsideAReplacementStopsShortOfTheOriginalSpansEnd() {
        // "ORIGINAL" at 10 (8 bytes) grown to 21: a receiver that got 14 bytes of the replacement (the frame with the
        // rest lost) has not got the span; mapped to its end, the sender would never send the rest again (issue 15)
        DeltaMap map = new DeltaMap();
        map.edit(10, 8, 21);
        assertEquals(10, map.toOriginal(10));
        assertEquals(15, map.toOriginal(15));
        assertEquals(17, map.toOriginal(24));
        assertEquals(18, map.toOriginal(31)); // the whole replacement: the whole span
        // shrunk, "shrinkme-please" to "s": before the "s", nothing of the span
        DeltaMap shrunk = new DeltaMap();
        shrunk.edit(0, 15, 1);
        assertEquals(0, shrunk.toOriginal(0));
        assertEquals(15, shrunk.toOriginal(1));
    }

    @Test
    void outOfOrderOrConflictingEditsAreRefused() {
        DeltaMap map = new DeltaMap();
        map.edit(10, 4, 2);
        assertThrows(IllegalArgumentException.class, () -> map.edit(12, 1, 1));
        assertThrows(IllegalArgumentException.class, () -> map.edit(10, 4, 3));
        assertThrows(IllegalArgumentException.class, () -> map.edit(-1, 1, 1));
    }
}
