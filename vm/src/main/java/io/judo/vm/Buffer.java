package io.judo.vm;

/**
 * The buffer table: the named byte buffers a program inspects with the {@code buffer}, {@code find},
 * {@code regex} and {@code byte_read} helpers. A buffer is selected by id; the selection stays for the rest of the
 * run (Suricata's "sticky" buffers: keywords after it inspect it). Each says when it exists: per packet, per
 * reassembled stream chunk, or per application-layer transaction (the HTTP, DNS, TLS, SSH and SMTP buffers, named exactly as
 * Suricata 5+ names its sticky buffers, so that {@link #text()} is the keyword a rule writes). The DNS name buffers
 * are Suricata's multi-buffers: one DNS message has several names, and the engine runs a rule over each in turn.
 *
 * <p>Ids above the last row are derived buffers: a base buffer with transforms, numbered per rule set by the rule
 * compiler (see {@link Transform}).
 */
public enum Buffer {
    /** The packet's payload after the transport header. */
    PAYLOAD("payload", Scope.PACKET, Side.NONE),
    /** A window on one direction of a reassembled TCP stream: the chunk's new bytes and up to 2 KiB before them. */
    STREAM("stream", Scope.STREAM_CHUNK, Side.NONE),
    /** The normalized request URI (percent-decoded path, as libhtp normalizes it). */
    HTTP_URI("http.uri", Side.REQUEST),
    /** The request URI as on the wire. */
    HTTP_URI_RAW("http.uri.raw", Side.REQUEST),
    HTTP_METHOD("http.method", Side.REQUEST),
    /** The request line's protocol ({@code HTTP/1.1}). */
    HTTP_PROTOCOL("http.protocol", Side.REQUEST),
    HTTP_REQUEST_LINE("http.request_line", Side.REQUEST),
    HTTP_RESPONSE_LINE("http.response_line", Side.RESPONSE),
    /** The start line and headers of the side, as on the wire. */
    HTTP_START("http.start", Side.BOTH),
    /** The side's headers, each {@code Name: value\r\n}, without Cookie / Set-Cookie. */
    HTTP_HEADER("http.header", Side.BOTH),
    /** The side's header block as on the wire. */
    HTTP_HEADER_RAW("http.header.raw", Side.BOTH),
    /** {@code \r\nName1\r\nName2\r\n\r\n}. */
    HTTP_HEADER_NAMES("http.header_names", Side.BOTH),
    HTTP_REQUEST_HEADER("http.request_header", Side.REQUEST),
    HTTP_RESPONSE_HEADER("http.response_header", Side.RESPONSE),
    /** Cookie (request) or Set-Cookie (response). */
    HTTP_COOKIE("http.cookie", Side.BOTH),
    HTTP_USER_AGENT("http.user_agent", Side.REQUEST),
    /** The Host header lowercased, without the port. */
    HTTP_HOST("http.host", Side.REQUEST),
    HTTP_HOST_RAW("http.host.raw", Side.REQUEST),
    HTTP_ACCEPT("http.accept", Side.REQUEST),
    HTTP_ACCEPT_ENC("http.accept_enc", Side.REQUEST),
    HTTP_ACCEPT_LANG("http.accept_lang", Side.REQUEST),
    HTTP_REFERER("http.referer", Side.REQUEST),
    HTTP_CONNECTION("http.connection", Side.REQUEST),
    HTTP_CONTENT_TYPE("http.content_type", Side.BOTH),
    HTTP_CONTENT_LEN("http.content_len", Side.BOTH),
    HTTP_LOCATION("http.location", Side.RESPONSE),
    HTTP_SERVER("http.server", Side.RESPONSE),
    HTTP_STAT_CODE("http.stat_code", Side.RESPONSE),
    HTTP_STAT_MSG("http.stat_msg", Side.RESPONSE),
    /** The decoded client body (dechunked, decompressed), up to the body limit. */
    HTTP_REQUEST_BODY("http.request_body", Side.REQUEST),
    /** The decoded server body, up to the body limit. */
    HTTP_RESPONSE_BODY("http.response_body", Side.RESPONSE),
    /** The decoded body of the side (Suricata's file.data over HTTP). */
    FILE_DATA("file.data", Side.BOTH),
    /** Each question name of a DNS request, as Suricata presents it (dotted, no trailing dot, case kept). */
    DNS_QUERY("dns.query", Side.REQUEST),
    /** Each question name of a DNS message, request or response. */
    DNS_QUERIES_RRNAME("dns.queries.rrname", Side.BOTH),
    /** Each answer record's owner name of a DNS response. */
    DNS_ANSWERS_RRNAME("dns.answers.rrname", Side.RESPONSE),
    /** Each authority record's owner name of a DNS response. */
    DNS_AUTHORITIES_RRNAME("dns.authorities.rrname", Side.RESPONSE),
    /** Each additional record's owner name of a DNS response. */
    DNS_ADDITIONALS_RRNAME("dns.additionals.rrname", Side.RESPONSE),
    /**
     * The DNS message's opcode as one byte: the {@code dns.opcode} keyword is a byte test on it (not a sticky buffer a
     * rule names).
     */
    DNS_OPCODE("dns.opcode", Side.BOTH),
    /** The ClientHello's server_name (SNI) host name. */
    TLS_SNI("tls.sni", Side.REQUEST),
    /** The server certificate's subject, as Suricata formats it ({@code C=US, O=Example, CN=example.com}). */
    TLS_CERT_SUBJECT("tls.cert_subject", Side.RESPONSE),
    /** The server certificate's issuer, formatted as the subject. */
    TLS_CERT_ISSUER("tls.cert_issuer", Side.RESPONSE),
    /** The server certificate's serial, as colon-separated upper-case hex bytes. */
    TLS_CERT_SERIAL("tls.cert_serial", Side.RESPONSE),
    /** The server certificate's SHA-1 fingerprint, as colon-separated lower-case hex bytes. */
    TLS_CERT_FINGERPRINT("tls.cert_fingerprint", Side.RESPONSE),
    /** Each certificate's DER of the server's chain, one per element (a multi-buffer, as the DNS names). */
    TLS_CERTS("tls.certs", Side.RESPONSE),
    /** The 32-byte random of the hello of the run's direction (the client's to the server). */
    TLS_RANDOM("tls.random", Side.BOTH),
    /** The random's first 4 bytes. */
    TLS_RANDOM_TIME("tls.random_time", Side.BOTH),
    /** The random's last 28 bytes. */
    TLS_RANDOM_BYTES("tls.random_bytes", Side.BOTH),
    /** The ClientHello's JA3 fingerprint, 32 lower-case hex digits of the MD5. */
    JA3_HASH("ja3.hash", Side.REQUEST),
    /** The ClientHello's JA3 string. */
    JA3_STRING("ja3.string", Side.REQUEST),
    /** The ServerHello's JA3S fingerprint. */
    JA3S_HASH("ja3s.hash", Side.RESPONSE),
    /** The ServerHello's JA3S string. */
    JA3S_STRING("ja3s.string", Side.RESPONSE),
    /** The ClientHello's JA4 fingerprint ({@code t13d1516h2_8daaf6152771_02713d6af862}). */
    JA4_HASH("ja4.hash", Side.REQUEST),
    /**
     * The protocol version of the run's direction as two big-endian bytes (the client's hello to the server, the
     * server's selected version to the client): the {@code tls.version} keyword is a byte test on it, not a sticky
     * buffer a rule names.
     */
    TLS_VERSION("tls.version", Side.BOTH),
    /**
     * The run's direction's version as one bit ({@code ssl_version} tests it with a mask): 1 SSLv2, 2 SSLv3, 4 TLS 1.0,
     * 8 TLS 1.1, 16 TLS 1.2, 32 TLS 1.3, 0 for another.
     */
    TLS_SSL_VERSION("ssl_version", Side.BOTH),
    /**
     * The handshake messages seen so far as bits ({@code ssl_state}): 1 client_hello, 2 server_hello, 4 client_keyx,
     * 8 server_keyx, 16 unknown.
     */
    TLS_SSL_STATE("ssl_state", Side.BOTH),
    /**
     * The server certificate's validity at the packet's time as bits ({@code tls_cert_expired}, {@code
     * tls_cert_valid}): 1 expired, 2 valid; absent when no certificate decoded.
     */
    TLS_CERT_VALIDITY("tls.cert_validity", Side.RESPONSE),
    /** The server's chain length, four big-endian bytes ({@code tls.cert_chain_len}). */
    TLS_CERT_CHAIN_LEN("tls.cert_chain_len", Side.RESPONSE),
    /** The protocol version of the run's direction's SSH banner ("2.0", "1.99"). */
    SSH_PROTO("ssh.proto", Side.BOTH),
    /** The software version of the run's direction's SSH banner, up to its first space. */
    SSH_SOFTWARE("ssh.software", Side.BOTH),
    /** The client's hassh: MD5 of its KEXINIT's kex, encryption, MAC and compression lists, lower-case hex. */
    SSH_HASSH("ssh.hassh", Side.REQUEST),
    /** The client's hassh string ("kex;enc;mac;cmp"). */
    SSH_HASSH_STRING("ssh.hassh.string", Side.REQUEST),
    /** The server's hasshServer. */
    SSH_HASSH_SERVER("ssh.hassh.server", Side.RESPONSE),
    /** The server's hasshServer string. */
    SSH_HASSH_SERVER_STRING("ssh.hassh.server.string", Side.RESPONSE),
    /** The HELO/EHLO argument of the SMTP connection. */
    SMTP_HELO("smtp.helo", Side.REQUEST),
    /** The mail's MAIL FROM argument, angle brackets included. */
    SMTP_MAIL_FROM("smtp.mail_from", Side.REQUEST),
    /** Each RCPT TO argument of the mail (a multi-buffer), angle brackets included. */
    SMTP_RCPT_TO("smtp.rcpt_to", Side.REQUEST),
    /** The FTP command's name as Suricata's command table spells it (upper case), of a known command. */
    FTP_COMMAND("ftp.command", Side.REQUEST),
    /** The FTP command's argument (the line after the command and a space), of a known command. */
    FTP_COMMAND_DATA("ftp.command_data", Side.REQUEST),
    /**
     * One byte, 1 when the FTP command is a PORT whose IPv4 address is not the control connection's client
     * ({@code ftpbounce}, Suricata's reading), else 0; present for PORT commands only.
     */
    FTP_BOUNCE("ftp.bounce", Side.REQUEST),
    /**
     * One byte for {@code ftpdata_command}: 1 when the FTP-DATA flow carries a RETR's file, 2 a STOR's; absent for
     * the other transfer commands (LIST, APPE ...) and before one was sent, as Suricata knows only those two.
     */
    FTPDATA_COMMAND("ftpdata.command", Side.BOTH);

    /** When a buffer exists. */
    public enum Scope { PACKET, STREAM_CHUNK, TRANSACTION }

    /**
     * Which side of a transaction a buffer comes from: {@code BOTH} buffers exist on either side and a run takes the
     * side of its direction (to the server: the request's). {@code NONE} for the packet and stream buffers.
     */
    public enum Side { NONE, REQUEST, RESPONSE, BOTH }

    private static final Buffer[] VALUES = values();
    private final String text;
    private final Scope scope;
    private final Side side;

    Buffer(String text, Scope scope, Side side) {
        this.text = text;
        this.scope = scope;
        this.side = side;
    }

    Buffer(String text, Side side) {
        this(text, Scope.TRANSACTION, side);
    }

    /** The id programs pass to the {@code buffer} helper. */
    public int id() {
        return ordinal();
    }

    public Scope scope() {
        return scope;
    }

    public Side side() {
        return side;
    }

    /** Whether a rule names it with a sticky-buffer keyword (as {@code http.uri}); the payload buffers are implicit. */
    public boolean sticky() {
        return scope == Scope.TRANSACTION && !value();
    }

    /**
     * Whether a value keyword tests this row (a byte test over a few bytes the engine fills: {@code dns.opcode},
     * {@code tls.version}, {@code ssl_version}, {@code ssl_state}, {@code tls_cert_expired}/{@code tls_cert_valid},
     * {@code tls.cert_chain_len}); no rule names it as a sticky buffer.
     */
    public boolean value() {
        return switch (this) {
            case DNS_OPCODE, TLS_VERSION, TLS_SSL_VERSION, TLS_SSL_STATE, TLS_CERT_VALIDITY, TLS_CERT_CHAIN_LEN,
                    FTP_BOUNCE, FTPDATA_COMMAND -> true;
            default -> false;
        };
    }

    /** The name: {@code payload}, {@code stream}, or the Suricata keyword ({@code http.uri}, {@code file.data}). */
    public String text() {
        return text;
    }

    /** Whether this is one of the DNS buffers (each a multi-buffer: one name per element). */
    public boolean dns() {
        return text.startsWith("dns.");
    }

    /** Whether this is one of the TLS buffers (a TLS session's: the hellos, the server's certificate chain). */
    public boolean tls() {
        return ordinal() >= TLS_SNI.ordinal() && ordinal() <= TLS_CERT_CHAIN_LEN.ordinal();
    }

    /** Whether this is one of the SMTP buffers (a mail's envelope; its files are {@link #FILE_DATA}). */
    public boolean smtp() {
        return text.startsWith("smtp.");
    }

    /** Whether this is one of the FTP buffers (a command's; {@code ftp.bounce} is ftpbounce's test). */
    public boolean ftp() {
        return text.startsWith("ftp.");
    }

    /** Whether this is one of the SSH buffers (a connection's banners and KEXINITs). */
    public boolean ssh() {
        return text.startsWith("ssh.");
    }

    /** The buffer with an id, or null (derived ids included: they are not rows). */
    public static Buffer of(long id) {
        return id >= 0 && id < VALUES.length ? VALUES[(int) id] : null;
    }

    /** By name, or null. */
    public static Buffer named(String name) {
        for (Buffer b : VALUES) {
            if (b.text.equals(name)) {
                return b;
            }
        }
        return null;
    }
}
