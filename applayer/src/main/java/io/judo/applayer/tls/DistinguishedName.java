package io.judo.applayer.tls;

import io.judo.applayer.Hex;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Formats a DER-encoded X.501 Name as Suricata prints {@code tls.cert_subject} and {@code tls.cert_issuer} (the
 * Display form of the x509-parser crate it uses): relative distinguished names in certificate order joined by ", ",
 * the attributes of a multi-valued RDN joined by " + ", each as {@code ABBREV=value}. Abbreviations are CN, C, L,
 * ST, O, OU, DC and Email; a few other X.520 types use their short names; anything else prints its dotted OID.
 * Values of the string types are their bytes read as UTF-8 (also BMPString, as x509-parser does); other types
 * print as upper-case hex of their content. A name that does not parse formats as x509-parser's error text.
 */
final class DistinguishedName {
    /** What x509-parser's Display prints for a name it cannot format. */
    static final String INVALID = "<X509Error: Invalid X.509 name>";

    private static final Map<String, String> NAMES = Map.ofEntries(
        Map.entry("2.5.4.3", "CN"), Map.entry("2.5.4.6", "C"), Map.entry("2.5.4.7", "L"),
        Map.entry("2.5.4.8", "ST"), Map.entry("2.5.4.10", "O"), Map.entry("2.5.4.11", "OU"),
        Map.entry("0.9.2342.19200300.100.1.25", "DC"), Map.entry("1.2.840.113549.1.9.1", "Email"),
        Map.entry("2.5.4.4", "surname"), Map.entry("2.5.4.5", "serialNumber"), Map.entry("2.5.4.9", "streetAddress"),
        Map.entry("2.5.4.12", "title"), Map.entry("2.5.4.15", "businessCategory"), Map.entry("2.5.4.17", "postalCode"),
        Map.entry("2.5.4.42", "givenName"), Map.entry("2.5.4.43", "initials"),
        Map.entry("2.5.4.46", "dnQualifier"));

    private DistinguishedName() {
    }

    private static boolean stringTag(int tag) {
        return switch (tag) {
            case 0x12, 0x1e, 0x1a, 0x13, 0x1b, 0x07, 0x19, 0x14, 0x15, 0x0c, 0x16 -> true;
            default -> false;
        };
    }

    /** A DER element header: tag at p, returns the content offset and sets len[0] to the content length. */
    private static int header(byte[] d, int p, int end, int[] len) {
        if (p + 2 > end) {
            return -1;
        }
        int l = d[p + 1] & 0xff;
        int q = p + 2;
        if (l >= 0x80) {
            int k = l & 0x7f;
            if (k == 0 || k > 3 || q + k > end) {
                return -1;
            }
            l = 0;
            for (int i = 0; i < k; i++) {
                l = l << 8 | d[q++] & 0xff;
            }
        }
        if (q + l > end) {
            return -1;
        }
        len[0] = l;
        return q;
    }

    /** @return the formatted name, or {@link #INVALID} */
    static String format(byte[] d) {
        try {
            String s = formatOrNull(d);
            return s == null ? INVALID : s;
        } catch (CharacterCodingException e) {
            return INVALID;
        }
    }

    private static String formatOrNull(byte[] d) throws CharacterCodingException {
        int[] len = new int[1];
        if (d.length < 2 || d[0] != 0x30) {
            return null;
        }
        int p = header(d, 0, d.length, len);
        if (p < 0) {
            return null;
        }
        int end = p + len[0];
        StringBuilder out = new StringBuilder();
        boolean firstRdn = true;
        while (p < end) {
            if (d[p] != 0x31) {
                return null;
            }
            int q = header(d, p, end, len);
            if (q < 0) {
                return null;
            }
            int setEnd = q + len[0];
            if (!firstRdn) {
                out.append(", ");
            }
            firstRdn = false;
            boolean firstAttr = true;
            while (q < setEnd) {
                if (d[q] != 0x30) {
                    return null;
                }
                int a = header(d, q, setEnd, len);
                if (a < 0) {
                    return null;
                }
                int attrEnd = a + len[0];
                if (a >= attrEnd || d[a] != 0x06) {
                    return null;
                }
                int o = header(d, a, attrEnd, len);
                if (o < 0 || len[0] == 0) {
                    return null;
                }
                String oid = oid(d, o, len[0]);
                int v = o + len[0];
                if (v >= attrEnd) {
                    return null;
                }
                int tag = d[v] & 0xff;
                int c = header(d, v, attrEnd, len);
                if (c < 0) {
                    return null;
                }
                if (!firstAttr) {
                    out.append(" + ");
                }
                firstAttr = false;
                out.append(NAMES.getOrDefault(oid, oid)).append('=');
                if (stringTag(tag)) {
                    out.append(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                        .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(d, c, len[0])));
                } else {
                    for (int i = 0; i < len[0]; i++) {
                        int b = d[c + i] & 0xff;
                        out.append((char) Hex.UPPER[b >> 4]).append((char) Hex.UPPER[b & 15]);
                    }
                }
                q = attrEnd;
            }
            p = setEnd;
        }
        return out.toString();
    }

    private static String oid(byte[] d, int off, int n) {
        StringBuilder sb = new StringBuilder();
        long v = 0;
        boolean first = true;
        for (int i = 0; i < n; i++) {
            int b = d[off + i] & 0xff;
            v = v << 7 | b & 0x7f;
            if ((b & 0x80) == 0) {
                if (first) {
                    long x = v < 80 ? v / 40 : 2;
                    sb.append(x).append('.').append(v - 40 * x);
                    first = false;
                } else {
                    sb.append('.').append(v);
                }
                v = 0;
            }
        }
        return sb.toString();
    }
}
