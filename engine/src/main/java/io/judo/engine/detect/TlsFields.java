package io.judo.engine.detect;

import io.judo.applayer.tls.TlsCertificate;
import io.judo.applayer.tls.TlsHello;
import io.judo.applayer.tls.TlsSession;

/**
 * What Suricata's EVE {@code tls} object says of one TLS session, taken when an alert fires or the session is logged
 * (the session is the parser's and changes as the handshake goes on). Null members are absent from the session (no
 * SNI, no certificate in clear, a hello not seen) and are left out of the JSON.
 *
 * @param version the negotiated version as Suricata names it ("TLS 1.2", "TLS 1.3", "UNDETERMINED")
 * @param notBefore the server certificate's validity start, seconds since the epoch, or -1 without one
 * @param notAfter its validity end, or -1
 */
public record TlsFields(String subject, String issuerdn, String serial, String fingerprint, String sni,
        String version, long notBefore, long notAfter, String ja3Hash, String ja3String, String ja3sHash,
        String ja3sString, String ja4) {

    /** The fields of {@code s} (allocates: for alerts and logs, not the per-session path). */
    public static TlsFields of(TlsSession s) {
        TlsCertificate c = s.certificateCount(1) > 0 ? s.certificate(1, 0) : null;
        TlsHello client = s.client();
        TlsHello server = s.server();
        return new TlsFields(c == null ? null : c.subject(), c == null ? null : c.issuer(),
                c == null ? null : c.serial(), c == null ? null : c.fingerprint(),
                client.present() ? client.sni() : null, TlsSession.versionName(s.version()),
                c == null || c.subject() == null ? -1 : c.notBefore(), c == null || c.subject() == null ? -1
                        : c.notAfter(),
                client.present() ? client.ja3Hash() : null, client.present() ? client.ja3String() : null,
                server.present() ? server.ja3Hash() : null, server.present() ? server.ja3String() : null,
                client.present() ? client.ja4() : null);
    }
}
