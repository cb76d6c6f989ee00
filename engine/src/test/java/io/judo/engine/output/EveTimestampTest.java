package io.judo.engine.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** EVE's timestamps, formatted once a second and completed per line, read as the JDK's formatter writes them. */
class EveTimestampTest {
    private static final DateTimeFormatter REFERENCE = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx")
            .withZone(ZoneOffset.UTC);

    private static String reference(long nanos) {
        return REFERENCE.format(Instant.ofEpochSecond(Math.floorDiv(nanos, 1_000_000_000L),
                Math.floorMod(nanos, 1_000_000_000L)));
    }

    @Test
    void matchesTheFormatterAcrossSecondsMicrosecondsAndBeforeTheEpoch() {
        long[] fixed = {0, 1, 999, 1_000, 999_999_999, 1_000_000_000, -1, -1_000, -999_999_999, -1_000_000_000,
            1_700_000_000_123_456_789L, 1_700_000_000_999_999_999L, 1_700_000_001_000_000_000L,
            4_102_444_800_000_000_000L};
        for (long n : fixed) {
            assertEquals(reference(n), EveWriter.timestamp(n), "at " + n);
        }
        Random random = new Random(7);
        long t = 1_699_999_990_000_000_000L;
        for (int i = 0; i < 20_000; i++) {
            // mostly small steps (the kept second is reused), sometimes back and forth across seconds
            t += random.nextInt(10) == 0 ? -random.nextInt(3_000_000) * 1_000L : random.nextInt(400_000_000);
            assertEquals(reference(t), EveWriter.timestamp(t), "at " + t);
            long any = random.nextLong() / 8; // within about 36 years either side of 1970
            assertEquals(reference(any), EveWriter.timestamp(any), "at " + any);
        }
    }
}
