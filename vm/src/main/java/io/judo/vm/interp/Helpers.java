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
    public static final int BUFFER = 14;
    public static final int FIND = 15;
    public static final int REGEX = 16;
    public static final int BYTE_READ = 17;
    public static final int FLOWBIT = 18;
    public static final int THRESHOLD = 19;
    public static final int PROGRESS = 20;
    public static final int PROGRESS_SET = 21;
    public static final int EDIT = 22;
    public static final int STREAM_MATCHED = 23;
    public static final int APP_PROTO = 24;
    public static final int APP_EVENT = 25;
    public static final int XBIT = 26;
    public static final int FLOWINT = 27;
    public static final int BASE64_DECODE = 28;
    public static final int BASE64_RESTORE = 29;
    public static final int SEARCHED = 30;
    public static final int SEARCHED_SET = 31;
    public static final int TABLE = 32;

    /**
     * {@link #APP_PROTO} protocol ids: the ordinals of the application layer's detection result
     * ({@code io.judo.applayer.AppProto}: UNKNOWN, HTTP, FAILED, DNS, TLS, SMTP, FTP, SSH, FTP_DATA), which the VM does not
     * depend on.
     */
    public static final int APP_PROTO_UNKNOWN = 0;
    public static final int APP_PROTO_HTTP = 1;
    public static final int APP_PROTO_FAILED = 2;
    public static final int APP_PROTO_DNS = 3;
    public static final int APP_PROTO_TLS = 4;
    public static final int APP_PROTO_SMTP = 5;
    public static final int APP_PROTO_FTP = 6;
    public static final int APP_PROTO_SSH = 7;
    /** An FTP data connection: a TCP flow to the address and port an FTP command channel announced. */
    public static final int APP_PROTO_FTP_DATA = 8;

    /** The rule-language name of an {@link #APP_PROTO} protocol id ({@code app-layer-protocol}'s word). */
    public static String appProtoName(int id) {
        return switch (id) {
            case APP_PROTO_UNKNOWN -> "unknown";
            case APP_PROTO_HTTP -> "http";
            case APP_PROTO_FAILED -> "failed";
            case APP_PROTO_DNS -> "dns";
            case APP_PROTO_TLS -> "tls";
            case APP_PROTO_SMTP -> "smtp";
            case APP_PROTO_FTP -> "ftp";
            case APP_PROTO_SSH -> "ssh";
            case APP_PROTO_FTP_DATA -> "ftp-data";
            default -> "proto" + id;
        };
    }

    /** {@link #FIND} flag: compare ASCII letters without case. */
    public static final int FIND_NOCASE = 1;
    /** {@link #REGEX} result: no match. */
    public static final long REGEX_NO_MATCH = -1;
    /** {@link #REGEX} result: the regex's step budget ran out (the rule check stops, counted). */
    public static final long REGEX_EXHAUSTED = -2;
    /** {@link #FLOWBIT} operations. */
    public static final int FLOWBIT_TEST = 0;
    public static final int FLOWBIT_SET = 1;
    public static final int FLOWBIT_UNSET = 2;
    public static final int FLOWBIT_TOGGLE = 3;

    /** {@link #XBIT} r1's bits 4-5: where the bit is kept (the operation, a {@code FLOWBIT_*} value, is bits 0-3). */
    public static final int XBIT_TRACK_SRC = 0;
    public static final int XBIT_TRACK_DST = 1 << 4;
    public static final int XBIT_TRACK_PAIR = 2 << 4;

    /** {@link #FLOWINT} r1's operations (bits 0-3) and its flag that r3 is another integer's number. */
    public static final int FLOWINT_SET = 0;
    public static final int FLOWINT_ADD = 1;
    public static final int FLOWINT_SUB = 2;
    public static final int FLOWINT_EQ = 3;
    public static final int FLOWINT_NE = 4;
    public static final int FLOWINT_LT = 5;
    public static final int FLOWINT_GT = 6;
    public static final int FLOWINT_LE = 7;
    public static final int FLOWINT_GE = 8;
    public static final int FLOWINT_ISSET = 9;
    public static final int FLOWINT_NOTSET = 10;
    public static final int FLOWINT_OPERAND_VAR = 16;

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
                    "placeholder the rule compilers put where rule r1's inspections go; the linker replaces it with "
                    + "their code before verification, so no run-time binding exists"),
            new HelperPrototype(BUFFER, "buffer", List.of(ArgType.SCALAR),
                    "select inspection buffer r1 (see Buffer); r0 = its length, or -1 when this packet has none"),
            new HelperPrototype(FIND, "find", List.of(ArgType.STRING, ArgType.SCALAR, ArgType.SCALAR, ArgType.SCALAR),
                    "r0 = the first index s >= r2 of the selected buffer where string r1 occurs ending at or before "
                    + "r3 (both clamped to the buffer), or -1; r4 bit 0: nocase"),
            new HelperPrototype(REGEX, "regex", List.of(ArgType.STRING, ArgType.SCALAR, ArgType.SCALAR, ArgType.SCALAR),
                    "search the selected buffer's bytes [r2, r4) for the regex whose text is string r1 (r3 = 1: ^ "
                    + "anchors at r2); r0 = start << 32 | end, -1 for no match, -2 when its budget ran out"),
            new HelperPrototype(BYTE_READ, "byte_read", List.of(ArgType.SCALAR, ArgType.SCALAR, ArgType.SCALAR),
                    "read a number at index r1 of the selected buffer; r2 = bytes | base << 8 | little-endian << 16 "
                    + "(base 0 binary, else 8, 10 or 16 for digits); r3 = bitmask (0 none); r0 = value, -1 failed"),
            new HelperPrototype(FLOWBIT, "flowbit", List.of(ArgType.SCALAR, ArgType.SCALAR),
                    "flow bit r2 of the packet's flow: r1 0 test, 1 set, 2 unset, 3 toggle; r0 = the bit after it"),
            new HelperPrototype(THRESHOLD, "threshold", List.of(ArgType.SCALAR),
                    "r0 = 1 when rule r1's detection_filter lets this match through (bound by the engine)"),
            new HelperPrototype(PROGRESS, "progress", List.of(ArgType.SCALAR),
                    "r0 = the index in the selected stream buffer where rule r1's next match may start (the end of "
                    + "its last reported one, or 0)"),
            new HelperPrototype(PROGRESS_SET, "progress_set", List.of(ArgType.SCALAR, ArgType.SCALAR),
                    "record that rule r1's match in the selected stream buffer ended at index r2"),
            new HelperPrototype(EDIT, "edit", List.of(ArgType.SCALAR, ArgType.SCALAR),
                    "the rule compiler's edit r1 (a content with replace) matched at index r2 of the selected "
                    + "buffer: the engine rewrites those bytes"),
            new HelperPrototype(STREAM_MATCHED, "stream_matched", List.of(ArgType.SCALAR),
                    "r0 = 1 when policy rule r1's stream condition held in this packet's flow and direction (the "
                    + "policy engine's sticky result of its stream program)"),
            new HelperPrototype(APP_PROTO, "app_proto", List.of(ArgType.SCALAR),
                    "r0 = 1 when the application protocol detected on the packet's flow is r1 (0 unknown yet, 1 HTTP, "
                    + "2 detection failed), else 0"),
            new HelperPrototype(APP_EVENT, "app_event", List.of(ArgType.STRING),
                    "r0 = 1 when the application layer raised the event whose name is string r1 (the HTTP parser's "
                    + "event name, as HttpEvent.name(): INVALID_TRANSFER_ENCODING_VALUE_IN_REQUEST) on the "
                    + "transaction being inspected, else 0"),
            new HelperPrototype(XBIT, "xbit", List.of(ArgType.SCALAR, ArgType.SCALAR, ArgType.SCALAR),
                    "xbit r2 kept per host or address pair (Suricata's xbits): r1 bits 0-3 the operation as for "
                    + "flowbit (0 test, 1 set, 2 unset, 3 toggle), bits 4-5 the place (0 the packet's source host, "
                    + "1 its destination host, 2 its address pair); a set or toggle lives r3 seconds of packet time; "
                    + "r0 = the bit after it (bound by the engine)"),
            new HelperPrototype(FLOWINT, "flowint", List.of(ArgType.SCALAR, ArgType.SCALAR, ArgType.SCALAR),
                    "flow integer r2 of the packet's flow (Suricata's flowint, unsigned 32 bits): r1 bits 0-3 the "
                    + "operation (0 =, 1 +, 2 -, 3 ==, 4 !=, 5 <, 6 >, 7 <=, 8 >=, 9 isset, 10 notset), bit 4: r3 is "
                    + "another integer's number (0 while unset) rather than a value; r0 = 1 when it held or was done "
                    + "(a test or - of an unset integer does not; + starts it at r3) (bound by the engine)"),
            new HelperPrototype(BASE64_DECODE, "base64_decode", List.of(ArgType.SCALAR, ArgType.SCALAR),
                    "decode the selected buffer's bytes [r1, r2) (clamped) as base64 the way Suricata's "
                    + "base64_decode does (RFC 4648: stops at the first byte outside the alphabet) and select the "
                    + "decoded bytes in its place (base64_data); r0 = their length, or -1 (selection unchanged) when "
                    + "nothing decoded"),
            new HelperPrototype(BASE64_RESTORE, "base64_restore", List.of(),
                    "select again the buffer base64_decode decoded from; r0 = its length, or -1 when no decoded data "
                    + "is selected"),
            new HelperPrototype(SEARCHED, "searched", List.of(ArgType.SCALAR),
                    "r0 = the index in the selected stream buffer before which no stream byte starts rule r1's "
                    + "leading contents (as searched in earlier windows of this direction), or 0"),
            new HelperPrototype(SEARCHED_SET, "searched_set", List.of(ArgType.SCALAR, ArgType.SCALAR),
                    "record that no byte before index r2 of the selected stream buffer starts rule r1's leading "
                    + "contents"),
            new HelperPrototype(TABLE, "table", List.of(ArgType.SCALAR, ArgType.SCALAR),
                    "r0 = 1 when the packet's source (r1 = 0) or destination (r1 = 1) address was put in runtime "
                    + "table r2 while packets passed (a pf overload), else 0 (bound by the engine)"));

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
