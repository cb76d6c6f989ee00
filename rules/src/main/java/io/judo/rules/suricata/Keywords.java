package io.judo.rules.suricata;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The words Suricata and Snort know, so that the parser can tell a keyword Judo does not implement yet (the rule is
 * skipped and counted) from a word no engine knows (a typo: an error, with the closest keyword as a hint). The lists
 * are the rule-option keywords of Suricata 7/8 ({@code suricata --list-keywords}), Snort 2.9 and Snort 3, the header
 * protocols both accept, and the pcre modifiers both define.
 */
final class Keywords {
    private Keywords() {
    }

    /** Rule-option keywords of Suricata 7/8, including the ones Judo implements. */
    private static final Set<String> SURICATA = set(
            // meta
            "msg", "sid", "rev", "gid", "classtype", "reference", "priority", "metadata", "target", "requires",
            "config", "alert",
            // ip, tcp, udp, icmp, igmp, ethernet, vlan
            "ttl", "ipopts", "sameip", "ip_proto", "ipv4.hdr", "ipv6.hdr", "id", "geoip", "fragbits", "fragoffset",
            "tos", "seq", "ack", "window", "flags", "tcp.flags", "tcp.mss", "tcp.hdr", "tcp.wscale", "udp.hdr",
            "itype", "icode", "icmp_id", "icmp_seq", "icmpv4.hdr", "icmpv6.hdr", "icmpv6.mtu", "igmp.type",
            "igmp.hdr", "ether.hdr", "vlan.id", "vlan.layers", "l3_proto", "ipv4-csum", "tcpv4-csum", "tcpv6-csum",
            "udpv4-csum", "udpv6-csum", "icmpv4-csum", "icmpv6-csum", "ip.src", "ip.dst", "stream_size",
            // payload
            "content", "nocase", "depth", "offset", "distance", "within", "startswith", "endswith", "rawbytes",
            "isdataat", "absent", "bsize", "dsize", "byte_test", "byte_math", "byte_jump", "byte_extract", "entropy",
            "rpc", "replace", "pcre", "uricontent", "urilen", "fast_pattern", "prefilter", "pkt_data", "asn1",
            "base64_decode", "base64_data", "lua", "luajit",
            // transformations
            "dotprefix", "domain", "tld", "strip_whitespace", "compress_whitespace", "to_lowercase", "to_uppercase",
            "to_md5", "to_sha1", "to_sha256", "pcrexform", "url_decode", "xor", "header_lowercase",
            "strip_pseudo_headers", "from_base64", "luaxform", "gunzip", "zlib_deflate", "subslice",
            // flow
            "flow", "flowbits", "flowint", "flowvar", "pktvar", "hostbits", "xbits", "noalert", "flow.age",
            "flow.pkts", "flow.bytes", "flow.pkts_toserver", "flow.pkts_toclient", "flow.bytes_toserver",
            "flow.bytes_toclient", "stream-event", "app-layer-event", "app-layer-protocol", "app-layer-state",
            "decode-event", "engine-event", "bypass", "tag", "threshold", "detection_filter", "iprep", "dataset",
            "datarep", "frame",
            // http (sticky buffers and the older content modifiers)
            "http.uri", "http.uri.raw", "http.method", "http.protocol", "http.request_line", "http.header",
            "http.header.raw", "http.cookie", "http.user_agent", "http.accept", "http.accept_enc", "http.accept_lang",
            "http.connection", "http.content_type", "http.content_len", "http.referer", "http.start",
            "http.header_names", "http.request_body", "http.stat_code", "http.stat_msg", "http.response_line",
            "http.response_body", "http.server", "http.location", "http.host", "http.host.raw",
            "http.request_header", "http.response_header", "http_uri", "http_raw_uri", "http_method",
            "http_protocol", "http_request_line", "http_header", "http_raw_header", "http_cookie", "http_user_agent",
            "http_accept", "http_accept_enc", "http_accept_lang", "http_connection", "http_content_type",
            "http_content_len", "http_referer", "http_start", "http_header_names", "http_client_body",
            "http_server_body", "http_stat_code", "http_stat_msg", "http_response_line", "http_host",
            "http_raw_host", "http2.frametype", "http2.errorcode", "http2.priority", "http2.window",
            "http2.size_update", "http2.settings", "http2.header_name", "http2.header",
            // files
            "file.data", "file_data", "file.name", "filename", "fileext", "file.magic", "filemagic", "filestore",
            "filemd5", "filesha1", "filesha256", "filesize",
            // dns, mdns
            "dns.query", "dns_query", "dns.opcode", "dns.rcode", "dns.rrtype", "dns.answer.name", "dns.query.name",
            "dns.queries.rrname", "dns.answers.rrname", "dns.authorities.rrname", "dns.additionals.rrname",
            "mdns.queries.rrname", "mdns.answers.rrname", "mdns.authorities.rrname", "mdns.additionals.rrname",
            // tls, ja3/ja4
            "tls.sni", "tls_sni", "tls.cert_issuer", "tls_cert_issuer", "tls.cert_subject", "tls_cert_subject",
            "tls.cert_serial", "tls_cert_serial", "tls.cert_fingerprint", "tls_cert_fingerprint", "tls.certs",
            "tls.cert_chain_len", "tls.version", "tls.subject", "tls.issuerdn", "tls.fingerprint", "tls.store",
            "tls_cert_notbefore", "tls_cert_notafter", "tls_cert_expired", "tls_cert_valid", "tls.random",
            "tls.random_time", "tls.random_bytes", "tls.alpn", "tls.subjectaltname", "ssl_version", "ssl_state",
            "ja3.hash", "ja3_hash", "ja3.string", "ja3_string", "ja3s.hash", "ja3s.string", "ja4.hash",
            // ssh
            "ssh.proto", "ssh_proto", "ssh.protoversion", "ssh.software", "ssh_software", "ssh.softwareversion",
            "ssh.hassh", "ssh.hassh.server", "ssh.hassh.string", "ssh.hassh.server.string",
            // other application layers
            "modbus", "dnp3_func", "dnp3.func", "dnp3_ind", "dnp3.ind", "dnp3_obj", "dnp3.obj", "dnp3_data",
            "dnp3.data", "cip_service", "enip_command", "enip.status", "enip.product_name", "enip.service_name",
            "dce_iface", "dce_opnum", "dce_stub_data", "smb.named_pipe", "smb.share", "smb.ntlmssp_user",
            "smb.ntlmssp_domain", "smb.version", "ftpbounce", "ftpdata_command", "ftp.command", "ftp.command_data",
            "ftp.reply", "ftp.mode", "ftp.dynamic_port", "krb5_msg_type", "krb5.msgtype", "krb5_cname", "krb5.cname",
            "krb5_sname", "krb5.sname", "krb5_err_code", "krb5.error_code", "krb5.weak_encryption",
            "krb5.ticket_encryption", "snmp.version", "snmp.community", "snmp.pdu_type", "snmp.usm", "sip.method",
            "sip.uri", "sip.protocol", "sip.stat_code", "sip.stat_msg", "sip.request_line", "sip.response_line",
            "rfb.name", "rfb.secresult", "rfb.sectype", "mqtt.type", "mqtt.flags", "mqtt.qos", "mqtt.reason_code",
            "mqtt.connack.session_present", "mqtt.connect.clientid", "mqtt.connect.flags", "mqtt.connect.password",
            "mqtt.connect.username", "mqtt.connect.willmessage", "mqtt.connect.willtopic", "mqtt.protocol_version",
            "mqtt.publish.message", "mqtt.publish.topic", "mqtt.subscribe.topic", "mqtt.unsubscribe.topic",
            "ike.init_spi", "ike.resp_spi", "ike.chosen_sa_attribute", "ike.exchtype", "ike.vendor",
            "ike.key_exchange_payload", "ike.key_exchange_payload_length", "ike.nonce_payload",
            "ike.nonce_payload_length", "quic.version", "quic.sni", "quic.ua", "quic.cyu.hash", "quic.cyu.string",
            "nfs_procedure", "nfs.procedure", "nfs.version", "dhcp.leasetime", "dhcp.rebinding_time",
            "dhcp.renewal_time", "smtp.helo", "smtp.mail_from", "smtp.rcpt_to", "email.from", "email.subject",
            "email.to", "email.cc", "email.date", "email.message_id", "email.x_mailer", "email.url",
            "email.received", "websocket.payload", "websocket.flags", "websocket.mask", "websocket.opcode",
            "ldap.request.operation", "ldap.responses.operation", "ldap.responses.count", "ldap.request.dn",
            "ldap.responses.dn", "ldap.responses.result_code", "ldap.responses.message", "ldap.request.attribute_type",
            "ldap.responses.attribute_type", "sdp.origin", "sdp.session_name", "sdp.session_info", "sdp.uri",
            "sdp.email", "sdp.phone_number", "sdp.connection_data", "sdp.bandwidth", "sdp.time", "sdp.repeat_time",
            "sdp.timezone", "sdp.encryption_key", "sdp.attribute", "sdp.media.media", "sdp.media.media_info",
            "sdp.media.connection_data", "sdp.media.encryption_key", "tftp.file_name", "pgsql.query",
            "template_buffer", "transforms");

    /** Rule-option keywords of Snort 2.9 and Snort 3 that Suricata does not spell the same way. */
    private static final Set<String> SNORT = set(
            "protected_content", "hash", "length", "http_raw_cookie", "http_encode", "cvs", "sip_method",
            "sip_stat_code", "sip_header", "sip_body", "gtp_type", "gtp_info", "gtp_version", "stream_reassemble",
            "logto", "session", "resp", "react", "activates", "activated_by", "count", "modbus_func", "modbus_unit",
            "modbus_data", "appids", "file_type", "service", "rem", "http_trailer", "http_version", "http_true_ip",
            "http_param", "http_raw_body", "http_raw_request", "http_raw_status", "http_raw_trailer",
            "http_num_headers", "http_num_trailers", "http_max_header_line", "http_max_trailer_line",
            "http_version_match", "http_num_cookies", "http_header_test", "http_trailer_test", "js_data", "vba_data",
            "bufferlen", "ber_data", "ber_skip", "file_meta", "so", "sd_pattern", "regex", "enable", "raw_data",
            "script_data", "file_id", "byte_math", "ssl_version", "ssl_state", "s7commplus_opcode",
            "s7commplus_func", "s7commplus_content", "iec104_apci_type", "iec104_asdu_func", "mms_data", "mms_func",
            "cip_attribute", "cip_class", "cip_conn_path_class", "cip_instance", "cip_status", "cip_enipreq",
            "cip_eniprsp", "cip_req", "cip_rsp", "dce_smb", "gtp_info", "dnp3_func", "dnp3_obj", "dnp3_ind",
            "dnp3_data");

    /** Header protocols Suricata or Snort accept beyond the ones Judo parses (application layers included). */
    private static final Set<String> PROTOCOLS = set(
            "ipv4", "ip4", "ipv6", "ip6", "icmpv4", "icmpv6", "sctp", "igmp", "udp-pkt", "http", "http1", "http2",
            "ftp", "ftp-data", "smtp", "tls", "ssl", "ssh", "imap", "pop3", "msn", "smb", "dcerpc", "dns", "modbus",
            "enip", "dnp3", "nfs", "ntp", "tftp", "ikev2", "ike", "krb5", "dhcp", "snmp", "sip", "rfb", "mqtt", "rdp",
            "telnet", "pgsql", "quic", "bittorrent-dht", "websocket", "ldap", "doh2", "mdns", "template", "file",
            "netbios-ssn", "netbios-dgm", "netbios-ns", "sunrpc", "irc", "pop", "imap4", "s7commplus", "iec104",
            "mms", "cip", "gtp", "opcua", "arp", "ether");

    /**
     * pcre modifiers Suricata or Snort define beyond the ones Judo implements: Snort's ungreedy G. (B, rawbytes, and
     * O, match limits, are accepted with no effect; the HTTP buffer modifiers U I P Q H D M C K S Y V W Z are
     * implemented.)
     */
    static final String PCRE_OTHER_FLAGS = "G";

    private static final List<String> ALL;

    /** A set of the words given; the lists overlap on purpose where the engines share a spelling. */
    private static Set<String> set(String... words) {
        return Set.copyOf(new java.util.HashSet<>(java.util.Arrays.asList(words)));
    }

    static {
        Set<String> all = new TreeSet<>(SURICATA);
        all.addAll(SNORT);
        ALL = List.copyOf(all);
    }

    /** Whether Suricata or Snort has option keyword {@code word}. */
    static boolean isKeyword(String word) {
        return SURICATA.contains(word) || SNORT.contains(word);
    }

    /** Whether Suricata or Snort accepts {@code word} as a header protocol Judo does not parse. */
    static boolean isOtherProtocol(String word) {
        return PROTOCOLS.contains(word);
    }

    /** The keywords closest to {@code word} (within 1 edit for words of up to 4 letters, 2 beyond), best first. */
    static List<String> closeKeywords(String word) {
        return closest(word, ALL);
    }

    /** The header protocols closest to {@code word}, Judo's own included. */
    static List<String> closeProtocols(String word) {
        List<String> names = new ArrayList<>(PROTOCOLS);
        names.addAll(List.of("ip", "tcp", "udp", "icmp", "tcp-pkt", "tcp-stream", "pkthdr"));
        return closest(word, names);
    }

    /** "; did you mean 'x'?" or "; did you mean 'x' or 'y'?" for up to two closest words; empty when none is near. */
    static String hint(List<String> close) {
        if (close.isEmpty()) {
            return "";
        }
        return close.size() == 1 ? "; did you mean '" + close.get(0) + "'?"
                : "; did you mean '" + close.get(0) + "' or '" + close.get(1) + "'?";
    }

    /** The names closest to {@code word} (as {@link #closeKeywords}), best first. */
    static List<String> closest(String word, List<String> names) {
        int limit = word.length() <= 4 ? 1 : 2;
        int best = limit + 1;
        List<String> out = new ArrayList<>();
        for (String n : names) {
            int d = distance(word, n, best);
            if (d < best) {
                best = d;
                out.clear();
                out.add(n);
            } else if (d == best && d <= limit) {
                out.add(n);
            }
        }
        return out.size() <= 2 ? List.copyOf(out) : List.of();
    }

    /**
     * Edit distance of {@code a} and {@code b} (insertions, deletions, substitutions, and swaps of two neighbours, the
     * commonest typo), or {@code cap + 1} when it is larger than {@code cap}.
     */
    static int distance(String a, String b, int cap) {
        if (Math.abs(a.length() - b.length()) > cap) {
            return cap + 1;
        }
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int v = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    v = Math.min(v, d[i - 2][j - 2] + 1);
                }
                d[i][j] = v;
            }
        }
        return Math.min(d[a.length()][b.length()], cap + 1);
    }
}
