package io.judo.engine.detect;

import io.judo.rules.suricata.SuricataRule.Threshold;
import java.util.HashMap;
import java.util.Map;

/**
 * threshold and detection_filter state per rule and tracked address, in capture time. Only touched when a rule with
 * one of them matches, so a map keyed by text is fine.
 */
final class ThresholdTracker {
    private static final long NANOS = 1_000_000_000L;

    /** [window start, count in window, alerted in window]. */
    private final Map<String, long[]> state = new HashMap<>();

    /**
     * Counts one match of rule {@code rule} for {@code address} at {@code now}.
     *
     * @return whether this match passes: for detection_filter, whether the rule matches at all; for threshold,
     *     whether it alerts
     */
    boolean pass(int rule, Threshold t, String address, long now) {
        long[] s = state.computeIfAbsent(t.type() + rule + "/" + address, k -> new long[] {now, 0, 0});
        if (now - s[0] >= t.seconds() * NANOS) {
            s[0] = now;
            s[1] = 0;
            s[2] = 0;
        }
        s[1]++;
        switch (t.type()) {
            case "limit":
                return s[1] <= t.count();
            case "threshold":
                if (s[1] >= t.count()) {
                    s[1] = 0;
                    return true;
                }
                return false;
            case "both":
                if (s[1] >= t.count() && s[2] == 0) {
                    s[2] = 1;
                    return true;
                }
                return false;
            default: // detection_filter: matches once the count is exceeded within the window
                return s[1] > t.count();
        }
    }
}
