package io.judo.cli;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * The width of one bar of a time chart, from a millisecond to a decade. Calendar units (week from Monday, month, quarter,
 * year, decade) follow the UTC calendar, so a bar is "2019" or "2019-03", never 365 days from an arbitrary start.
 * {@link #forSpan} picks the finest unit that keeps a span within a number of bars.
 */
enum TimeBucket {
    MILLISECOND("millisecond", 1_000_000L), TEN_MILLISECONDS("10 ms", 10_000_000L),
    HUNDRED_MILLISECONDS("100 ms", 100_000_000L), SECOND("second", 1_000_000_000L),
    TEN_SECONDS("10 seconds", 10_000_000_000L), MINUTE("minute", 60_000_000_000L),
    TEN_MINUTES("10 minutes", 600_000_000_000L), HOUR("hour", 3_600_000_000_000L),
    SIX_HOURS("6 hours", 21_600_000_000_000L), DAY("day", 86_400_000_000_000L), WEEK("week", 0), MONTH("month", 0),
    QUARTER("quarter", 0), YEAR("year", 0), DECADE("decade", 0);

    private static final long NANOS = 1_000_000_000L;
    private static final long DAY_NANOS = 86_400 * NANOS;

    private final String unit;
    /** The width of a fixed-width bucket; 0 for the calendar units. */
    private final long nanos;

    TimeBucket(String unit, long nanos) {
        this.unit = unit;
        this.nanos = nanos;
    }

    /** "second", "10 minutes", "year": for "events per ...". */
    String unit() {
        return unit;
    }

    /** The finest bucket in which {@code [first, last]} takes at most {@code max} bars (a decade at the most). */
    static TimeBucket forSpan(long firstNanos, long lastNanos, int max) {
        for (TimeBucket b : values()) {
            if (b.index(lastNanos) - b.index(firstNanos) + 1 <= max) {
                return b;
            }
        }
        return DECADE;
    }

    /** The bucket holding {@code nanos} (since the epoch); consecutive buckets have consecutive indexes. */
    long index(long nanos) {
        if (this.nanos > 0) {
            return Math.floorDiv(nanos, this.nanos);
        }
        if (this == WEEK) {
            return Math.floorDiv(Math.floorDiv(nanos, DAY_NANOS) + 3, 7); // 1970-01-01 was a Thursday
        }
        LocalDateTime t = utc(nanos);
        long months = (t.getYear() - 1970L) * 12 + t.getMonthValue() - 1;
        return switch (this) {
            case MONTH -> months;
            case QUARTER -> Math.floorDiv(months, 3);
            case YEAR -> t.getYear();
            default -> Math.floorDiv(t.getYear(), 10);
        };
    }

    /** The first instant of bucket {@code index}, in nanoseconds since the epoch. */
    long start(long index) {
        if (nanos > 0) {
            return index * nanos;
        }
        LocalDateTime t = switch (this) {
            case WEEK -> LocalDateTime.of(1970, 1, 1, 0, 0).plusDays(index * 7 - 3);
            case MONTH -> LocalDateTime.of(1970, 1, 1, 0, 0).plusMonths(index);
            case QUARTER -> LocalDateTime.of(1970, 1, 1, 0, 0).plusMonths(index * 3);
            case YEAR -> LocalDateTime.of((int) index, 1, 1, 0, 0);
            default -> LocalDateTime.of((int) index * 10, 1, 1, 0, 0);
        };
        return t.toEpochSecond(ZoneOffset.UTC) * NANOS;
    }

    /** A short axis label for bucket {@code index}; {@code withDate} adds the day to units shorter than a day. */
    String label(long index, boolean withDate) {
        LocalDateTime t = utc(start(index));
        return switch (this) {
            case MILLISECOND, TEN_MILLISECONDS, HUNDRED_MILLISECONDS -> t.format(DateTimeFormatter.ofPattern(withDate
                    ? "yyyy-MM-dd HH:mm:ss.SSS" : "HH:mm:ss.SSS"));
            case SECOND, TEN_SECONDS -> t.format(DateTimeFormatter.ofPattern(withDate ? "yyyy-MM-dd HH:mm:ss"
                    : "HH:mm:ss"));
            case MINUTE, TEN_MINUTES -> t.format(DateTimeFormatter.ofPattern(withDate ? "yyyy-MM-dd HH:mm"
                    : "HH:mm"));
            case HOUR, SIX_HOURS -> t.format(DateTimeFormatter.ofPattern(withDate ? "yyyy-MM-dd HH:00"
                    : "MM-dd HH:00"));
            case DAY, WEEK -> t.format(DateTimeFormatter.ISO_LOCAL_DATE);
            case MONTH -> t.format(DateTimeFormatter.ofPattern("yyyy-MM"));
            case QUARTER -> t.getYear() + " Q" + ((t.getMonthValue() - 1) / 3 + 1);
            case YEAR -> Integer.toString(t.getYear());
            case DECADE -> t.getYear() + "s";
        };
    }

    private static LocalDateTime utc(long nanos) {
        return LocalDateTime.ofInstant(Instant.ofEpochSecond(Math.floorDiv(nanos, NANOS), Math.floorMod(nanos, NANOS)),
                ZoneOffset.UTC);
    }
}
