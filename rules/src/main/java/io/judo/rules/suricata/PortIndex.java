package io.judo.rules.suricata;

import io.judo.vm.pool.IntRangeSet;
import java.util.ArrayList;
import java.util.List;

/**
 * Which rules a TCP or UDP port can concern: rules without a literal to prefilter on, but with a specific port list,
 * become candidates only for packets to (or, for {@code <>}, from) one of their ports, as Suricata's per-port rule
 * groups do. Lists of more than {@link #MAX_PORTS} ports are not indexed (they select most traffic anyway).
 */
public final class PortIndex {
    public static final int MAX_PORTS = 1024;
    private static final int[] EMPTY = new int[0];

    /** Per protocol slot (0 TCP, 1 UDP), per port, the rules. */
    private final int[][][] rules;

    private PortIndex(int[][][] rules) {
        this.rules = rules;
    }

    static boolean indexable(IntRangeSet ports) {
        if (ports == null) {
            return false;
        }
        long n = 0;
        for (int i = 0; i < ports.ranges(); i++) {
            n += ports.high(i) - ports.low(i) + 1;
        }
        return n <= MAX_PORTS;
    }

    static final class Builder {
        @SuppressWarnings({"unchecked", "rawtypes"})
        private final List<Integer>[][] lists = new List[2][65536];
        private boolean empty = true;

        /** @param protocol 6 or 17 */
        void add(int rule, int protocol, IntRangeSet ports) {
            int slot = protocol == 6 ? 0 : 1;
            for (int i = 0; i < ports.ranges(); i++) {
                for (long p = ports.low(i); p <= ports.high(i); p++) {
                    List<Integer> l = lists[slot][(int) p];
                    if (l == null) {
                        l = new ArrayList<>(2);
                        lists[slot][(int) p] = l;
                    }
                    l.add(rule);
                    empty = false;
                }
            }
        }

        boolean isEmpty() {
            return empty;
        }

        PortIndex build() {
            int[][][] rules = new int[2][65536][];
            for (int s = 0; s < 2; s++) {
                for (int p = 0; p < 65536; p++) {
                    List<Integer> l = lists[s][p];
                    rules[s][p] = l == null ? EMPTY : l.stream().mapToInt(Integer::intValue).distinct().sorted()
                            .toArray();
                }
            }
            return new PortIndex(rules);
        }
    }

    /** The rules concerning {@code port} of {@code protocol} (6 or 17; others have none); never null. */
    public int[] rulesFor(int protocol, int port) {
        if (protocol == 6) {
            return rules[0][port];
        }
        return protocol == 17 ? rules[1][port] : EMPTY;
    }
}
