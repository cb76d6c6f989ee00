package io.judo.vm.interp;

import java.util.List;

/**
 * The standard helpers: ids and prototypes are fixed here (the ISA); implementations are bound by the engine (or
 * by tests) through a {@link HelperTable}.
 */
public final class Helpers {
    public static final int MATCH = 1;
    public static final int MATCHED = 2;
    public static final int MATCH_START = 3;
    public static final int MATCH_END = 4;
    public static final int REPLACE = 5;
    public static final int REPLACE_MATCH = 6;
    public static final int REMAP_ADDR = 7;
    public static final int REMAP_PORT = 8;
    public static final int SET_TTL = 9;
    public static final int SET_TOS = 10;
    public static final int LOG = 11;
    public static final int ALERT = 12;
    public static final int INSPECT = 13;

    private static final List<HelperPrototype> ALL = List.of(
            new HelperPrototype(MATCH, "match", List.of(ArgType.PATTERN_DB),
                    "run pattern database r1 over the payload or stream chunk; r0 = number of matches"),
            new HelperPrototype(MATCHED, "matched", List.of(ArgType.PATTERN),
                    "r0 = 1 when pattern r1 matched in the last scan of its database, else 0"),
            new HelperPrototype(MATCH_START, "match_start", List.of(ArgType.PATTERN),
                    "r0 = start offset of pattern r1's last match, or -1"),
            new HelperPrototype(MATCH_END, "match_end", List.of(ArgType.PATTERN),
                    "r0 = end offset (exclusive) of pattern r1's last match, or -1"),
            new HelperPrototype(REPLACE, "replace", List.of(ArgType.SCALAR, ArgType.SCALAR, ArgType.STRING),
                    "replace payload bytes [r1, r2) with string r3 (any length); r0 = 1 when done"),
            new HelperPrototype(REPLACE_MATCH, "replace_match", List.of(ArgType.PATTERN, ArgType.STRING),
                    "replace every match of pattern r1 with string r2; r0 = number replaced"),
            new HelperPrototype(REMAP_ADDR, "remap_addr", List.of(ArgType.SCALAR, ArgType.STRING),
                    "rewrite the source (r1 = 0) or destination (r1 = 1) address to the address text in string r2"),
            new HelperPrototype(REMAP_PORT, "remap_port", List.of(ArgType.SCALAR, ArgType.SCALAR),
                    "rewrite the source (r1 = 0) or destination (r1 = 1) port to r2"),
            new HelperPrototype(SET_TTL, "set_ttl", List.of(ArgType.SCALAR), "set the TTL / hop limit to r1"),
            new HelperPrototype(SET_TOS, "set_tos", List.of(ArgType.SCALAR), "set the TOS / traffic class to r1"),
            new HelperPrototype(LOG, "log", List.of(ArgType.SCALAR), "journal the packet under rule r1"),
            new HelperPrototype(ALERT, "alert", List.of(ArgType.SCALAR), "raise an alert for rule r1"),
            new HelperPrototype(INSPECT, "inspect", List.of(ArgType.SCALAR),
                    "check rule r1's payload conditions (contents, regexes, flow bits, thresholds) on the current "
                    + "payload or stream chunk; r0 = 1 when they hold"));

    private Helpers() {
    }

    public static List<HelperPrototype> all() {
        return ALL;
    }

    /** The prototype for an id, or null. */
    public static HelperPrototype byId(int id) {
        for (HelperPrototype p : ALL) {
            if (p.id() == id) {
                return p;
            }
        }
        return null;
    }

    /** The prototype for a name, or null. */
    public static HelperPrototype byName(String name) {
        for (HelperPrototype p : ALL) {
            if (p.name().equals(name)) {
                return p;
            }
        }
        return null;
    }
}
