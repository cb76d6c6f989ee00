package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Buckets of the report's time chart: the finest that fits, calendar-aligned, each instant in its own bucket. */
class TimeBucketTest {
    private static long at(String iso) {
        Instant i = Instant.parse(iso);
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    @Test
    void theSpanChoosesTheBucket() {
        assertEquals(TimeBucket.YEAR, TimeBucket.forSpan(at("2009-11-18T20:58:04Z"), at("2024-10-28T19:51:13Z"), 60));
        assertEquals(TimeBucket.MILLISECOND, TimeBucket.forSpan(at("2023-11-14T22:13:20Z"),
                at("2023-11-14T22:13:20.044Z"), 60));
        assertEquals(TimeBucket.MINUTE, TimeBucket.forSpan(at("2026-11-26T10:00:00Z"), at("2026-11-26T10:45:00Z"), 60));
        assertEquals(TimeBucket.MONTH, TimeBucket.forSpan(at("2020-01-01T00:00:00Z"), at("2023-06-30T00:00:00Z"), 60));
        assertEquals("2019", TimeBucket.YEAR.label(TimeBucket.YEAR.index(at("2019-07-01T00:00:00Z")), false));
        assertEquals("2019-03", TimeBucket.MONTH.label(TimeBucket.MONTH.index(at("2019-03-31T23:59:59Z")), false));
        assertEquals("2026-11-23", TimeBucket.WEEK.label(TimeBucket.WEEK.index(at("2026-11-29T12:00:00Z")), false),
                "weeks start on Monday");
    }

    @Test
    void everyInstantLiesInItsBucketAndSpansFit() {
        Random r = new Random(15);
        for (int i = 0; i < 20_000; i++) {
            long a = at("1990-01-01T00:00:00Z") + (long) (r.nextDouble() * 1.5e18);
            long b = a + (long) Math.pow(10, r.nextDouble() * 18);
            for (TimeBucket t : TimeBucket.values()) {
                long k = t.index(a);
                assertTrue(t.start(k) <= a && a < t.start(k + 1), t + " " + a);
            }
            TimeBucket chosen = TimeBucket.forSpan(a, b, 60);
            assertTrue(chosen == TimeBucket.DECADE || chosen.index(b) - chosen.index(a) + 1 <= 60, chosen + " " + a);
            if (chosen.ordinal() > 0) {
                TimeBucket finer = TimeBucket.values()[chosen.ordinal() - 1];
                assertTrue(finer.index(b) - finer.index(a) + 1 > 60, "the finest that fits: " + chosen);
            }
        }
    }
}
