package io.judo.rewrite.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import org.junit.jupiter.api.Test;

/**
 * Hand-checked sequence arithmetic of one direction. The stream (ISN 1000, so offset 0 is sequence 1001) has the 4
 * bytes at offsets 10..13 replaced by 9: the replacement takes rewritten offsets 10..18, and every original byte from
 * offset 14 on moves by +5.
 */
class DirectionStateTest {
    private static DirectionState edited() {
        DirectionState d = new DirectionState();
        d.isn(true, 1000);
        d.deltasForEdits().edit(10, 4, 9);
        return d;
    }

    @Test
    void beforeAnyEditOffsetsMapToThemselves() {
        DirectionState d = new DirectionState();
        d.isn(true, 1000);
        assertNull(d.deltas());
        assertEquals(20, d.toRewrittenStart(20));
        assertEquals(20, d.toOriginal(20));
        assertSame(d.deltasForEdits(), d.deltasForEdits(), "one map per direction, made at the first edit");
    }

    @Test
    void sequenceNumbersAndStreamOffsets() {
        DirectionState d = edited();
        assertEquals(0, d.streamOffset(1001));
        assertEquals(10, d.streamOffset(1011));
        assertEquals(1001, d.seqAt(0));
        assertEquals(1026, d.seqAt(25));
    }

    @Test
    void aLaterSegmentMovesByTheEditsGrowth() {
        DirectionState d = edited();
        // a segment at sequence 1021 (offset 20) goes out at rewritten offset 25, sequence 1026
        assertEquals(1026, d.seqAt(d.toRewrittenStart(d.streamOffset(1021))));
        // one starting at the edit carries the replacement itself and does not move
        assertEquals(10, d.toRewrittenStart(10));
        // one starting inside the replaced span starts after the replacement, which went out with the span's start
        assertEquals(19, d.toRewrittenStart(12));
        // bytes before the edit never move
        assertEquals(9, d.toRewrittenStart(9));
    }

    @Test
    void acknowledgementsMoveBackToTheOriginal() {
        DirectionState d = edited();
        // the receiver acknowledging rewritten sequence 1026 has all original bytes up to sequence 1021
        assertEquals(1021, d.seqAt(d.toOriginal(d.streamOffset(1026))));
        // the end of the replacement (rewritten 19) is the end of the span (original 14)
        assertEquals(14, d.toOriginal(19));
        // part of the replacement acknowledged (rewritten 15): short of the span's end, so the sender resends from
        // inside the span (original 13 at most)
        assertEquals(13, d.toOriginal(15));
        assertEquals(9, d.toOriginal(9));
    }

    @Test
    void sequenceNumbersWrapAtTwoToThe32() {
        DirectionState d = new DirectionState();
        d.isn(true, 0xFFFF_FFF0L);
        // offset 0 is 0xFFFFFFF1; 15 bytes later the sequence number wraps to 0
        assertEquals(15, d.streamOffset(0));
        assertEquals(20, d.streamOffset(5));
        assertEquals(5, d.seqAt(20));
    }

    @Test
    void anUnknownIsnIsForgotten() {
        DirectionState d = new DirectionState();
        d.isn(true, 77);
        d.isn(false, 1234);
        assertFalse(d.isnKnown());
        assertEquals(1, d.seqAt(0), "no ISN: offsets count from sequence 1, as for ISN 0");
    }

    @Test
    void pendingEditsKeepOnePerStartAndGrow() {
        DirectionState d = new DirectionState();
        d.addPending(100, 2);
        d.addPending(100, 3); // a second find of the same place (reassembly delivered it again)
        for (int i = 1; i <= 5; i++) {
            d.addPending(100 + 10L * i, i);
        }
        assertEquals(6, d.pendingCount());
        assertEquals(2, d.pendingKind[0], "the first find of a place is kept");
        assertEquals(150, d.pendingAt[5]);
        assertEquals(5, d.pendingKind[5]);
    }
}
