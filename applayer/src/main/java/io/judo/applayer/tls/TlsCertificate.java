package io.judo.applayer.tls;

import io.judo.applayer.Hex;
import io.judo.applayer.Slice;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;

/**
 * One certificate of a chain: its DER as received, and the fields Suricata logs, decoded with the JDK's X.509
 * {@link CertificateFactory} on first use (the parser decodes the first certificate of each chain when the message
 * arrives, as Suricata does, so its events are raised in stream order). Decoding allocates (a JDK certificate object
 * and the field strings); a certificate the JDK rejects has no fields and {@link #error()} says why. Nothing here
 * throws on bad input.
 */
public final class TlsCertificate {
    private static final ThreadLocal<CertificateFactory> FACTORY = ThreadLocal.withInitial(() -> {
        try {
            return CertificateFactory.getInstance("X.509");
        } catch (CertificateException e) {
            throw new IllegalStateException("the JDK must provide X.509", e);
        }
    });
    private static final ThreadLocal<MessageDigest> SHA1 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK must provide SHA-1", e);
        }
    });

    private final byte[] data;
    private final int off;
    private final int len;
    private boolean decoded;
    private TlsEvent error;
    private byte[] subject;
    private byte[] issuer;
    private byte[] serial;
    private byte[] fingerprint;
    private long notBefore;
    private long notAfter;

    TlsCertificate(byte[] data, int off, int len) {
        this.data = data;
        this.off = off;
        this.len = len;
    }

    /** @param out filled with the certificate's DER bytes */
    public void der(Slice out) {
        out.set(data, off, len);
    }

    /** @return the DER length */
    public int length() {
        return len;
    }

    /** @return null when the certificate decoded, else the event that says why not (decodes on first call) */
    public TlsEvent error() {
        decode();
        return error;
    }

    /** Decodes once; safe to call again. */
    void decode() {
        if (decoded) {
            return;
        }
        decoded = true;
        MessageDigest sha1 = SHA1.get();
        sha1.update(data, off, len);
        byte[] digest = sha1.digest();
        fingerprint = Hex.colons(digest, Hex.LOWER).getBytes(StandardCharsets.US_ASCII);
        X509Certificate c;
        try {
            c = (X509Certificate) FACTORY.get().generateCertificate(new ByteArrayInputStream(data, off, len));
        } catch (CertificateException | RuntimeException e) {
            // the JDK reports malformed DER as CertificateException, and some truncations as runtime exceptions
            error = TlsEvent.CERTIFICATE_INVALID_DER;
            return;
        }
        String s = DistinguishedName.format(c.getSubjectX500Principal().getEncoded());
        String i = DistinguishedName.format(c.getIssuerX500Principal().getEncoded());
        if (s.equals(DistinguishedName.INVALID)) {
            error = TlsEvent.CERTIFICATE_INVALID_SUBJECT;
        } else if (i.equals(DistinguishedName.INVALID)) {
            error = TlsEvent.CERTIFICATE_INVALID_ISSUER;
        }
        subject = s.getBytes(StandardCharsets.UTF_8);
        issuer = i.getBytes(StandardCharsets.UTF_8);
        // DER integers are minimal two's complement, which is what toByteArray gives: the bytes as on the wire
        serial = Hex.colons(c.getSerialNumber().toByteArray(), Hex.UPPER).getBytes(StandardCharsets.US_ASCII);
        notBefore = Math.floorDiv(c.getNotBefore().getTime(), 1000L);
        notAfter = Math.floorDiv(c.getNotAfter().getTime(), 1000L);
    }

    private static boolean fill(byte[] b, Slice out) {
        if (b == null) {
            return false;
        }
        out.set(b, 0, b.length);
        return true;
    }

    /** @param out filled with the subject as Suricata formats it @return false when it did not decode */
    public boolean subject(Slice out) {
        decode();
        return fill(subject, out);
    }

    /** @param out filled with the issuer @return false when it did not decode */
    public boolean issuer(Slice out) {
        decode();
        return fill(issuer, out);
    }

    /** @param out filled with the serial, upper-case hex pairs joined by ':' @return false when it did not decode */
    public boolean serial(Slice out) {
        decode();
        return fill(serial, out);
    }

    /** @param out filled with the SHA-1 of the DER, lower-case hex pairs joined by ':' (always available) */
    public boolean fingerprint(Slice out) {
        decode();
        return fill(fingerprint, out);
    }

    /** @return the subject ("C=US, O=..., CN=..."), or null */
    public String subject() {
        decode();
        return subject == null ? null : new String(subject, StandardCharsets.UTF_8);
    }

    /** @return the issuer, or null */
    public String issuer() {
        decode();
        return issuer == null ? null : new String(issuer, StandardCharsets.UTF_8);
    }

    /** @return the serial ("5C:19:B7:B1"), or null */
    public String serial() {
        decode();
        return serial == null ? null : new String(serial, StandardCharsets.US_ASCII);
    }

    /** @return the SHA-1 fingerprint ("4a:0b:..."); computed over the bytes even when they do not decode */
    public String fingerprint() {
        decode();
        return new String(fingerprint, StandardCharsets.US_ASCII);
    }

    /** @return notBefore in seconds since the epoch (0 when it did not decode) */
    public long notBefore() {
        decode();
        return notBefore;
    }

    /** @return notAfter in seconds since the epoch (0 when it did not decode) */
    public long notAfter() {
        decode();
        return notAfter;
    }

    /**
     * @param epochSeconds the time to judge at (a packet's time)
     * @return whether the certificate decoded and its notAfter is before that time ({@code tls.cert_expired})
     */
    public boolean expiredAt(long epochSeconds) {
        return error() != TlsEvent.CERTIFICATE_INVALID_DER && epochSeconds > notAfter;
    }

    /**
     * @param epochSeconds the time to judge at
     * @return whether the certificate decoded and the time is within notBefore..notAfter ({@code tls.cert_valid})
     */
    public boolean validAt(long epochSeconds) {
        return error() != TlsEvent.CERTIFICATE_INVALID_DER && epochSeconds >= notBefore && epochSeconds <= notAfter;
    }

    private static final java.time.format.DateTimeFormatter EVE =
        java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");

    /**
     * @param epochSeconds a validity bound
     * @return it as Suricata's EVE writes notbefore/notafter ("2026-12-03T17:21:47", UTC)
     */
    public static String eveTime(long epochSeconds) {
        return java.time.LocalDateTime.ofEpochSecond(epochSeconds, 0, java.time.ZoneOffset.UTC).format(EVE);
    }
}
