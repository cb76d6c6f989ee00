package io.judo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.engine.output.OutputException;
import org.junit.jupiter.api.Test;

/** Where a worker of {@code filter -w} keeps each selected record, and the clear error past what it can hold. */
class CaptureFilterSlotTest {
    @Test
    void everyWorkerKeepsItsOwnRecordsDensely() {
        assertEquals(0, CaptureFilter.slot(0, 2));
        assertEquals(0, CaptureFilter.slot(1, 2));
        assertEquals(1, CaptureFilter.slot(2, 2));
        assertEquals(3, CaptureFilter.slot(13, 4));
    }

    @Test
    void twoWorkersHoldFourBillionRecords() {
        long last = 2L * (Integer.MAX_VALUE - 1) + 1; // worker 1's slot 2^31 - 2, a bit set's last index
        assertEquals(Integer.MAX_VALUE - 1, CaptureFilter.slot(last, 2));
    }

    @Test
    void beyondThatTheErrorIsAnOutputErrorForTheUserNotAnInternalOne() {
        OutputException e = assertThrows(OutputException.class,
                () -> CaptureFilter.slot(2L * Integer.MAX_VALUE, 2));
        assertTrue(e.getMessage().contains("4294967294 packets or more cannot be written by 2 workers; use --workers 1"),
                e.getMessage());
    }
}
