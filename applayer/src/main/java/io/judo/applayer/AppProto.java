package io.judo.applayer;

/** The application protocol a flow was found to carry. */
public enum AppProto {
    /** Not decided yet: detection needs more bytes. */
    UNKNOWN,
    /** HTTP/1.x (a request line or a status line was seen). */
    HTTP,
    /** Detection gave up: enough bytes were seen in the flow's directions and none looked like a known protocol. */
    FAILED,
    /** DNS: over UDP a datagram that parses as a DNS message, over TCP a length-prefixed one. */
    DNS,
    /** TLS or SSL: a record header (or an SSLv2 hello) at the start of a direction. */
    TLS,
    /** SMTP: the client's first command is EHLO or HELO. */
    SMTP,
    /** FTP's command channel: a server reply code, then a client command only FTP has (USER, AUTH TLS, FEAT...). */
    FTP,
    /** SSH: a direction starts with the {@code SSH-} identification string. */
    SSH,
    /** An FTP data connection: a TCP flow to an address and port an FTP command channel announced for it. */
    FTP_DATA
    // ordinals are the VM's app_proto ids (io.judo.vm.interp.Helpers.APP_PROTO_*), so new protocols are appended and
    // existing ones never move
}
