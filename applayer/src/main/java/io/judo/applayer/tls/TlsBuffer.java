package io.judo.applayer.tls;

/**
 * Suricata's TLS sticky buffers. {@link #text()} is Suricata's name; the certificate buffers read the first
 * certificate of a chain (Suricata's {@code cert0}), {@link #CERTS} each certificate's DER in turn.
 */
public enum TlsBuffer {
    SNI("tls.sni"),
    CERT_SUBJECT("tls.cert_subject"),
    CERT_ISSUER("tls.cert_issuer"),
    CERT_SERIAL("tls.cert_serial"),
    CERT_FINGERPRINT("tls.cert_fingerprint"),
    /** Multi-buffer: one certificate's DER per index. */
    CERTS("tls.certs"),
    /** The 32-byte random of the hello of the direction asked for. */
    RANDOM("tls.random"),
    RANDOM_TIME("tls.random_time"),
    RANDOM_BYTES("tls.random_bytes"),
    JA3_HASH("ja3.hash"),
    JA3_STRING("ja3.string"),
    JA3S_HASH("ja3s.hash"),
    JA3S_STRING("ja3s.string"),
    JA4_HASH("ja4.hash");

    private final String text;

    TlsBuffer(String text) {
        this.text = text;
    }

    /** @return the keyword as rules write it */
    public String text() {
        return text;
    }
}
