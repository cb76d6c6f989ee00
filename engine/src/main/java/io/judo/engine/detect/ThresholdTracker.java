package io.judo.engine.detect;

import io.judo.rules.suricata.SuricataRule.RateFilter;
import io.judo.rules.suricata.SuricataRule.Threshold;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The counters behind {@code threshold}, {@code detection_filter} and threshold.config's {@code rate_filter}, one per
 * (rule, tracked key), in capture time, with Suricata's arithmetic: a window starts at a key's first match and holds
 * every match up to and including {@code seconds} later; the first match after it starts a new window with a count of
 * one. A key is a {@link Key} the caller fills in place for each match (no address text per check, as there was); the
 * map keeps a copy when it makes an entry. Entries whose window and timeout have passed are swept when the map grows,
 * so memory follows the keys active in the last window.
 */
final class ThresholdTracker {
    private static final long NANOS = 1_000_000_000L;
    /** The map is swept of finished entries each time it passes this many (then twice the survivors). */
    private static final int SWEEP_AT = 1 << 16;

    private static final class Entry {
        long start;
        long count;
        /** rate_filter: the second (of capture time) the new action began, or -1 when it is not in force. */
        long timeoutStart = -1;
        /** When the entry no longer matters (window end, or the rate filter's timeout end), in nanoseconds. */
        long doneAt;
    }

    /**
     * A counter's key: its kind ({@code 't'} threshold, {@code 'f'} detection_filter, {@code 'r'} rate_filter), the
     * rule, and what the track names: an address, the unordered address pair, the flow, or nothing (by_rule).
     */
    static final class Key {
        char kind;
        int rule;
        long flow;
        final AddressKey address;

        Key() {
            this(new AddressKey());
        }

        private Key(AddressKey address) {
            this.address = address;
        }

        /** Sets the kind and the rule, and clears what the track names. */
        Key of(char k, int r) {
            kind = k;
            rule = r;
            flow = 0;
            address.clear();
            return this;
        }

        Key copy() {
            Key k = new Key(address.copy());
            k.kind = kind;
            k.rule = rule;
            k.flow = flow;
            return k;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.kind == kind && k.rule == rule && k.flow == flow
                    && k.address.equals(address);
        }

        @Override
        public int hashCode() {
            return (address.hashCode() * 31 + rule) * 31 + kind + Long.hashCode(flow) * 17;
        }
    }

    private final Map<Key, Entry> state = new HashMap<>();
    private int sweepAt = SWEEP_AT;

    /** Whether this match of a rule with {@code threshold} {@code t} alerts. */
    boolean alerts(Key key, Threshold t, long now) {
        Entry e = state.get(key);
        long n = t.count();
        if (e == null) {
            if (t.type().equals("threshold") && n == 1) {
                return true; // Suricata keeps no counter for "every match"
            }
            create(key, t.seconds(), now);
            return !t.type().equals("threshold") && (t.type().equals("limit") || n == 1);
        }
        if (!inWindow(e, t.seconds(), now)) {
            restart(e, t.seconds(), now);
            return t.type().equals("limit") || t.type().equals("both") && n == 1;
        }
        e.count++;
        switch (t.type()) {
            case "limit":
                return e.count <= n;
            case "both":
                return e.count == n;
            default: // threshold: every n-th match in the window
                if (e.count >= n) {
                    e.count = 0;
                    return true;
                }
                return false;
        }
    }

    /** Whether this match passes the rule's {@code detection_filter} {@code t}: more than count matches in a window. */
    boolean filterPasses(Key key, Threshold t, long now) {
        Entry e = state.get(key);
        if (e == null) {
            create(key, t.seconds(), now);
            return false;
        }
        if (!inWindow(e, t.seconds(), now)) {
            restart(e, t.seconds(), now);
            return false;
        }
        return ++e.count > t.count();
    }

    /**
     * Whether this match of a rule with rate filter {@code f} takes the filter's new action: from the match that makes
     * more than count in a window, for {@code timeout} seconds (whole seconds of capture time, as Suricata counts
     * them); the match after the timeout takes the rule's own action again and is not counted.
     */
    boolean rateReached(Key key, RateFilter f, long now) {
        Entry e = state.get(key);
        if (e == null) {
            create(key, f.seconds(), now);
            return false;
        }
        long secs = Math.floorDiv(now, NANOS);
        if (e.timeoutStart >= 0) {
            if (secs - e.timeoutStart > f.timeout()) {
                e.timeoutStart = -1;
                return false;
            }
            return true;
        }
        if (!inWindow(e, f.seconds(), now)) {
            restart(e, f.seconds(), now);
            return false;
        }
        if (++e.count > f.count()) {
            e.timeoutStart = secs;
            e.doneAt = Math.max(e.doneAt, (secs + f.timeout() + 1) * NANOS);
            return true;
        }
        return false;
    }

    /** Tracked entries (for tests of the sweep). */
    int size() {
        return state.size();
    }

    private static boolean inWindow(Entry e, int seconds, long now) {
        return now - e.start <= seconds * NANOS;
    }

    private static void restart(Entry e, int seconds, long now) {
        e.start = now;
        e.count = 1;
        e.doneAt = Math.max(e.doneAt, now + seconds * NANOS);
    }

    private void create(Key key, int seconds, long now) {
        if (state.size() >= sweepAt) {
            sweep(now);
        }
        Entry e = new Entry();
        e.start = now;
        e.count = 1;
        e.doneAt = now + seconds * NANOS;
        state.put(key.copy(), e);
    }

    /** Drops entries whose window and timeout ended: their next match would start afresh anyway. */
    private void sweep(long now) {
        for (Iterator<Entry> it = state.values().iterator(); it.hasNext();) {
            Entry e = it.next();
            if (e.doneAt < now) {
                it.remove();
            }
        }
        sweepAt = Math.max(SWEEP_AT, 2 * state.size());
    }
}
