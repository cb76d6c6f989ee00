package io.judo.applayer.tls;

/**
 * The TLS parser's limits and switches, immutable; start from {@link #defaults()}.
 *
 * @param maxHandshakeMessage bytes of one handshake message kept for parsing (a certificate chain is one message);
 *     longer messages are skipped with {@link TlsEvent#HANDSHAKE_MESSAGE_TOO_LONG}
 * @param maxCertificates certificates kept per chain; more are ignored
 * @param ja3 whether JA3/JA3S strings and hashes are computed when the hellos are parsed
 * @param ja4 whether the JA4 fingerprint is computed when the ClientHello is parsed
 */
public record TlsConfig(int maxHandshakeMessage, int maxCertificates, boolean ja3, boolean ja4) {
    /** @return 256 KiB per handshake message, 16 certificates, JA3 and JA4 on */
    public static TlsConfig defaults() {
        return new TlsConfig(256 * 1024, 16, true, true);
    }

    /** @param on whether fingerprints are computed @return a copy with JA3 and JA4 both on or off */
    public TlsConfig withFingerprints(boolean on) {
        return new TlsConfig(maxHandshakeMessage, maxCertificates, on, on);
    }

    /** @param bytes handshake message limit @param certs certificates kept @return a copy with those limits */
    public TlsConfig withLimits(int bytes, int certs) {
        return new TlsConfig(bytes, certs, ja3, ja4);
    }
}
