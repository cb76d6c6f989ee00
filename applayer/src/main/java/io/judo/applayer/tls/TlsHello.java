package io.judo.applayer.tls;

import io.judo.applayer.Bytes;
import io.judo.applayer.Slice;
import java.nio.charset.StandardCharsets;

/**
 * One side's hello (ClientHello or ServerHello) as parsed: the message body is copied into the hello's own storage
 * and the fields point into it; lists are kept in wire order with GREASE values included (the fingerprints drop
 * them, as JA3 and JA4 specify). Reused across connections when the parser is {@link TlsParser#reset() reset}, so
 * a parser in steady state allocates nothing per hello. The accessors that return arrays or Strings allocate (for
 * EVE and tests, not the per-packet path).
 */
public final class TlsHello {
    /** The hello of a side that sent none yet: never written (the session swaps in its own on first use). */
    static final TlsHello NONE = new TlsHello();

    final Bytes body = new Bytes();
    boolean present;
    boolean sslv2;
    int version;
    int randomOff = -1;
    int sidOff;
    int sidLen;
    final IntList ciphers = new IntList();
    final IntList extensions = new IntList();
    final IntList groups = new IntList();
    final IntList formats = new IntList();
    final IntList sigalgs = new IntList();
    final IntList versions = new IntList();
    int selectedVersion;
    int sniOff = -1;
    int sniLen;
    int alpnOff = -1;
    int alpnLen;
    final Bytes ja3 = new Bytes();
    final byte[] ja3Hash = new byte[32];
    boolean ja3Done;
    final byte[] ja4 = new byte[36];
    boolean ja4Done;

    void reset() {
        body.clear();
        present = false;
        sslv2 = false;
        version = 0;
        randomOff = -1;
        sidOff = 0;
        sidLen = 0;
        ciphers.clear();
        extensions.clear();
        groups.clear();
        formats.clear();
        sigalgs.clear();
        versions.clear();
        selectedVersion = 0;
        sniOff = -1;
        sniLen = 0;
        alpnOff = -1;
        alpnLen = 0;
        ja3.clear();
        ja3Done = false;
        ja4Done = false;
    }

    /** @return whether this hello was seen */
    public boolean present() {
        return present;
    }

    /** @return whether it was an SSLv2 (or SSLv2-compatible) hello */
    public boolean sslv2() {
        return sslv2;
    }

    /** @return the legacy version field (0x0303 for TLS 1.2; also in TLS 1.3 hellos, which use supported_versions) */
    public int version() {
        return version;
    }

    /**
     * @return the version this side speaks: for a ServerHello the supported_versions selection if present, else its
     *     version field; for a ClientHello the highest non-GREASE supported_versions entry, else its version field
     */
    public int effectiveVersion() {
        if (selectedVersion != 0) {
            return selectedVersion;
        }
        int best = 0;
        for (int i = 0; i < versions.n; i++) {
            int v = versions.a[i];
            if (!Fingerprints.grease(v) && v > best) {
                best = v;
            }
        }
        return best != 0 ? best : version;
    }

    /** @return the server's supported_versions selection, 0 when absent */
    public int selectedVersion() {
        return selectedVersion;
    }

    /** @return the cipher suites in wire order (a ServerHello has one) */
    public int[] ciphers() {
        return ciphers.toArray();
    }

    /** @return the extension types in wire order */
    public int[] extensions() {
        return extensions.toArray();
    }

    /** @return supported_groups (elliptic curves) in wire order */
    public int[] groups() {
        return groups.toArray();
    }

    /** @return ec_point_formats in wire order */
    public int[] pointFormats() {
        return formats.toArray();
    }

    /** @return signature_algorithms in wire order */
    public int[] signatureAlgorithms() {
        return sigalgs.toArray();
    }

    /** @return supported_versions of a ClientHello in wire order */
    public int[] supportedVersions() {
        return versions.toArray();
    }

    /**
     * @param out filled with the 32-byte random
     * @return false when there is none (no hello, or an SSLv2 hello)
     */
    public boolean random(Slice out) {
        if (randomOff < 0) {
            return false;
        }
        out.set(body.a, randomOff, 32);
        return true;
    }

    /** @param out filled with the session id @return false when empty */
    public boolean sessionId(Slice out) {
        if (sidLen == 0) {
            return false;
        }
        out.set(body.a, sidOff, sidLen);
        return true;
    }

    /** @param out filled with the first server_name host name @return false without SNI */
    public boolean sni(Slice out) {
        if (sniOff < 0) {
            return false;
        }
        out.set(body.a, sniOff, sniLen);
        return true;
    }

    /** @return the SNI host name, or null */
    public String sni() {
        return sniOff < 0 ? null : new String(body.a, sniOff, sniLen, StandardCharsets.ISO_8859_1);
    }

    /** @return the ALPN protocol names in order (a ServerHello has the selected one), empty without ALPN */
    public String[] alpn() {
        java.util.List<String> r = new java.util.ArrayList<>();
        int i = alpnOff;
        int end = alpnOff + alpnLen;
        while (alpnOff >= 0 && i < end) {
            int n = body.a[i] & 0xff;
            if (i + 1 + n > end) {
                break;
            }
            r.add(new String(body.a, i + 1, n, StandardCharsets.ISO_8859_1));
            i += 1 + n;
        }
        return r.toArray(new String[0]);
    }

    /** @param out filled with the JA3 (ClientHello) or JA3S (ServerHello) string @return false when not computed */
    public boolean ja3String(Slice out) {
        if (!ja3Done) {
            return false;
        }
        out.set(ja3.a, 0, ja3.len);
        return true;
    }

    /** @param out filled with the 32 lower-case hex digits of the string's MD5 @return false when not computed */
    public boolean ja3Hash(Slice out) {
        if (!ja3Done) {
            return false;
        }
        out.set(ja3Hash, 0, 32);
        return true;
    }

    /** @return the JA3/JA3S string, or null */
    public String ja3String() {
        return ja3Done ? new String(ja3.a, 0, ja3.len, StandardCharsets.US_ASCII) : null;
    }

    /** @return the JA3/JA3S MD5 in hex, or null */
    public String ja3Hash() {
        return ja3Done ? new String(ja3Hash, StandardCharsets.US_ASCII) : null;
    }

    /** @param out filled with the 36-character JA4 (ClientHello only) @return false when not computed */
    public boolean ja4(Slice out) {
        if (!ja4Done) {
            return false;
        }
        out.set(ja4, 0, 36);
        return true;
    }

    /** @return the JA4 fingerprint, or null */
    public String ja4() {
        return ja4Done ? new String(ja4, StandardCharsets.US_ASCII) : null;
    }
}
