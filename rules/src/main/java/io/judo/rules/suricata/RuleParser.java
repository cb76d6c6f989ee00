package io.judo.rules.suricata;

import io.judo.matcher.MatcherException;
import io.judo.matcher.confirm.BoundedRegex;
import io.judo.rules.RuleError;
import io.judo.rules.ir.Base64Decode;
import io.judo.rules.ir.Bsize;
import io.judo.rules.ir.ByteExtract;
import io.judo.rules.ir.ByteJump;
import io.judo.rules.ir.ByteMath;
import io.judo.rules.ir.ByteRead;
import io.judo.rules.ir.ByteTest;
import io.judo.rules.ir.Content;
import io.judo.rules.ir.ContentVariables;
import io.judo.rules.ir.DataAt;
import io.judo.rules.ir.Flowbit;
import io.judo.rules.ir.Flowint;
import io.judo.rules.ir.Inspect;
import io.judo.rules.ir.Inspection;
import io.judo.rules.ir.Pcre;
import io.judo.rules.ir.UintTest;
import io.judo.rules.ir.Value;
import io.judo.rules.ir.Xbit;
import io.judo.rules.suricata.SuricataRule.Action;
import io.judo.rules.suricata.SuricataRule.FlagsTest;
import io.judo.rules.suricata.SuricataRule.FlowSpec;
import io.judo.rules.suricata.SuricataRule.Proto;
import io.judo.rules.suricata.SuricataRule.Threshold;
import io.judo.vm.Buffer;
import io.judo.vm.Transform;
import io.judo.vm.interp.Helpers;
import io.judo.vm.pool.CidrSet;
import io.judo.vm.pool.IntRangeSet;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Parses one Suricata/Snort rule. Problems in the rule are {@link RuleError}s with the column; keywords outside the
 * supported subset are {@link UnsupportedKeyword}s, which the loader counts and skips. Parsing is strict where a
 * silent misreading would change what matches (unknown pcre flags that change semantics, modifiers without a
 * content) and lenient where Suricata itself only warns.
 */
public final class RuleParser {
    /** Keywords that only annotate the rule. */
    private static final Set<String> INFORMATIONAL = Set.of("reference", "metadata");
    /** pcre flags this front end ignores with no effect on what matches. */
    private static final String HARMLESS_PCRE_FLAGS = "OB";
    /** Options that do not depend on others, still checked after the first unimplemented keyword of a rule. */
    private static final Set<String> META = Set.of("msg", "sid", "rev", "gid", "priority", "classtype", "target",
            "reference", "metadata");
    /** Suricata's older sticky-buffer spellings (before 5.0), and Snort's file_data. */
    private static final Map<String, Buffer> STICKY_ALIASES = Map.ofEntries(Map.entry("file_data", Buffer.FILE_DATA),
            Map.entry("dns_query", Buffer.DNS_QUERY),
            Map.entry("tls_sni", Buffer.TLS_SNI), Map.entry("tls_cert_subject", Buffer.TLS_CERT_SUBJECT),
            Map.entry("tls_cert_issuer", Buffer.TLS_CERT_ISSUER), Map.entry("tls_cert_serial", Buffer.TLS_CERT_SERIAL),
            Map.entry("tls_cert_fingerprint", Buffer.TLS_CERT_FINGERPRINT), Map.entry("ja3_hash", Buffer.JA3_HASH),
            Map.entry("ja3_string", Buffer.JA3_STRING), Map.entry("ssh_proto", Buffer.SSH_PROTO),
            Map.entry("ssh_software", Buffer.SSH_SOFTWARE),
            Map.entry("http_accept", Buffer.HTTP_ACCEPT), Map.entry("http_accept_enc", Buffer.HTTP_ACCEPT_ENC),
            Map.entry("http_accept_lang", Buffer.HTTP_ACCEPT_LANG), Map.entry("http_connection",
                    Buffer.HTTP_CONNECTION), Map.entry("http_content_len", Buffer.HTTP_CONTENT_LEN),
            Map.entry("http_content_type", Buffer.HTTP_CONTENT_TYPE), Map.entry("http_referer", Buffer.HTTP_REFERER),
            Map.entry("http_start", Buffer.HTTP_START), Map.entry("http_header_names", Buffer.HTTP_HEADER_NAMES),
            Map.entry("http_protocol", Buffer.HTTP_PROTOCOL), Map.entry("http_request_line",
                    Buffer.HTTP_REQUEST_LINE), Map.entry("http_response_line", Buffer.HTTP_RESPONSE_LINE));
    /** The content modifiers of Snort and older Suricata: each moves its content to a buffer. */
    private static final Map<String, Buffer> CONTENT_MODIFIERS = Map.ofEntries(Map.entry("http_uri", Buffer.HTTP_URI),
            Map.entry("http_raw_uri", Buffer.HTTP_URI_RAW), Map.entry("http_header", Buffer.HTTP_HEADER),
            Map.entry("http_raw_header", Buffer.HTTP_HEADER_RAW), Map.entry("http_method", Buffer.HTTP_METHOD),
            Map.entry("http_cookie", Buffer.HTTP_COOKIE), Map.entry("http_raw_cookie", Buffer.HTTP_COOKIE),
            Map.entry("http_user_agent", Buffer.HTTP_USER_AGENT), Map.entry("http_host", Buffer.HTTP_HOST),
            Map.entry("http_raw_host", Buffer.HTTP_HOST_RAW), Map.entry("http_stat_code", Buffer.HTTP_STAT_CODE),
            Map.entry("http_stat_msg", Buffer.HTTP_STAT_MSG), Map.entry("http_client_body", Buffer.HTTP_REQUEST_BODY),
            Map.entry("http_server_body", Buffer.FILE_DATA));
    /**
     * The pcre modifiers that name an HTTP buffer (Suricata's pcre documentation; K, Snort's raw cookie, is the
     * cookie: Judo's cookie buffer is not normalized).
     */
    private static final Map<Character, Buffer> PCRE_BUFFERS = Map.ofEntries(Map.entry('U', Buffer.HTTP_URI),
            Map.entry('I', Buffer.HTTP_URI_RAW), Map.entry('P', Buffer.HTTP_REQUEST_BODY),
            Map.entry('Q', Buffer.FILE_DATA), Map.entry('H', Buffer.HTTP_HEADER),
            Map.entry('D', Buffer.HTTP_HEADER_RAW), Map.entry('M', Buffer.HTTP_METHOD),
            Map.entry('C', Buffer.HTTP_COOKIE), Map.entry('K', Buffer.HTTP_COOKIE),
            Map.entry('S', Buffer.HTTP_STAT_CODE), Map.entry('Y', Buffer.HTTP_STAT_MSG),
            Map.entry('V', Buffer.HTTP_USER_AGENT), Map.entry('W', Buffer.HTTP_HOST),
            Map.entry('Z', Buffer.HTTP_HOST_RAW));
    /** Options whose number may name a byte_extract/byte_math variable. */
    private static final Set<String> BYTE_VARIABLE_USERS = Set.of("offset", "depth", "distance", "within");

    private final Variables vars;
    private final Classifications classes;
    /** What the last {@link #parse} accepted but ignored (e.g. "pcre flag O"), for the loader to report. */
    private final List<String> ignored = new ArrayList<>();
    /**
     * Address and port fields already resolved, by their text ({@link #ANY} for "matches everything"). ET Open writes
     * 1,216 distinct address fields in 49,654 (36% are {@code $HOME_NET}, 36% {@code $EXTERNAL_NET}); resolving a
     * negated variable builds its complement, so parsing each text once took a tenth of the rules' load time.
     * The sets are immutable and the variables fixed for this parser, so sharing them is safe.
     */
    private final Map<String, Object> addressSets = new HashMap<>();
    private final Map<String, Object> portSets = new HashMap<>();
    private static final Object ANY = new Object();

    public RuleParser(Variables vars, Classifications classes) {
        this.vars = vars;
        this.classes = classes;
    }

    /** A rule option as written: keyword, raw value (null when absent), 1-based column of the keyword. */
    private record Option(String key, String value, int column, int valueColumn) {
    }

    /**
     * Parses {@code text} (one rule on one line) found at {@code file:line}.
     *
     * @throws RuleError for a malformed rule
     * @throws UnsupportedKeyword for a rule outside the subset
     */
    public SuricataRule parse(String text, String file, int line) {
        ignored.clear();
        return new Run(text, file, line).rule();
    }

    /** What the last rule parsed used but has no effect here, by name (e.g. "pcre flag O"). */
    public List<String> ignored() {
        return List.copyOf(ignored);
    }

    private final class Run {
        private final String text;
        private final String file;
        private final int line;
        private int pos;
        /** Names of the byte_extract/byte_math variables defined so far, by index. */
        private final List<String> variables = new ArrayList<>();

        Run(String text, String file, int line) {
            this.text = text;
            this.file = file;
            this.line = line;
        }

        RuleError error(int column, String message) {
            return new RuleError(file, line, column, text, message);
        }

        /** The next whitespace-separated header word; brackets may hold spaces. */
        private int wordStart;

        private String word(String what) {
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            wordStart = pos;
            int depth = 0;
            while (pos < text.length()) {
                char c = text.charAt(pos);
                if (c == '[') {
                    depth++;
                } else if (c == ']') {
                    depth--;
                } else if ((Character.isWhitespace(c) && depth <= 0) || (c == '(' && depth <= 0)) {
                    break;
                }
                pos++;
            }
            if (pos == wordStart) {
                throw error(pos + 1, "missing " + what);
            }
            return text.substring(wordStart, pos);
        }

        SuricataRule rule() {
            String actionWord = word("action");
            Action action = switch (actionWord) {
                case "alert" -> Action.ALERT;
                case "pass" -> Action.PASS;
                case "drop" -> Action.DROP;
                case "reject", "rejectsrc", "rejectdst", "rejectboth" -> Action.REJECT;
                default -> throw error(wordStart + 1, "unknown action '" + actionWord
                        + "' (alert, pass, drop, reject)");
            };
            String protoWord = word("protocol").toLowerCase(Locale.ROOT);
            int protoColumn = wordStart + 1;
            boolean http = protoWord.equals("http") || protoWord.equals("http1");
            // dns is an application layer over UDP and TCP alike: any IP packet, of a flow detected as DNS; tls is
            // a TCP flow detected as TLS
            // a tls, smtp, ftp or ssh flow is a TCP flow detected as that protocol
            headerProto = switch (protoWord) {
                case "dns" -> Helpers.APP_PROTO_DNS;
                case "tls" -> Helpers.APP_PROTO_TLS;
                case "smtp" -> Helpers.APP_PROTO_SMTP;
                case "ftp" -> Helpers.APP_PROTO_FTP;
                case "ssh" -> Helpers.APP_PROTO_SSH;
                case "ftp-data" -> Helpers.APP_PROTO_FTP_DATA;
                default -> -1;
            };
            Proto proto = switch (protoWord) {
                case "http", "http1" -> Proto.TCP;
                case "dns" -> Proto.IP;
                case "tls", "smtp", "ftp", "ssh", "ftp-data" -> Proto.TCP;
                case "ip", "pkthdr" -> Proto.IP;
                case "tcp" -> Proto.TCP;
                case "udp" -> Proto.UDP;
                case "icmp" -> Proto.ICMP;
                case "tcp-pkt" -> Proto.TCP_PKT;
                case "tcp-stream" -> Proto.TCP_STREAM;
                default -> {
                    if (Keywords.isOtherProtocol(protoWord)) {
                        throw new UnsupportedKeyword("protocol " + protoWord, protoColumn, "protocol '" + protoWord
                                + "' is one Suricata or Snort knows but Judo does not parse yet");
                    }
                    throw error(protoColumn, "unknown protocol '" + protoWord + "' (no Suricata or Snort protocol)"
                            + Keywords.hint(Keywords.closeProtocols(protoWord)));
                }
            };
            CidrSet src = addresses(word("source address"), wordStart);
            IntRangeSet srcPorts = ports(word("source port"), wordStart);
            String dir = word("direction");
            boolean both;
            if (dir.equals("->")) {
                both = false;
            } else if (dir.equals("<>")) {
                both = true;
            } else {
                throw error(wordStart + 1, "expected '->' or '<>', found '" + dir + "'");
            }
            CidrSet dst = addresses(word("destination address"), wordStart);
            IntRangeSet dstPorts = ports(word("destination port"), wordStart);
            while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
                pos++;
            }
            if (pos >= text.length() || text.charAt(pos) != '(') {
                throw error(pos + 1, "expected '(' before the rule options");
            }
            int close = text.lastIndexOf(')');
            if (close < pos || !text.substring(close + 1).isBlank()) {
                throw error(text.length(), "the rule options must end with ')'");
            }
            return options(splitOptions(pos + 1, close), action, proto, http, src, srcPorts, both, dst, dstPorts);
        }

        /** The source or destination addresses, null for any (a bad field is not remembered: its error repeats). */
        private CidrSet addresses(String spec, int start) {
            Object known = addressSets.get(spec);
            if (known != null) {
                return known == ANY ? null : (CidrSet) known;
            }
            try {
                AddressSpec a = AddressSpec.parse(spec, vars);
                if (a.isEmpty()) {
                    throw error(start + 1, "address '" + spec + "' matches no address");
                }
                CidrSet set = a.isAny() ? null : a.toCidrSet();
                addressSets.put(spec, set == null ? ANY : set);
                return set;
            } catch (IllegalArgumentException e) {
                throw error(start + 1, e.getMessage());
            }
        }

        /** The source or destination ports, null for any; remembered as the addresses are. */
        private IntRangeSet ports(String spec, int start) {
            Object known = portSets.get(spec);
            if (known != null) {
                return known == ANY ? null : (IntRangeSet) known;
            }
            try {
                PortSpec p = PortSpec.parse(spec, vars);
                if (p.isEmpty()) {
                    throw error(start + 1, "port '" + spec + "' matches no port");
                }
                IntRangeSet set = p.isAny() ? null : p.toIntRangeSet();
                portSets.put(spec, set == null ? ANY : set);
                return set;
            } catch (IllegalArgumentException e) {
                throw error(start + 1, e.getMessage());
            }
        }

        /** Splits {@code key[:value];} options; quotes and backslash escapes protect ';'. */
        private List<Option> splitOptions(int from, int to) {
            List<Option> out = new ArrayList<>();
            int i = from;
            while (i < to) {
                while (i < to && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                if (i >= to) {
                    break;
                }
                int start = i;
                boolean quoted = false;
                int colon = -1;
                int closedQuote = -1; // where the last quoted string of the value ended, while only spaces follow
                while (i < to) {
                    char c = text.charAt(i);
                    if (closedQuote >= 0 && !Character.isWhitespace(c) && c != ';' && c != ',') {
                        // text after a closed quoted value: a missing ';' would let this option swallow the next
                        String key = text.substring(start, colon < 0 ? i : colon).trim();
                        throw error(i + 1, "missing ';' after the quoted value of '" + key + "' (or an unbalanced"
                                + " quote)");
                    }
                    if (c == '\\' && i + 1 < to) {
                        i += 2;
                        continue;
                    }
                    if (c == '"' && quoted && colon >= 0 && !closesPcre(start, colon, i, to)) {
                        i++; // a quote inside a pcre: Suricata ends the option at the ';', so the regex may hold '"'
                        continue;
                    }
                    if (c == '"') {
                        quoted = !quoted;
                        closedQuote = quoted ? -1 : i;
                    } else if (c == ':' && colon < 0 && !quoted) {
                        colon = i;
                    } else if (c == ';' && !quoted) {
                        break;
                    } else if (c == ',' && !quoted) {
                        closedQuote = -1;
                    }
                    i++;
                }
                if (i >= to) {
                    throw error(start + 1, quoted ? "unterminated quoted string" : "option must end with ';'");
                }
                String key = text.substring(start, colon < 0 ? i : colon).trim();
                if (key.isEmpty()) {
                    throw error(start + 1, "empty option");
                }
                int space = indexOfSpace(key);
                if (space >= 0) {
                    // "nocase content:..." : the ';' after the first word is missing
                    throw error(start + 1 + space, "missing ';' after '" + key.substring(0, space) + "'");
                }
                String value = colon < 0 ? null : text.substring(colon + 1, i).trim();
                int valueColumn = colon < 0 ? start + 1 : colon + 2;
                out.add(new Option(key, value, start + 1, valueColumn));
                i++;
            }
            return out;
        }

        /**
         * Whether the quote at {@code at}, inside the value of the option starting at {@code start}, ends it: always,
         * unless the option is a pcre, whose quoted value ends at a quote followed by the ';'.
         */
        private boolean closesPcre(int start, int colon, int at, int to) {
            if (!text.substring(start, colon).trim().equals("pcre")) {
                return true;
            }
            int k = at + 1;
            while (k < to && Character.isWhitespace(text.charAt(k))) {
                k++;
            }
            return k >= to || text.charAt(k) == ';';
        }

        private static int indexOfSpace(String s) {
            for (int i = 0; i < s.length(); i++) {
                if (Character.isWhitespace(s.charAt(i))) {
                    return i;
                }
            }
            return -1;
        }

        /** A word no engine knows is an error, not a skip: it is a typo, and the rule would silently never load. */
        private void checkKeywords(List<Option> options) {
            for (Option o : options) {
                if (!Keywords.isKeyword(o.key())) {
                    throw error(o.column(), "unknown keyword '" + o.key() + "' (no Suricata or Snort keyword)"
                            + Keywords.hint(Keywords.closeKeywords(o.key())));
                }
            }
        }

        /**
         * The {@code app_proto} id of the header protocol when it is {@code dns} or {@code tls} (the rule gets an
         * implicit {@code app-layer-protocol} of it), else -1.
         */
        private int headerProto = -1;

        @SuppressWarnings("checkstyle:MethodLength")
        private SuricataRule options(List<Option> options, Action action, Proto proto, boolean http, CidrSet src,
                IntRangeSet srcPorts, boolean both, CidrSet dst, IntRangeSet dstPorts) {
            String msg = "";
            int gid = 1;
            long sid = -1;
            int rev = 0;
            String classtype = null;
            int priority = -1;
            String target = null;
            InspectionBuilder chain = new InspectionBuilder();
            List<SuricataRule.AppProto> appProtos = new ArrayList<>();
            if (headerProto >= 0) {
                appProtos.add(new SuricataRule.AppProto(headerProto, false));
            }
            List<String> appEvents = new ArrayList<>();
            List<SuricataRule.EventTest> events = new ArrayList<>();
            List<SuricataRule.ChecksumTest> checksums = new ArrayList<>();
            FlowSpec flow = FlowSpec.ANY;
            UintTest dsize = null;
            SuricataRule.StreamSize streamSize = null;
            UintTest ttl = null;
            UintTest itype = null;
            UintTest icode = null;
            FlagsTest flags = null;
            int ipProto = -1;
            List<Flowbit> flowbits = new ArrayList<>();
            List<Xbit> xbits = new ArrayList<>();
            List<Flowint> flowints = new ArrayList<>();
            boolean noalert = false;
            Threshold threshold = null;
            Threshold filter = null;
            checkKeywords(options);
            int decodeAt = -1;
            UnsupportedKeyword skip = null;
            for (Option o : options) {
                String v = o.value();
                if (skip != null && !META.contains(o.key())) {
                    // past the first unimplemented keyword only the self-contained options are still checked: the
                    // others may depend on what the skipped one set up (a buffer, a byte_extract variable)
                    continue;
                }
                try {
                    switch (o.key()) {
                        case "msg" -> msg = unquote(need(o), o);
                        case "sid" -> sid = number(o, 1, 0xffffffffL);
                        case "rev" -> rev = (int) number(o, 0, Integer.MAX_VALUE);
                        case "gid" -> gid = (int) number(o, 0, Integer.MAX_VALUE);
                        case "priority" -> priority = (int) number(o, 1, 255);
                        case "classtype" -> classtype = need(o);
                        case "target" -> {
                            target = need(o);
                            if (!target.equals("src_ip") && !target.equals("dest_ip")) {
                                throw error(o.valueColumn(), "target must be src_ip or dest_ip");
                            }
                        }
                        case "content" -> chain.add(chain.target(false), content(o));
                        case "uricontent" -> chain.add(chain.list(Buffer.HTTP_URI), content(o));
                        case "nocase", "offset", "depth", "distance", "within", "startswith", "endswith",
                                "fast_pattern", "rawbytes", "replace" -> modify(chain, o);
                        case "pcre" -> pcre(chain, o);
                        case "isdataat" -> {
                            DataAt d = dataAt(o);
                            chain.add(chain.target(d.relative()), d);
                        }
                        case "byte_test" -> {
                            ByteTest t = byteTest(o);
                            chain.add(chain.target(t.relative()), t);
                        }
                        case "byte_jump" -> {
                            ByteJump j = byteJump(o);
                            chain.add(chain.target(j.relative()), j);
                        }
                        case "byte_extract" -> {
                            ByteExtract e = byteExtract(o);
                            chain.add(chain.target(e.relative()), e);
                        }
                        case "byte_math" -> {
                            ByteMath m = byteMath(o);
                            chain.add(chain.target(m.relative()), m);
                        }
                        case "bsize" -> chain.add(chain.target(false), bsize(o));
                        case "dns.opcode" -> chain.add(chain.list(Buffer.DNS_OPCODE), dnsOpcode(o));
                        case "tls.version" -> chain.add(chain.list(Buffer.TLS_VERSION), tlsVersion(o));
                        case "ssl_version" -> chain.add(chain.list(Buffer.TLS_SSL_VERSION), sslVersion(o));
                        case "ssl_state" -> {
                            for (ByteTest t : sslState(o)) {
                                chain.add(chain.list(Buffer.TLS_SSL_STATE), t);
                            }
                        }
                        case "tls_cert_expired", "tls_cert_valid" -> {
                            if (v != null) {
                                throw error(o.column(), "'" + o.key() + "' takes no value");
                            }
                            int bit = o.key().endsWith("expired") ? 1 : 2;
                            chain.add(chain.list(Buffer.TLS_CERT_VALIDITY), new ByteTest(new ByteRead(1, Value.of(0),
                                    false, false, 0, 0), "&", false, Value.of(bit)));
                        }
                        case "ftpbounce" -> {
                            if (v != null) {
                                throw error(o.column(), "'ftpbounce' takes no value");
                            }
                            // Suricata: the rule becomes an FTP rule, tested on PORT commands
                            appProtos.add(new SuricataRule.AppProto(Helpers.APP_PROTO_FTP, false));
                            chain.add(chain.list(Buffer.FTP_BOUNCE), new ByteTest(new ByteRead(1, Value.of(0),
                                    false, false, 0, 0), "&", false, Value.of(1)));
                        }
                        case "ftpdata_command" -> {
                            String command = v == null ? "" : v.trim().toLowerCase(java.util.Locale.ROOT);
                            if (!command.equals("retr") && !command.equals("stor")) {
                                throw error(o.column(), "'ftpdata_command' takes retr or stor, not "
                                        + (v == null ? "nothing" : "'" + v.trim() + "'"));
                            }
                            // Suricata: an FTP-DATA rule, on data connections of that transfer command
                            appProtos.add(new SuricataRule.AppProto(Helpers.APP_PROTO_FTP_DATA, false));
                            chain.add(chain.list(Buffer.FTPDATA_COMMAND), new ByteTest(new ByteRead(1, Value.of(0),
                                    false, false, 0, 0), "=", false, Value.of(command.equals("retr") ? 1 : 2)));
                        }
                        case "tls.cert_chain_len" -> {
                            for (ByteTest t : chainLength(o)) {
                                chain.add(chain.list(Buffer.TLS_CERT_CHAIN_LEN), t);
                            }
                        }
                        case "urilen" -> urilen(chain, o);
                        case "pkt_data" -> chain.packetData();
                        case "base64_decode" -> {
                            base64Decode(chain, o);
                            decodeAt = o.column();
                        }
                        case "base64_data" -> {
                            if (v != null) {
                                throw error(o.column(), "'base64_data' takes no value");
                            }
                            if (!chain.base64Data()) {
                                throw error(o.column(), "'base64_data' needs a base64_decode before it (Suricata "
                                        + "refuses it too)");
                            }
                        }
                        case "app-layer-protocol" -> appProtos.add(appProto(o));
                        case "app-layer-event" -> appEvents.add(appEvent(o));
                        case "decode-event", "stream-event", "engine-event" -> events.add(engineEvent(o));
                        case "ipv4-csum", "tcpv4-csum", "tcpv6-csum", "udpv4-csum", "udpv6-csum", "icmpv4-csum",
                                "icmpv6-csum" -> checksums.add(checksum(o));
                        case "tag" -> {
                            // logs packets after the alert; nothing that decides a match: accepted, counted
                            if (!need(o).matches("\\s*(session|host)\\s*(,.*)?")) {
                                throw error(o.valueColumn(), "tag: expected session or host, found '" + o.value()
                                        + "'");
                            }
                            ignored.add("tag");
                        }
                        case "flow" -> flow = flow(o);
                        case "dsize" -> dsize = uint(o);
                        case "stream_size" -> streamSize = streamSize(o);
                        case "ttl" -> ttl = uint(o);
                        case "itype" -> itype = uint(o);
                        case "icode" -> icode = uint(o);
                        case "ip_proto" -> ipProto = ipProto(o);
                        case "flags" -> flags = flags(o);
                        case "flowbits" -> {
                            Flowbit f = flowbit(o);
                            if (f.command().equals("noalert")) {
                                noalert = true;
                            } else {
                                flowbits.add(f);
                            }
                        }
                        case "noalert" -> noalert = true;
                        case "flowint" -> flowints.add(flowint(o));
                        case "xbits" -> {
                            Xbit x = xbit(o);
                            if (x == null) {
                                noalert = true;
                            } else {
                                xbits.add(x);
                            }
                        }
                        case "threshold" -> threshold = threshold(o, false);
                        case "detection_filter" -> filter = threshold(o, true);
                        default -> {
                            if (buffers(chain, o)) {
                                continue;
                            }
                            if (!INFORMATIONAL.contains(o.key())) {
                                throw new UnsupportedKeyword(o.key(), o.column(), "keyword '" + o.key()
                                        + "' is one Suricata or Snort has but Judo does not implement yet");
                            }
                            if (v == null) {
                                throw error(o.column(), "'" + o.key() + "' needs a value");
                            }
                        }
                    }
                } catch (UnsupportedKeyword u) {
                    skip = u;
                }
            }
            if (sid < 0) {
                throw error(text.indexOf('(') + 1, "the rule has no sid");
            }
            if (skip != null) {
                throw skip;
            }
            if (chain.decodeWithoutData()) {
                // Suricata loads it and never matches it: its base64_decode holds only through base64_data
                throw new UnsupportedKeyword("base64_decode without base64_data", decodeAt, "base64_decode with no "
                        + "keyword over base64_data after it (Suricata never matches such a rule)");
            }
            if (chain.unfinishedSticky() != null) {
                throw error(text.lastIndexOf(')') + 1, "the sticky buffer '" + chain.unfinishedSticky().text()
                        + "' has no keyword after it (Suricata refuses such a rule)");
            }
            List<Inspection> inspections = chain.build();
            unparsedLayerChecks(inspections, appProtos);
            if (http || !appEvents.isEmpty() || inspections.stream().anyMatch(i -> !i.raw())) {
                httpChecks(inspections, flow);
            }
            if (priority < 0) {
                Classifications.Entry c = classtype == null ? null : classes.get(classtype);
                priority = c == null ? 3 : c.priority();
            }
            if (itype != null || icode != null) {
                if (proto != Proto.ICMP && proto != Proto.IP) {
                    throw error(1, "itype/icode need protocol icmp");
                }
            }
            if (streamSize != null && (proto == Proto.UDP || proto == Proto.ICMP)) {
                throw error(1, "stream_size needs protocol tcp (it never matches a packet without a TCP session)");
            }
            if (flags != null && proto != Proto.TCP && proto != Proto.TCP_PKT && proto != Proto.TCP_STREAM
                    && proto != Proto.IP) {
                throw error(1, "flags needs protocol tcp");
            }
            return new SuricataRule(file, line, text, action, proto, src, srcPorts, both, dst, dstPorts, http, msg,
                    gid, sid, rev, classtype, priority, target, inspections, List.copyOf(appProtos), List.copyOf(appEvents), flow,
                    dsize, flags, ttl, itype, icode, ipProto, List.copyOf(flowbits), noalert, threshold, filter, streamSize,
                    List.copyOf(xbits), List.copyOf(flowints), List.of(), null, List.copyOf(events),
                    List.copyOf(checksums));
        }

        /**
         * A rule of a protocol Judo detects but does not parse (SMTP, FTP) may read the packet data and the stream
         * only: Suricata reads {@code file.data} of an SMTP rule from the mail's MIME parts, and so on, which Judo has
         * not built; such a rule is skipped by name rather than run on another layer's buffer. An SSH rule may read
         * the SSH buffers besides, an SMTP rule the SMTP buffers and {@code file.data} (the mail's files).
         */
        private void unparsedLayerChecks(List<Inspection> inspections, List<SuricataRule.AppProto> appProtos) {
            for (SuricataRule.AppProto p : appProtos) {
                if (p.negated() || !(p.id() == Helpers.APP_PROTO_SMTP || p.id() == Helpers.APP_PROTO_FTP
                        || p.id() == Helpers.APP_PROTO_SSH || p.id() == Helpers.APP_PROTO_FTP_DATA)) {
                    continue;
                }
                for (Inspection i : inspections) {
                    if (i.buffer() != Buffer.PAYLOAD && !(p.id() == Helpers.APP_PROTO_SSH && i.buffer().ssh())
                            && !(p.id() == Helpers.APP_PROTO_FTP && i.buffer().ftp())
                            && !(p.id() == Helpers.APP_PROTO_FTP_DATA
                                    && (i.buffer() == Buffer.FILE_DATA || i.buffer() == Buffer.FTPDATA_COMMAND))
                            && !(p.id() == Helpers.APP_PROTO_SMTP && (i.buffer().smtp()
                                    || i.buffer() == Buffer.FILE_DATA))) {
                        String layer = Helpers.appProtoName(p.id());
                        throw new UnsupportedKeyword(i.buffer().text() + " on " + layer, 1, "'" + i.buffer().text()
                                + "' of " + layer + " (Judo detects " + layer + " but has no " + layer
                                + " parser for its buffers yet)");
                    }
                }
            }
        }

        private String need(Option o) {
            if (o.value() == null || o.value().isEmpty()) {
                throw error(o.column(), "'" + o.key() + "' needs a value");
            }
            return o.value();
        }

        private long number(Option o, long min, long max) {
            String v = need(o);
            try {
                long n = Long.parseLong(v);
                if (n >= min && n <= max) {
                    return n;
                }
            } catch (NumberFormatException e) {
                if (BYTE_VARIABLE_USERS.contains(o.key()) && !v.isEmpty() && Character.isLetter(v.charAt(0))) {
                    // a byte_extract/byte_math before this option would have skipped the rule already
                    throw error(o.valueColumn(), "'" + o.key() + "' refers to '" + v + "', which no earlier "
                            + "byte_extract or byte_math defines");
                }
            }
            throw error(o.valueColumn(), "'" + o.key() + "' needs a number from " + min + " to " + max
                    + ", found '" + v + "'");
        }

        private String unquote(String v, Option o) {
            if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
                throw error(o.valueColumn(), "'" + o.key() + "' needs a quoted string");
            }
            StringBuilder sb = new StringBuilder();
            for (int i = 1; i < v.length() - 1; i++) {
                char c = v.charAt(i);
                if (c == '\\' && i + 1 < v.length() - 1) {
                    c = v.charAt(++i);
                }
                sb.append(c);
            }
            return sb.toString();
        }

        /** A content string: escapes \" \; \\ \: and |hex| blocks. */
        private byte[] contentBytes(String v, int column, String key) {
            if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
                throw error(column, "'" + key + "' needs a quoted string");
            }
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            boolean hex = false;
            int nibbles = 0;
            int acc = 0;
            for (int i = 1; i < v.length() - 1; i++) {
                char c = v.charAt(i);
                if (c == '|') {
                    if (hex && nibbles % 2 != 0) {
                        throw error(column + i, "odd number of hex digits");
                    }
                    hex = !hex;
                    continue;
                }
                if (hex) {
                    if (c == ' ') {
                        if (nibbles % 2 != 0) {
                            throw error(column + i, "hex byte cut by a space");
                        }
                        continue;
                    }
                    int d = Character.digit(c, 16);
                    if (d < 0) {
                        throw error(column + i, "'" + c + "' is not a hex digit");
                    }
                    acc = acc << 4 | d;
                    if (++nibbles % 2 == 0) {
                        out.write(acc);
                        acc = 0;
                    }
                    continue;
                }
                if (c == '\\') {
                    if (i + 1 >= v.length() - 1) {
                        throw error(column + i, "dangling backslash");
                    }
                    c = v.charAt(++i);
                    if ("\";\\:|".indexOf(c) < 0) {
                        throw error(column + i - 1, "unknown escape '\\" + c + "' (\\\" \\; \\\\ \\: \\| only)");
                    }
                } else if (c == '"' || c == ';') {
                    throw error(column + i, "'" + c + "' must be escaped in a content string");
                }
                if (c > 0xff) {
                    throw error(column + i, "character outside Latin-1; write it as |hex|");
                }
                out.write(c);
            }
            if (hex) {
                throw error(column, "unclosed '|' hex block");
            }
            if (out.size() == 0) {
                throw error(column, "empty content");
            }
            return out.toByteArray();
        }

        private Content content(Option o) {
            String v = need(o);
            boolean negated = v.startsWith("!");
            int column = o.valueColumn();
            if (negated) {
                v = v.substring(1).trim();
                column++;
            }
            byte[] bytes = contentBytes(v, column, "content");
            return new Content(bytes, negated, false, Inspect.UNSET, Inspect.UNSET, Inspect.UNSET,
                    Inspect.UNSET, false, false, false, null, null);
        }

        /** Applies a content modifier to the last content of the rule (the last keyword of its buffer's chain). */
        private void modify(InspectionBuilder builder, Option o) {
            InspectionBuilder.Open open = builder.lastContent();
            if (open == null) {
                throw error(o.column(), "'" + o.key() + "' needs a preceding content");
            }
            List<Inspect> chain = open.items;
            int at = builder.lastContentIndex();
            Content c = (Content) chain.get(at);
            if (o.key().equals("replace") && !open.raw()) {
                throw error(o.column(), "replace works on the packet data only, not on "
                        + (builder.decodedList(open) ? "base64_data" : open.buffer.text()) + " (as in Suricata)");
            }
            if (BYTE_VARIABLE_USERS.contains(o.key()) && o.value() != null && variables.contains(o.value())) {
                chain.set(at, withVariable(c, o.key(), variables.indexOf(o.value())));
                return;
            }
            Content n = switch (o.key()) {
                case "nocase" -> with(c, true, c.offset(), c.depth(), c.distance(), c.within(), c.startsWith(),
                        c.endsWith(), c.fastPattern(), c.replace());
                case "offset" -> with(c, c.nocase(), (int) number(o, 0, 65535), c.depth(), c.distance(), c.within(),
                        c.startsWith(), c.endsWith(), c.fastPattern(), c.replace());
                case "depth" -> {
                    int d = (int) number(o, 1, 65535);
                    if (d < c.bytes().length) {
                        throw error(o.valueColumn(), "depth " + d + " is shorter than the content ("
                                + c.bytes().length + " bytes)");
                    }
                    yield with(c, c.nocase(), c.offset(), d, c.distance(), c.within(), c.startsWith(),
                            c.endsWith(), c.fastPattern(), c.replace());
                }
                case "distance" -> with(c, c.nocase(), c.offset(), c.depth(), (int) number(o, -65535, 65535),
                        c.within(), c.startsWith(), c.endsWith(), c.fastPattern(), c.replace());
                case "within" -> {
                    int w = (int) number(o, 1, 65535);
                    if (w < c.bytes().length) {
                        throw error(o.valueColumn(), "within " + w + " is shorter than the content ("
                                + c.bytes().length + " bytes)");
                    }
                    yield with(c, c.nocase(), c.offset(), c.depth(), c.distance(), w, c.startsWith(), c.endsWith(),
                            c.fastPattern(), c.replace());
                }
                case "startswith" -> with(c, c.nocase(), c.offset(), c.depth(), c.distance(), c.within(), true,
                        c.endsWith(), c.fastPattern(), c.replace());
                case "endswith" -> with(c, c.nocase(), c.offset(), c.depth(), c.distance(), c.within(),
                        c.startsWith(), true, c.fastPattern(), c.replace());
                case "fast_pattern" -> with(c, c.nocase(), c.offset(), c.depth(), c.distance(), c.within(),
                        c.startsWith(), c.endsWith(), true, c.replace());
                case "replace" -> {
                    if (c.negated()) {
                        throw error(o.column(), "replace cannot follow a negated content");
                    }
                    yield with(c, c.nocase(), c.offset(), c.depth(), c.distance(), c.within(), c.startsWith(),
                            c.endsWith(), c.fastPattern(), contentBytes(need(o), o.valueColumn(), "replace"));
                }
                default -> c; // rawbytes: the packet data is never normalized, so raw is all there is
            };
            chain.set(at, n);
        }

        private Content with(Content c, boolean nocase, int offset, int depth, int distance, int within,
                boolean startsWith, boolean endsWith, boolean fast, byte[] replace) {
            return new Content(c.bytes(), c.negated(), nocase, offset, depth, distance, within, startsWith, endsWith,
                    fast, replace, c.variables());
        }

        /** {@code key} (offset, depth, distance or within) of {@code c} taken from variable {@code index}. */
        private Content withVariable(Content c, String key, int index) {
            ContentVariables v = c.variables() == null ? ContentVariables.NONE : c.variables();
            ContentVariables n = switch (key) {
                case "offset" -> new ContentVariables(index, v.depth(), v.distance(), v.within());
                case "depth" -> new ContentVariables(v.offset(), index, v.distance(), v.within());
                case "distance" -> new ContentVariables(v.offset(), v.depth(), index, v.within());
                default -> new ContentVariables(v.offset(), v.depth(), v.distance(), index);
            };
            return new Content(c.bytes(), c.negated(), c.nocase(), key.equals("offset") ? 0 : c.offset(),
                    key.equals("depth") ? 0 : c.depth(), key.equals("distance") ? 0 : c.distance(),
                    key.equals("within") ? 0 : c.within(), c.startsWith(), c.endsWith(), c.fastPattern(),
                    c.replace(), n);
        }

        /** The buffer the last pcre's modifiers named, or null. */
        private Buffer pcreBuffer;

        /** A pcre goes to the buffer its modifier names, else where a keyword without one goes. */
        /**
         * {@code base64_decode[:bytes N][, offset M][, relative]}, the options in that order as Suricata reads them
         * (commas optional); {@code bytes} 0 or absent is Suricata's maximum, 65535.
         */
        private void base64Decode(InspectionBuilder chain, Option o) {
            int bytes = 0;
            long offset = 0;
            boolean relative = false;
            String v = o.value();
            if (v != null) {
                if (v.isBlank()) {
                    throw error(o.valueColumn(), "base64_decode: expected bytes N, offset N or relative after ':'");
                }
                String[] words = v.trim().split("[\\s,]+");
                List<String> order = List.of("bytes", "offset", "relative");
                int stage = -1;
                for (int k = 0; k < words.length; k++) {
                    String w = words[k];
                    int at = order.indexOf(w);
                    if (at < 0) {
                        throw error(o.valueColumn(), "base64_decode: unknown option '" + w + "' (expected bytes N, "
                                + "offset N, relative)");
                    }
                    if (at <= stage) {
                        throw error(o.valueColumn(), "base64_decode: '" + w + "' " + (at == stage ? "given twice"
                                : "after '" + order.get(stage) + "'") + " (the options go in the order bytes, offset, "
                                + "relative, as Suricata reads them)");
                    }
                    stage = at;
                    if (at == 2) {
                        relative = true;
                        continue;
                    }
                    long max = at == 0 ? Base64Decode.MAX_BYTES : 0xffffffffL;
                    String n = k + 1 < words.length ? words[++k] : "";
                    long parsed = -1;
                    try {
                        parsed = Long.parseLong(n);
                    } catch (NumberFormatException e) {
                        // reported below
                    }
                    if (parsed < 0 || parsed > max || !Character.isDigit(n.charAt(0))) {
                        throw error(o.valueColumn(), "base64_decode: '" + w + "' needs a number from 0 to " + max
                                + (n.isEmpty() ? "" : ", found '" + n + "'"));
                    }
                    if (at == 0) {
                        bytes = (int) parsed;
                    } else {
                        offset = parsed;
                    }
                }
            }
            if (!chain.base64Decode(bytes == 0 ? Base64Decode.MAX_BYTES : bytes, offset, relative)) {
                throw new UnsupportedKeyword("base64_decode twice", o.column(), "a second base64_decode (Suricata "
                        + "shares one decoded buffer among them; Judo runs one per rule)");
            }
        }

        private void pcre(InspectionBuilder chain, Option o) {
            Pcre p = pcre(o);
            if (pcreBuffer == null) {
                chain.add(chain.target(p.relative()), p);
                return;
            }
            Buffer sticky = chain.stickyBuffer();
            if (sticky == pcreBuffer || pcreBuffer == Buffer.FILE_DATA && sticky == Buffer.HTTP_RESPONSE_BODY) {
                // the modifier repeats the sticky buffer, as Suricata allows (Q is file.data, the response body)
                chain.add(chain.target(false), p);
                return;
            }
            if (chain.stickyInForce()) {
                throw error(o.valueColumn(), "pcre modifier for " + pcreBuffer.text() + " after the sticky buffer '"
                        + chain.stickyName() + "' (Suricata refuses the two together)");
            }
            chain.add(chain.list(pcreBuffer), p);
        }

        private Pcre pcre(Option o) {
            pcreBuffer = null;
            String v = need(o);
            boolean negated = v.startsWith("!");
            if (negated) {
                v = v.substring(1).trim();
            }
            if (v.length() < 2 || v.charAt(0) != '"' || v.charAt(v.length() - 1) != '"') {
                throw error(o.valueColumn(), "pcre needs a quoted string");
            }
            // Backslashes stay: to the regex, \; and \" mean ; and " as they do to the rule parser.
            String body = v.substring(1, v.length() - 1);
            int open = body.indexOf('/');
            int close = body.lastIndexOf('/');
            if (open != 0 || close <= 0) {
                throw error(o.valueColumn(), "pcre must look like \"/regex/flags\"");
            }
            String expression = body.substring(1, close);
            String flags = body.substring(close + 1);
            boolean relative = false;
            boolean caseless = false;
            boolean dotall = false;
            boolean multiline = false;
            boolean extended = false;
            boolean anchored = false;
            boolean dollarEnd = false;
            for (char f : flags.toCharArray()) {
                switch (f) {
                    case 'i' -> caseless = true;
                    case 's' -> dotall = true;
                    case 'm' -> multiline = true;
                    case 'x' -> extended = true;
                    case 'R' -> relative = true;
                    case 'A' -> anchored = true;
                    case 'E' -> dollarEnd = true;
                    default -> {
                        Buffer named = PCRE_BUFFERS.get(f);
                        if (named != null) {
                            if (pcreBuffer != null && pcreBuffer != named) {
                                throw error(o.valueColumn(), "pcre modifiers for two buffers (" + pcreBuffer.text()
                                        + " and " + named.text() + ")");
                            }
                            pcreBuffer = named;
                        } else if (HARMLESS_PCRE_FLAGS.indexOf(f) >= 0) {
                            ignored.add("pcre flag " + f);
                        } else if (Keywords.PCRE_OTHER_FLAGS.indexOf(f) >= 0) {
                            throw new UnsupportedKeyword("pcre/" + f, o.valueColumn(), "pcre flag '" + f
                                    + "' (a behaviour Judo does not implement yet)");
                        } else {
                            throw error(o.valueColumn() + (negated ? 1 : 0) + 1 + close + 1 + flags.indexOf(f),
                                    "unknown pcre modifier '" + f + "' (no Suricata or Snort modifier)");
                        }
                    }
                }
            }
            String spelled = PcreSpelling.normalize(expression);
            String effective = anchored ? "^(?:" + spelled + ")" : spelled;
            if (dollarEnd && !multiline) {
                effective = effective.replaceAll("(?<!\\\\)\\$$", "\\\\z");
            }
            BoundedRegex regex;
            try {
                regex = BoundedRegex.compile(effective, caseless, dotall, multiline, extended);
            } catch (MatcherException e) { // the column is within the expression, which starts after "/ (or !"/)
                int at = o.valueColumn() + (negated ? 1 : 0) + 1 + Math.max(0, e.column() - (anchored ? 4 : 0));
                throw error(at, "pcre: " + e.detail());
            }
            return new Pcre(expression, flags, regex, negated, relative);
        }

        /**
         * A sticky buffer, an older spelling of one, a content modifier naming a buffer, or a transform; false when
         * {@code o} is none of these.
         */
        private boolean buffers(InspectionBuilder chain, Option o) {
            String key = o.key();
            Buffer sticky = Buffer.named(key);
            if (sticky == null || !sticky.sticky()) {
                sticky = STICKY_ALIASES.get(key);
            }
            if (sticky != null) {
                if (o.value() != null) {
                    throw error(o.column(), "'" + key + "' takes no value");
                }
                chain.sticky(sticky);
                return true;
            }
            Buffer modified = CONTENT_MODIFIERS.get(key);
            if (modified != null) {
                InspectionBuilder.Open from = chain.lastContent();
                if (from == null) {
                    throw error(o.column(), "'" + key + "' needs a preceding content");
                }
                if (chain.decodedList(from)) {
                    throw error(o.column(), "'" + key + "' cannot take a content out of base64_data");
                }
                if (chain.lastContentMoved()) {
                    throw error(o.column(), "'" + key + "' after the content was already given to "
                            + from.buffer.text());
                }
                if (((Content) from.items.get(chain.lastContentIndex())).replace() != null) {
                    throw error(o.column(), "replace works on the packet data only, not on " + modified.text()
                            + " (as in Suricata)");
                }
                chain.moveLastContent(modified);
                return true;
            }
            Transform t = Transform.named(key);
            if (t != null) {
                if ("base64_data".equals(chain.stickyName())) {
                    throw error(o.column(), "transform '" + key + "' cannot apply to base64_data (transforms follow "
                            + "a sticky buffer)");
                }
                if (!chain.transform(t) && chain.stickyInForce()) {
                    // Suricata refuses the rule too ("transforms must directly follow stickybuffers"); ET Open
                    // ships one such rule, which is skipped by name rather than failed
                    throw new UnsupportedKeyword("transform after the buffer's keywords", o.column(), "transform '"
                            + key + "' after " + chain.stickyBuffer().text() + " already has keywords");
                }
                if (!chain.stickyInForce()) {
                    throw error(o.column(), "transform '" + key + "' must follow a sticky buffer directly (before "
                            + "the buffer's first content or other keyword)");
                }
                return true;
            }
            return false;
        }

        /**
         * {@code dns.opcode:[!]N} (Suricata 7's form; {@code >N}, {@code <N}, {@code >=N}, {@code <=N} as Suricata 8's
         * integer modes): a byte test on the message's opcode, the one byte of {@link Buffer#DNS_OPCODE}.
         */
        private ByteTest dnsOpcode(Option o) {
            String v = need(o).trim();
            boolean negated = v.startsWith("!");
            String rest = negated ? v.substring(1).trim() : v;
            String op = "=";
            for (String p : new String[] {">=", "<=", ">", "<", "="}) {
                if (rest.startsWith(p)) {
                    op = p;
                    rest = rest.substring(p.length()).trim();
                    break;
                }
            }
            long n;
            try {
                n = Long.parseLong(rest);
            } catch (NumberFormatException e) {
                if (rest.contains("-")) {
                    throw new UnsupportedKeyword("dns.opcode range", o.valueColumn(), "dns.opcode range '" + v + "'");
                }
                throw error(o.valueColumn(), "dns.opcode: expected [!]N, >N, <N, >=N or <=N, found '" + v + "'");
            }
            if (n < 0 || n > 15) {
                throw error(o.valueColumn(), "dns.opcode: an opcode is 0 to 15, found " + n);
            }
            return new ByteTest(new ByteRead(1, Value.of(0), false, false, 0, 0), op, negated, Value.of(n));
        }

        /**
         * {@code tls.version:1.0|1.1|1.2|1.3|0xNNNN} (Suricata's values; {@code 1.0} is TLS 1.0, 0x0301): an
         * equality test on the two bytes of {@link Buffer#TLS_VERSION}, the version of the run's direction.
         */
        private ByteTest tlsVersion(Option o) {
            String v = need(o).trim();
            long n = switch (v) {
                case "1.0" -> 0x0301;
                case "1.1" -> 0x0302;
                case "1.2" -> 0x0303;
                case "1.3" -> 0x0304;
                default -> {
                    if (!v.matches("0[xX][0-9a-fA-F]{1,4}")) {
                        throw error(o.valueColumn(), "tls.version: expected 1.0, 1.1, 1.2, 1.3 or 0xNNNN, found '"
                                + v + "'");
                    }
                    yield Long.parseLong(v.substring(2), 16);
                }
            };
            return new ByteTest(new ByteRead(2, Value.of(0), false, false, 0, 0), "=", false, Value.of(n));
        }

        /** The names {@code ssl_version} takes, each the bit of {@link Buffer#TLS_SSL_VERSION}. */
        private static final Map<String, Integer> SSL_VERSIONS = Map.of("sslv2", 1, "sslv3", 2, "tls1.0", 4,
                "tls1.1", 8, "tls1.2", 16, "tls1.3", 32);

        /**
         * {@code ssl_version:V[,V...]}: the version of the run's direction is any of them (a mask test on
         * {@link Buffer#TLS_SSL_VERSION}); {@code !V,!W} is none of them. Mixing the two skips the rule by name.
         */
        private ByteTest sslVersion(Option o) {
            int mask = 0;
            int negated = 0;
            int count = 0;
            for (String part : need(o).split(",")) {
                String w = part.trim().toLowerCase(Locale.ROOT);
                boolean not = w.startsWith("!");
                Integer bit = SSL_VERSIONS.get(not ? w.substring(1).trim() : w);
                if (bit == null) {
                    throw error(o.valueColumn(), "ssl_version: expected sslv2, sslv3, tls1.0, tls1.1, tls1.2 or "
                            + "tls1.3, found '" + part.trim() + "'");
                }
                mask |= bit;
                negated += not ? 1 : 0;
                count++;
            }
            if (negated != 0 && negated != count) {
                throw new UnsupportedKeyword("ssl_version mixed negation", o.valueColumn(), "ssl_version with "
                        + "negated and plain versions together ('" + o.value() + "')");
            }
            return new ByteTest(new ByteRead(1, Value.of(0), false, false, 0, 0), "&", negated != 0, Value.of(mask));
        }

        /** The names {@code ssl_state} takes, each the bit of {@link Buffer#TLS_SSL_STATE}. */
        private static final Map<String, Integer> SSL_STATES = Map.of("client_hello", 1, "server_hello", 2,
                "client_keyx", 4, "server_keyx", 8, "unknown", 16);

        /**
         * {@code ssl_state:S[|S...][,S...]}: each comma-separated term must hold, a term holds when any of its
         * {@code |}-joined states was seen, and {@code !} before a term negates it: one mask test per term on
         * {@link Buffer#TLS_SSL_STATE}.
         */
        private List<ByteTest> sslState(Option o) {
            List<ByteTest> tests = new ArrayList<>();
            for (String term : need(o).split(",")) {
                String t = term.trim().toLowerCase(Locale.ROOT);
                boolean not = t.startsWith("!");
                int mask = 0;
                for (String name : (not ? t.substring(1) : t).split("\\|")) {
                    Integer bit = SSL_STATES.get(name.trim());
                    if (bit == null) {
                        throw error(o.valueColumn(), "ssl_state: expected client_hello, server_hello, client_keyx, "
                                + "server_keyx or unknown, found '" + name.trim() + "'");
                    }
                    mask |= bit;
                }
                tests.add(new ByteTest(new ByteRead(1, Value.of(0), false, false, 0, 0), "&", not, Value.of(mask)));
            }
            return tests;
        }

        /** {@code tls.cert_chain_len:N} (and {@code <N}, {@code >N}, {@code A-B}, ...): tests of the chain's length. */
        private List<ByteTest> chainLength(Option o) {
            UintTest u = UintTest.parse(need(o));
            if (u == null) {
                throw error(o.valueColumn(), "tls.cert_chain_len: expected N, <N, >N, <=N, >=N, !N or A-B, found '"
                        + o.value() + "'");
            }
            ByteRead r = new ByteRead(4, Value.of(0), false, false, 0, 0);
            return switch (u.op()) {
                case EQ -> List.of(new ByteTest(r, "=", false, Value.of(u.a())));
                case NE -> List.of(new ByteTest(r, "=", true, Value.of(u.a())));
                case LT -> List.of(new ByteTest(r, "<", false, Value.of(u.a())));
                case LE -> List.of(new ByteTest(r, "<=", false, Value.of(u.a())));
                case GT -> List.of(new ByteTest(r, ">", false, Value.of(u.a())));
                case GE -> List.of(new ByteTest(r, ">=", false, Value.of(u.a())));
                case RANGE -> List.of(new ByteTest(r, ">", false, Value.of(u.a())),
                        new ByteTest(r, "<", false, Value.of(u.b())));
            };
        }

        /** {@code urilen:N[,raw|norm]}: bsize over the normalized (default) or the raw URI. */
        private void urilen(InspectionBuilder chain, Option o) {
            String v = need(o);
            Buffer b = Buffer.HTTP_URI;
            int comma = v.indexOf(',');
            if (comma >= 0) {
                String kind = v.substring(comma + 1).trim();
                if (kind.equals("raw")) {
                    b = Buffer.HTTP_URI_RAW;
                } else if (!kind.equals("norm")) {
                    throw error(o.valueColumn() + comma + 1, "urilen: expected 'raw' or 'norm', found '" + kind + "'");
                }
                v = v.substring(0, comma).trim();
            }
            UintTest t = UintTest.parse(v);
            if (t == null) {
                throw error(o.valueColumn(), "urilen: expected N, <N, >N, <=N, >=N or A<>B, found '" + v + "'");
            }
            chain.add(chain.list(b), new Bsize(t));
        }

        /**
         * {@code app-layer-event:http.NAME}: the HTTP parser's event NAME (upper-cased); {@code dns.NAME}: the DNS
         * parser's event, kept as {@code dns.NAME} (lower case, as written), and {@code tls.NAME} likewise; other
         * layers skip the rule.
         */
        private String appEvent(Option o) {
            String v = need(o).trim();
            int dot = v.indexOf('.');
            String layer = dot < 0 ? v : v.substring(0, dot);
            String name = dot < 0 ? "" : v.substring(dot + 1);
            if (!(layer.equals("http") || layer.equals("dns") || layer.equals("tls") || layer.equals("ssh")
                    || layer.equals("smtp") || layer.equals("ftp")) || v.startsWith("!")) {
                throw new UnsupportedKeyword("app-layer-event " + (dot < 0 ? v : layer), o.valueColumn(),
                        "app-layer-event '" + v + "' (Judo has events of its HTTP, DNS, TLS, SSH, SMTP and FTP "
                        + "layers only)");
            }
            if (!name.matches("[a-z0-9_]+")) {
                throw error(o.valueColumn(), "app-layer-event: expected " + layer + ".NAME, found '" + v + "'");
            }
            return layer.equals("http") ? name.toUpperCase(Locale.ROOT) : layer + "." + name;
        }

        /**
         * {@code ipv4-csum:valid|invalid} and the transport kin: the value without case, in double quotes or not, as
         * Suricata's parser takes it. (Suricata compares the quoted text for {@code valid}, so its {@code "valid"}
         * in quotes tests for an invalid checksum; Judo reads what the rule says.)
         */
        private SuricataRule.ChecksumTest checksum(Option o) {
            String v = need(o).trim();
            if (v.length() >= 2 && v.startsWith("\"") && v.endsWith("\"")) {
                v = v.substring(1, v.length() - 1);
            }
            boolean valid;
            if (v.equalsIgnoreCase("valid")) {
                valid = true;
            } else if (v.equalsIgnoreCase("invalid")) {
                valid = false;
            } else {
                throw error(o.valueColumn(), o.key() + ": expected valid or invalid, found '" + o.value() + "'");
            }
            String k = o.key();
            int version = k.contains("v6") ? 6 : 4;
            int proto = k.startsWith("ipv4") ? -1 : k.startsWith("tcp") ? 6 : k.startsWith("udp") ? 17
                    : version == 6 ? 58 : 1;
            return new SuricataRule.ChecksumTest(k, version, proto, valid);
        }

        /**
         * {@code decode-event:NAME}, {@code stream-event:NAME}, {@code engine-event:decoder.NAME|stream.NAME}, resolved
         * as Suricata resolves them ({@link EngineEvents}). A name Suricata has but Judo never raises skips the rule,
         * counted under that name: loaded, it could never match, and nothing would say so. A name Suricata does not
         * have is an error, as it is in Suricata.
         */
        private SuricataRule.EventTest engineEvent(Option o) {
            String v = need(o).trim();
            String full = EngineEvents.fullName(o.key(), v);
            if (!EngineEvents.known(full)) {
                throw error(o.valueColumn(), o.key() + ": unknown event '" + v + "' (no Suricata "
                        + (o.key().equals("engine-event") ? "decoder or stream" : o.key().substring(0, 6)
                        .replace("decode", "decoder")) + " event)" + EngineEvents.hint(o.key(), v));
            }
            SuricataRule.EventTest t = EngineEvents.test(full);
            if (t == null) {
                String name = o.key() + ":" + v.toLowerCase(Locale.ROOT);
                throw new UnsupportedKeyword(name + " (judo never raises it)", o.valueColumn(), "'" + name
                        + "': Suricata raises it, Judo's decoder and stream engine never do, so the rule could never "
                        + "match");
            }
            return t;
        }

        /** {@code app-layer-protocol:[!]http|failed}; other protocols wait for their application layers. */
        private SuricataRule.AppProto appProto(Option o) {
            String v = need(o).trim();
            boolean negated = v.startsWith("!");
            String name = (negated ? v.substring(1) : v).trim().toLowerCase(Locale.ROOT);
            int comma = name.indexOf(',');
            if (comma >= 0) {
                // a mode (to_server, either, ...) after the protocol: Suricata 7's direction-specific detection
                throw new UnsupportedKeyword("app-layer-protocol mode", o.valueColumn(), "app-layer-protocol with a "
                        + "direction ('" + v + "')");
            }
            return switch (name) {
                case "http", "http1" -> new SuricataRule.AppProto(Helpers.APP_PROTO_HTTP, negated);
                case "failed" -> new SuricataRule.AppProto(Helpers.APP_PROTO_FAILED, negated);
                case "dns" -> new SuricataRule.AppProto(Helpers.APP_PROTO_DNS, negated);
                case "tls" -> new SuricataRule.AppProto(Helpers.APP_PROTO_TLS, negated);
                case "smtp" -> new SuricataRule.AppProto(Helpers.APP_PROTO_SMTP, negated);
                case "ftp" -> new SuricataRule.AppProto(Helpers.APP_PROTO_FTP, negated);
                case "ssh" -> new SuricataRule.AppProto(Helpers.APP_PROTO_SSH, negated);
                case "ftp-data" -> new SuricataRule.AppProto(Helpers.APP_PROTO_FTP_DATA, negated);
                default -> {
                    if (Keywords.isOtherProtocol(name) || name.equals("unknown")) {
                        throw new UnsupportedKeyword("app-layer-protocol " + name, o.valueColumn(),
                                "app-layer-protocol '" + name + "' (Judo has no " + name + " layer yet)");
                    }
                    throw error(o.valueColumn(), "app-layer-protocol: unknown protocol '" + name + "'"
                            + Keywords.hint(Keywords.closeProtocols(name)));
                }
            };
        }

        /**
         * What an HTTP rule may not mix: a buffer of the response in a rule that only looks at requests (Suricata
         * refuses it), and a content with replace in the packet data of a rule that runs on transactions (the edit
         * needs the packet that carries the bytes).
         */
        private void httpChecks(List<Inspection> inspections, FlowSpec flow) {
            boolean tx = inspections.stream().anyMatch(i -> !i.raw());
            for (Inspection i : inspections) {
                // a request buffer in a to_client rule is fine: the transaction's request is known by then
                if (flow.direction() == 0 && i.buffer().side() == Buffer.Side.RESPONSE) {
                    throw new UnsupportedKeyword("http response buffer to_server", 1, i.buffer().text()
                            + " in a rule that only inspects requests (flow:to_server)");
                }
                if (tx && i.raw() && i.items().stream().anyMatch(x -> x instanceof Content c && c.replace() != null)) {
                    throw new UnsupportedKeyword("replace in an http rule", 1, "replace in a rule that inspects HTTP "
                            + "buffers");
                }
            }
        }

        private DataAt dataAt(Option o) {
            String v = need(o);
            boolean negated = v.startsWith("!");
            String[] parts = (negated ? v.substring(1) : v).split(",");
            boolean relative = false;
            for (int i = 1; i < parts.length; i++) {
                String p = parts[i].trim();
                if (p.equals("relative")) {
                    relative = true;
                } else if (!p.equals("rawbytes")) {
                    throw error(o.valueColumn(), "isdataat: unknown option '" + p + "'");
                }
            }
            String at = parts[0].trim();
            if (variables.contains(at)) {
                return new DataAt(Value.variable(variables.indexOf(at)), relative, negated);
            }
            try {
                return new DataAt(Value.of(Integer.parseInt(at)), relative, negated);
            } catch (NumberFormatException e) {
                if (!parts[0].isBlank() && Character.isLetter(parts[0].trim().charAt(0))) {
                    throw error(o.valueColumn(), "isdataat refers to '" + parts[0].trim() + "', which no earlier "
                            + "byte_extract or byte_math defines");
                }
                throw error(o.valueColumn(), "isdataat needs a number");
            }
        }

        // ---- byte_test, byte_jump, byte_extract, byte_math, bsize ----

        /** One comma-separated part of an option's value, trimmed, with its 1-based column. */
        private record Part(String text, int column) {
        }

        private List<Part> parts(Option o) {
            String v = need(o);
            List<Part> out = new ArrayList<>();
            int first = o.valueColumn(); // the value as trimmed starts after any spaces following the ':'
            while (first - 1 < text.length() && Character.isWhitespace(text.charAt(first - 1))) {
                first++;
            }
            int start = 0;
            for (int i = 0; i <= v.length(); i++) {
                if (i == v.length() || v.charAt(i) == ',') {
                    String raw = v.substring(start, i);
                    int lead = 0;
                    while (lead < raw.length() && Character.isWhitespace(raw.charAt(lead))) {
                        lead++;
                    }
                    out.add(new Part(raw.trim(), first + start + lead));
                    start = i + 1;
                }
            }
            return out;
        }

        /** A decimal or 0x-hex number with an optional sign, or null. */
        private static Long parseNumber(String s) {
            String t = s.trim();
            boolean minus = t.startsWith("-");
            if (minus || t.startsWith("+")) {
                t = t.substring(1);
            }
            try {
                long n;
                if (t.startsWith("0x") || t.startsWith("0X")) {
                    n = Long.parseUnsignedLong(t.substring(2), 16);
                } else if (!t.isEmpty() && Character.isDigit(t.charAt(0))) {
                    n = Long.parseUnsignedLong(t, 10);
                } else {
                    return null;
                }
                if (minus && n < 0) {
                    return null;
                }
                return minus ? -n : n;
            } catch (NumberFormatException e) {
                return null;
            }
        }

        private static boolean isName(String s) {
            if (s.isEmpty() || !(Character.isLetter(s.charAt(0)) || s.charAt(0) == '_')) {
                return false;
            }
            for (char c : s.toCharArray()) {
                if (!(Character.isLetterOrDigit(c) || c == '_' || c == '-' || c == '.')) {
                    return false;
                }
            }
            return true;
        }

        /**
         * A number in [min, max] (unsigned comparison when {@code unsigned}), or, when {@code variableOk}, the name of
         * a variable defined earlier in the rule.
         */
        private Value value(Part p, String what, long min, long max, boolean variableOk) {
            Long n = parseNumber(p.text());
            if (n == null) {
                if (isName(p.text())) {
                    if (variableOk && variables.contains(p.text())) {
                        return Value.variable(variables.indexOf(p.text()));
                    }
                    if (variableOk) {
                        throw error(p.column(), what + " refers to '" + p.text() + "', which no earlier "
                                + "byte_extract or byte_math defines");
                    }
                    throw error(p.column(), what + " must be a number, found '" + p.text() + "'");
                }
                throw error(p.column(), what + " must be a number" + (variableOk ? " or a variable" : "")
                        + ", found '" + p.text() + "'");
            }
            boolean in = min >= 0 ? !p.text().startsWith("-") && Long.compareUnsigned(n, min) >= 0 && Long.compareUnsigned(n, max) <= 0
                    : n >= min && n <= max;
            if (!in) {
                throw error(p.column(), what + " must be from " + min + " to " + Long.toUnsignedString(max)
                        + ", found '" + p.text() + "'");
            }
            return Value.of(n);
        }

        private long constant(Part p, String what, long min, long max) {
            return value(p, what, min, max, false).constant();
        }

        /** The number of bytes: a constant only (a variable count is outside what the IR carries). */
        private int nbytes(Part p, String key) {
            if (isName(p.text()) && variables.contains(p.text())) {
                throw new UnsupportedKeyword(key + " nbytes variable", p.column(), key
                        + " with the number of bytes taken from a variable ('" + p.text() + "')");
            }
            return (int) constant(p, key + ": the number of bytes", 0, 65535);
        }

        /** What the options after the fixed arguments of a byte keyword set. */
        private final class ReadOptions {
            boolean relative;
            Boolean little;
            int base = -1; // -1: no 'string' yet; 0: 'string' without a base yet
            Part stringPart;
            Part basePart;
            long bitmask;
            long multiplier = 1;
            boolean alignFlag;
            int alignValue;
            boolean fromBeginning;
            boolean fromEnd;
            long postOffset;
            Part endianPart;

            void endian(boolean isLittle, Part p, String key) {
                if (little != null) {
                    throw error(p.column(), key + ": endianness given twice");
                }
                little = isLittle;
                endianPart = p;
            }

            void base(int b, Part p, String key) {
                if (basePart != null) {
                    throw error(p.column(), key + ": the string base given twice");
                }
                base = b;
                basePart = p;
            }

            /** Checks the combination and returns the read (offset and byte count given). */
            ByteRead read(String key, int nbytes, Part nbytesPart, Value offset, Part offsetPart, int maxBinary,
                    int minBytes) {
                if (basePart != null && stringPart == null) {
                    throw error(basePart.column(), key + ": '" + basePart.text() + "' needs 'string'");
                }
                boolean string = stringPart != null;
                if (string && little != null) {
                    throw error(endianPart.column(), key + ": big/little do not apply to a string");
                }
                int b = string ? (basePart == null ? 10 : base) : 0;
                int max = string ? 10 : maxBinary;
                if (string && nbytes == 0 && key.equals("byte_test")) {
                    // Suricata 7's form for a whole buffer holding a number (http.content_len; byte_test:0,...)
                    return new ByteRead(0, offset, relative, false, b, bitmask);
                }
                if (nbytes < minBytes || nbytes > max) {
                    throw error(nbytesPart.column(), key + ": the number of bytes must be from " + minBytes + " to "
                            + max + (string ? " for a string" : " for a binary number") + ", found " + nbytes);
                }
                if (!offset.isVariable() && offset.constant() < 0 && !relative) {
                    throw error(offsetPart.column(), key + ": a negative offset needs 'relative'");
                }
                return new ByteRead(nbytes, offset, relative, little != null && little, b, bitmask);
            }
        }

        /**
         * Parses the options of a byte keyword from {@code parts[from]} on. {@code allowed} names the keyword-specific
         * ones: "multiplier", "align" (flag), "alignN" (align with a value), "jump" (from_beginning, from_end,
         * post_offset).
         */
        private ReadOptions readOptions(String key, List<Part> parts, int from, Set<String> allowed) {
            ReadOptions r = new ReadOptions();
            for (int i = from; i < parts.size(); i++) {
                Part p = parts.get(i);
                String[] w = p.text().split("\\s+", 2);
                String word = w[0];
                String arg = w.length > 1 ? w[1].trim() : null;
                Part argPart = arg == null ? null : new Part(arg, p.column() + p.text().indexOf(arg, word.length()));
                switch (word) {
                    case "relative" -> r.relative = true;
                    case "big" -> r.endian(false, p, key);
                    case "little" -> r.endian(true, p, key);
                    case "string" -> {
                        r.stringPart = p;
                        if (arg != null) {
                            throw error(argPart.column(), key + ": write the string base as its own option ("
                                    + "'string,hex')");
                        }
                    }
                    case "hex" -> r.base(16, p, key);
                    case "dec" -> r.base(10, p, key);
                    case "oct" -> r.base(8, p, key);
                    case "dce" -> throw new UnsupportedKeyword(key + " dce", p.column(), key + " ... dce (DCERPC "
                            + "byte order) is not supported: Judo has no DCERPC parser");
                    case "bitmask" -> r.bitmask = needArg(key, p, argPart, 1, 0xffffffffL);
                    case "multiplier" -> {
                        if (!allowed.contains("multiplier")) {
                            throw unknownOption(key, p);
                        }
                        r.multiplier = needArg(key, p, argPart, 1, 65535);
                    }
                    case "align" -> {
                        if (allowed.contains("align") && arg == null) {
                            r.alignFlag = true;
                        } else if (allowed.contains("alignN")) {
                            long a = needArg(key, p, argPart, 1, 4);
                            if (a != 2 && a != 4) {
                                throw error(argPart.column(), key + ": align must be 2 or 4, found " + a);
                            }
                            r.alignValue = (int) a;
                        } else {
                            throw error(p.column(), key + ": 'align' takes no value here");
                        }
                    }
                    case "from_beginning", "from_end" -> {
                        if (!allowed.contains("jump")) {
                            throw unknownOption(key, p);
                        }
                        if (word.equals("from_beginning")) {
                            r.fromBeginning = true;
                        } else {
                            r.fromEnd = true;
                        }
                        if (r.fromBeginning && r.fromEnd) {
                            throw error(p.column(), key + ": from_beginning and from_end exclude each other");
                        }
                    }
                    case "post_offset" -> {
                        if (!allowed.contains("jump")) {
                            throw unknownOption(key, p);
                        }
                        r.postOffset = needArg(key, p, argPart, -65535, 65535);
                    }
                    default -> throw unknownOption(key, p);
                }
                if (arg != null && !List.of("bitmask", "multiplier", "align", "post_offset", "string")
                        .contains(word)) {
                    throw error(argPart.column(), key + ": '" + word + "' takes no value");
                }
            }
            return r;
        }

        private long needArg(String key, Part p, Part arg, long min, long max) {
            if (arg == null) {
                throw error(p.column(), key + ": '" + p.text() + "' needs a value");
            }
            return constant(arg, key + " " + p.text().split("\\s+")[0], min, max);
        }

        private RuleError unknownOption(String key, Part p) {
            return error(p.column(), key + ": unknown option '" + p.text() + "'");
        }

        private static final Set<String> TEST_OPERATORS = Set.of("<", ">", "=", "<=", ">=", "&", "^");

        private ByteTest byteTest(Option o) {
            String key = "byte_test";
            List<Part> parts = parts(o);
            if (parts.size() < 4) {
                throw error(o.valueColumn(), "byte_test needs bytes, operator, value and offset");
            }
            int nbytes = nbytes(parts.get(0), key);
            Part opPart = parts.get(1);
            String op = opPart.text();
            boolean negated = op.startsWith("!");
            if (negated) {
                op = op.substring(1).trim();
                if (op.isEmpty()) {
                    op = "="; // Snort's '!' alone: not equal
                }
            }
            if (!TEST_OPERATORS.contains(op)) {
                throw error(opPart.column(), "byte_test: unknown operator '" + opPart.text()
                        + "' (<, >, =, <=, >=, &, ^, each optionally after !)");
            }
            Value value = value(parts.get(2), "byte_test value", 0, -1L, true);
            Value offset = value(parts.get(3), "byte_test offset", -65535, 65535, true);
            ReadOptions r = readOptions(key, parts, 4, Set.of());
            return new ByteTest(r.read(key, nbytes, parts.get(0), offset, parts.get(3), 8, 1), op, negated, value);
        }

        private ByteJump byteJump(Option o) {
            String key = "byte_jump";
            List<Part> parts = parts(o);
            if (parts.size() < 2) {
                throw error(o.valueColumn(), "byte_jump needs bytes and offset");
            }
            int nbytes = nbytes(parts.get(0), key);
            Value offset = value(parts.get(1), "byte_jump offset", -65535, 65535, true);
            ReadOptions r = readOptions(key, parts, 2, Set.of("multiplier", "align", "jump"));
            // 0 bytes reads nothing (the value 0): Suricata documents byte_jump:0,0,from_end,post_offset -8
            ByteRead read = r.read(key, nbytes, parts.get(0), offset, parts.get(1), 8, 0);
            return new ByteJump(read, r.multiplier, r.alignFlag, r.fromBeginning, r.fromEnd, r.postOffset);
        }

        private ByteExtract byteExtract(Option o) {
            String key = "byte_extract";
            List<Part> parts = parts(o);
            if (parts.size() < 3) {
                throw error(o.valueColumn(), "byte_extract needs bytes, offset and a variable name");
            }
            int nbytes = nbytes(parts.get(0), key);
            Value offset = value(parts.get(1), "byte_extract offset", -65535, 65535, false);
            Part name = parts.get(2);
            ReadOptions r = readOptions(key, parts, 3, Set.of("multiplier", "alignN"));
            ByteRead read = r.read(key, nbytes, parts.get(0), offset, parts.get(1), 8, 1);
            int index = define(name, key);
            return new ByteExtract(read, index, name.text(), r.multiplier, r.alignValue);
        }

        /** Defines variable {@code name} (unique in the rule) and returns its index. */
        private int define(Part name, String key) {
            if (!isName(name.text())) {
                throw error(name.column(), key + ": '" + name.text() + "' is not a variable name (a letter, then"
                        + " letters, digits or _)");
            }
            if (variables.contains(name.text())) {
                throw error(name.column(), key + ": variable '" + name.text() + "' is already defined in this rule");
            }
            variables.add(name.text());
            return variables.size() - 1;
        }

        private static final Set<String> MATH_OPERATORS = Set.of("+", "-", "*", "/", "<<", ">>");

        private ByteMath byteMath(Option o) {
            String key = "byte_math";
            List<Part> parts = parts(o);
            Part bytes = null;
            Part offset = null;
            Part oper = null;
            Part rvalue = null;
            Part result = null;
            List<Part> rest = new ArrayList<>();
            for (Part p : parts) {
                String[] w = p.text().split("\\s+", 2);
                Part arg = w.length < 2 ? null
                        : new Part(w[1].trim(), p.column() + p.text().indexOf(w[1].trim(), w[0].length()));
                boolean named = List.of("bytes", "offset", "oper", "rvalue", "result", "endian").contains(w[0]);
                if (named && arg == null) {
                    throw error(p.column(), "byte_math: '" + w[0] + "' needs a value");
                }
                switch (w[0]) {
                    case "bytes" -> bytes = arg;
                    case "offset" -> offset = arg;
                    case "oper" -> oper = arg;
                    case "rvalue" -> rvalue = arg;
                    case "result" -> result = arg;
                    case "endian" -> {
                        String e = arg.text();
                        if (!List.of("big", "little", "dce").contains(e)) {
                            throw error(arg.column(), "byte_math: endian must be big, little or dce, found '" + e
                                    + "'");
                        }
                        rest.add(arg);
                    }
                    case "string" -> {
                        if (arg == null) {
                            throw error(p.column(), "byte_math: 'string' needs hex, dec or oct");
                        }
                        rest.add(new Part("string", p.column()));
                        rest.add(arg);
                    }
                    default -> rest.add(p);
                }
            }
            String missing = bytes == null ? "bytes" : offset == null ? "offset" : oper == null ? "oper"
                    : rvalue == null ? "rvalue" : result == null ? "result" : null;
            if (missing != null) {
                throw error(o.valueColumn(), "byte_math needs '" + missing + "' (bytes, offset, oper, rvalue and "
                        + "result are required)");
            }
            int nbytes = nbytes(bytes, key);
            Value off = value(offset, "byte_math offset", -65535, 65535, true);
            if (!MATH_OPERATORS.contains(oper.text())) {
                throw error(oper.column(), "byte_math: unknown operator '" + oper.text() + "' (+, -, *, /, <<, >>)");
            }
            Value rv = value(rvalue, "byte_math rvalue", 0, 0xffffffffL, true);
            ReadOptions r = readOptions(key, rest, 0, Set.of());
            ByteRead read = r.read(key, nbytes, bytes, off, offset, 4, 1);
            int index = define(result, key);
            return new ByteMath(read, oper.text(), rv, index, result.text());
        }

        private Bsize bsize(Option o) {
            String v = need(o).trim();
            if (v.startsWith("!=")) {
                v = "!" + v.substring(2);
            } else if (v.startsWith("=")) {
                v = v.substring(1);
            }
            if (v.startsWith("&") || v.startsWith("!") && (v.contains("-") || v.contains("<>"))) {
                throw new UnsupportedKeyword("bsize form", o.valueColumn(), "bsize '" + o.value()
                        + "' (N, =N, !N, <N, <=N, >N, >=N and A<>B only)");
            }
            // the integer keywords also take hex numbers (bsize:=0x13)
            java.util.regex.Matcher hex = java.util.regex.Pattern.compile("0[xX]([0-9a-fA-F]{1,15})").matcher(v);
            StringBuilder decimal = new StringBuilder();
            while (hex.find()) {
                hex.appendReplacement(decimal, Long.toString(Long.parseLong(hex.group(1), 16)));
            }
            hex.appendTail(decimal);
            UintTest t = UintTest.parse(decimal.toString());
            if (t == null) {
                throw error(o.valueColumn(), "bsize: expected N, =N, !N, <N, <=N, >N, >=N or A<>B, found '"
                        + o.value() + "'");
            }
            return new Bsize(t);
        }

        private FlowSpec flow(Option o) {
            int direction = -1;
            int established = -1;
            boolean stateless = false;
            int stream = -1;
            for (String part : need(o).split(",")) {
                switch (part.trim()) {
                    case "to_server", "from_client" -> direction = 0;
                    case "to_client", "from_server" -> direction = 1;
                    case "established" -> established = 1;
                    case "not_established" -> established = 0;
                    case "stateless" -> stateless = true;
                    case "only_stream" -> stream = 1;
                    case "no_stream" -> stream = 0;
                    default -> throw error(o.valueColumn(), "flow: unknown option '" + part.trim() + "'");
                }
            }
            return new FlowSpec(direction, established, stateless, stream);
        }

        private UintTest uint(Option o) {
            UintTest t = UintTest.parse(need(o));
            if (t == null) {
                throw error(o.valueColumn(), o.key() + ": expected N, <N, >N, <=N, >=N, !N or A<>B, found '"
                        + o.value() + "'");
            }
            return t;
        }

        /**
         * {@code stream_size:<client|server|both|either>,<op>,<n>}, op one of {@code < <= = != >= >} (Suricata's
         * forms).
         */
        private SuricataRule.StreamSize streamSize(Option o) {
            String[] parts = need(o).split(",", -1);
            SuricataRule.StreamSize.Side side = null;
            if (parts.length == 3) {
                side = switch (parts[0].trim().toLowerCase(Locale.ROOT)) {
                    case "client" -> SuricataRule.StreamSize.Side.CLIENT;
                    case "server" -> SuricataRule.StreamSize.Side.SERVER;
                    case "both" -> SuricataRule.StreamSize.Side.BOTH;
                    case "either" -> SuricataRule.StreamSize.Side.EITHER;
                    default -> null;
                };
            }
            String op = parts.length == 3 ? parts[1].trim() : "";
            String n = parts.length == 3 ? parts[2].trim() : "";
            UintTest t = side == null || n.isEmpty() || !Character.isDigit(n.charAt(0)) ? null : switch (op) {
                case "<", "<=", ">", ">=" -> UintTest.parse(op + n);
                case "=" -> UintTest.parse(n);
                case "!=" -> UintTest.parse("!" + n);
                default -> null;
            };
            if (t == null) {
                throw error(o.valueColumn(), "stream_size: expected <client|server|both|either>,<op>,<number> with "
                        + "op one of < <= = != >= >, found '" + o.value() + "'");
            }
            return new SuricataRule.StreamSize(side, t);
        }

        private int ipProto(Option o) {
            String v = need(o);
            try {
                int p = Integer.parseInt(v);
                if (p >= 0 && p <= 255) {
                    return p;
                }
            } catch (NumberFormatException e) {
                switch (v.toLowerCase(Locale.ROOT)) {
                    case "tcp": return 6;
                    case "udp": return 17;
                    case "icmp": return 1;
                    case "ipv6-icmp", "icmpv6": return 58;
                    case "gre": return 47;
                    case "esp": return 50;
                    case "ah": return 51;
                    default: break;
                }
            }
            throw new UnsupportedKeyword("ip_proto form", o.valueColumn(), "ip_proto '" + v
                    + "' (a number or a common protocol name only)");
        }

        private FlagsTest flags(Option o) {
            String v = need(o);
            String[] parts = v.split(",");
            int ignore = parts.length > 1 ? letters(parts[1].trim(), o) : 0;
            String s = parts[0].trim();
            char mod = '=';
            if (!s.isEmpty() && "+*!".indexOf(s.charAt(0)) >= 0) {
                mod = s.charAt(0);
                s = s.substring(1);
            } else if (!s.isEmpty() && "+*!".indexOf(s.charAt(s.length() - 1)) >= 0) {
                mod = s.charAt(s.length() - 1);
                s = s.substring(0, s.length() - 1);
            }
            return new FlagsTest(letters(s, o), mod, ignore);
        }

        private int letters(String s, Option o) {
            int bits = 0;
            for (char c : s.toCharArray()) {
                bits |= switch (c) {
                    case 'F', 'f' -> 0x01;
                    case 'S', 's' -> 0x02;
                    case 'R', 'r' -> 0x04;
                    case 'P', 'p' -> 0x08;
                    case 'A', 'a' -> 0x10;
                    case 'U', 'u' -> 0x20;
                    case 'E', 'e', '1' -> 0x40;
                    case 'C', 'c', '2' -> 0x80;
                    case '0' -> 0;
                    default -> throw error(o.valueColumn(), "flags: unknown flag '" + c + "'");
                };
            }
            return bits;
        }

        private Flowbit flowbit(Option o) {
            String v = need(o);
            int comma = v.indexOf(',');
            String command = (comma < 0 ? v : v.substring(0, comma)).trim();
            if (command.equals("noalert")) {
                return new Flowbit(command, List.of(), false);
            }
            if (!List.of("set", "isset", "unset", "toggle", "isnotset").contains(command)) {
                throw error(o.valueColumn(), "flowbits: unknown command '" + command + "'");
            }
            if (comma < 0) {
                throw error(o.valueColumn(), "flowbits " + command + " needs a name");
            }
            String names = v.substring(comma + 1).trim();
            boolean any = names.contains("|");
            if (any && names.contains("&")) {
                throw error(o.valueColumn(), "flowbits: '|' and '&' cannot be mixed");
            }
            if (names.contains("&") && (command.equals("set") || command.equals("unset")
                    || command.equals("toggle"))) {
                throw new UnsupportedKeyword("flowbits " + command + " several", o.valueColumn(), "flowbits "
                        + command + " of several names joined by '&' (Snort's form)");
            }
            if ((any || names.contains("&")) && !command.equals("isset") && !command.equals("isnotset")) {
                throw error(o.valueColumn(), "flowbits " + command + " takes one name");
            }
            List<String> list = Arrays.stream(names.split("[|&]")).map(String::trim).toList();
            for (String n : list) {
                if (n.isEmpty()) {
                    throw error(o.valueColumn(), "flowbits: empty name");
                }
            }
            return new Flowbit(command, list, any);
        }

        /**
         * {@code xbits:CMD,NAME,track ip_src|ip_dst|ip_pair[,expire N]} (Suricata's form, blanks allowed around each
         * part); {@code xbits:noalert} is null. {@code track tx} (Suricata 8's per-transaction bits) is skipped by name.
         */
        private Xbit xbit(Option o) {
            String[] parts = need(o).split(",", -1);
            String command = parts[0].trim();
            if (command.equals("noalert") && parts.length == 1) {
                return null;
            }
            if (!List.of("set", "isset", "unset", "toggle", "isnotset").contains(command)) {
                throw error(o.valueColumn(), "xbits: unknown command '" + command + "'");
            }
            if (parts.length < 3 || parts.length > 4 || parts[1].trim().isEmpty()) {
                throw error(o.valueColumn(), "xbits: expected " + command + ",<name>,track <ip_src|ip_dst|ip_pair>"
                        + "[,expire <seconds>], found '" + o.value() + "'");
            }
            String[] track = parts[2].trim().split("\\s+");
            if (track.length != 2 || !track[0].equals("track")) {
                throw error(o.valueColumn(), "xbits: expected 'track <ip_src|ip_dst|ip_pair>', found '"
                        + parts[2].trim() + "'");
            }
            Xbit.Track t = switch (track[1]) {
                case "ip_src" -> Xbit.Track.IP_SRC;
                case "ip_dst" -> Xbit.Track.IP_DST;
                case "ip_pair" -> Xbit.Track.IP_PAIR;
                case "tx" -> throw new UnsupportedKeyword("xbits track tx", o.valueColumn(),
                        "xbits kept per transaction (track tx)");
                default -> throw error(o.valueColumn(), "xbits: unknown track '" + track[1]
                        + "' (ip_src, ip_dst or ip_pair)");
            };
            long expire = Xbit.DEFAULT_EXPIRE;
            if (parts.length == 4) {
                String[] e = parts[3].trim().split("\\s+");
                long n = -1;
                if (e.length == 2 && e[0].equals("expire") && e[1].matches("[0-9]{1,10}")) {
                    n = Long.parseLong(e[1]);
                }
                if (n <= 0 || n > 0xffffffffL) {
                    throw error(o.valueColumn(), "xbits: expected 'expire <seconds>' (1 or more), found '"
                            + parts[3].trim() + "'");
                }
                expire = n;
            }
            return new Xbit(command, parts[1].trim(), t, expire);
        }

        /**
         * {@code flowint:NAME,OP[,VALUE]} (Suricata's form, blanks allowed): OP one of {@code = + - == != < > <= >=}
         * with a value (a number up to 2^32 - 1, or another flow integer's name), or {@code isset}, {@code notset}
         * ({@code isnotset}) without one.
         */
        private Flowint flowint(Option o) {
            String[] parts = need(o).split(",", -1);
            String name = parts[0].trim();
            String op = parts.length > 1 ? parts[1].trim() : "";
            if (name.isEmpty() || !name.matches("[A-Za-z0-9_.\\-]+")) {
                throw error(o.valueColumn(), "flowint: expected NAME,OP[,VALUE], found '" + o.value() + "'");
            }
            if (op.equals("isset") || op.equals("notset") || op.equals("isnotset")) {
                if (parts.length != 2) {
                    throw error(o.valueColumn(), "flowint: " + op + " takes no value");
                }
                return new Flowint(name, op.equals("isset") ? "isset" : "notset", 0, null);
            }
            if (!java.util.Set.of("=", "+", "-", "==", "!=", "<", ">", "<=", ">=").contains(op)) {
                throw error(o.valueColumn(), "flowint: unknown operator '" + op + "' (= + - == != < > <= >= isset "
                        + "notset)");
            }
            String v = parts.length == 3 ? parts[2].trim() : "";
            if (v.isEmpty()) {
                throw error(o.valueColumn(), "flowint " + op + " needs a value");
            }
            if (Character.isDigit(v.charAt(0))) {
                long n = v.matches("[0-9]{1,10}") ? Long.parseLong(v) : -1;
                if (n < 0 || n > 0xffffffffL) {
                    throw error(o.valueColumn(), "flowint: value '" + v + "' is not a number from 0 to 4294967295");
                }
                return new Flowint(name, op, n, null);
            }
            if (!v.matches("[A-Za-z0-9_.\\-]+")) {
                throw error(o.valueColumn(), "flowint: value '" + v + "' is neither a number nor a flowint name");
            }
            return new Flowint(name, op, 0, v);
        }

        private Threshold threshold(Option o, boolean filter) {
            String type = filter ? "filter" : null;
            SuricataRule.Track track = null;
            int count = -1;
            int seconds = -1;
            for (String part : need(o).split(",")) {
                String[] kv = part.trim().split("\\s+");
                if (kv.length != 2) {
                    throw error(o.valueColumn(), o.key() + ": expected 'name value' pairs, found '" + part.trim()
                            + "'");
                }
                switch (kv[0]) {
                    case "type" -> {
                        if (filter || !List.of("limit", "threshold", "both").contains(kv[1])) {
                            throw error(o.valueColumn(), o.key() + ": bad type '" + kv[1] + "'");
                        }
                        type = kv[1];
                    }
                    case "track" -> {
                        track = SuricataRule.Track.named(kv[1]);
                        if (track == null || track == SuricataRule.Track.EITHER) {
                            throw error(o.valueColumn(), o.key() + ": track '" + kv[1]
                                    + "' (by_src, by_dst, by_rule, by_both or by_flow)");
                        }
                    }
                    case "count" -> count = positive(kv[1], o);
                    case "seconds" -> seconds = positive(kv[1], o);
                    default -> throw error(o.valueColumn(), o.key() + ": unknown option '" + kv[0] + "'");
                }
            }
            if (type == null || track == null || count < 0 || seconds < 0) {
                throw error(o.valueColumn(), o.key() + " needs " + (filter ? "" : "type, ")
                        + "track, count and seconds");
            }
            return new Threshold(type, track, count, seconds);
        }

        private int positive(String s, Option o) {
            try {
                int n = Integer.parseInt(s);
                if (n >= 0) {
                    return n;
                }
            } catch (NumberFormatException e) {
                // below
            }
            throw error(o.valueColumn(), o.key() + ": '" + s + "' is not a count");
        }
    }
}
