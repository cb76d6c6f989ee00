package io.judo.engine.detect;

import java.util.Arrays;

/**
 * Per direction of one flow: for each stream rule that matched, the stream offset where its last reported match
 * ended, so that the rule's next match in that direction starts after it (one alert per occurrence however often
 * the kept window shows it again). Open addressing on the rule index; it exists only once a stream rule matched in
 * the flow and grows with the rules that did, so a lookup allocates nothing. The same map keeps, per rule, the stream
 * offset before which no byte starts the rule's leading contents ({@code FlowState.searched}).
 */
final class ReportedEnds {
    private static final int EMPTY = -1;
    private int[] rules = new int[8];
    private long[] ends = new long[8];
    private int size;

    ReportedEnds() {
        Arrays.fill(rules, EMPTY);
    }

    /** The end of {@code rule}'s last reported match, or 0 when it has none. */
    long get(int rule) {
        int mask = rules.length - 1;
        for (int i = mix(rule) & mask; ; i = (i + 1) & mask) {
            int r = rules[i];
            if (r == rule) {
                return ends[i];
            }
            if (r == EMPTY) {
                return 0;
            }
        }
    }

    void put(int rule, long end) {
        if ((size + 1) * 2 > rules.length) {
            grow();
        }
        int mask = rules.length - 1;
        for (int i = mix(rule) & mask; ; i = (i + 1) & mask) {
            if (rules[i] == rule) {
                ends[i] = end;
                return;
            }
            if (rules[i] == EMPTY) {
                rules[i] = rule;
                ends[i] = end;
                size++;
                return;
            }
        }
    }

    private void grow() {
        int[] oldRules = rules;
        long[] oldEnds = ends;
        rules = new int[oldRules.length * 2];
        ends = new long[oldRules.length * 2];
        Arrays.fill(rules, EMPTY);
        size = 0;
        for (int i = 0; i < oldRules.length; i++) {
            if (oldRules[i] != EMPTY) {
                put(oldRules[i], oldEnds[i]);
            }
        }
    }

    private static int mix(int rule) {
        return rule * 0x9E3779B9 >>> 16 ^ rule;
    }
}
