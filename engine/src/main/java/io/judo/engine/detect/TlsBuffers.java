package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.applayer.tls.TlsBuffer;
import io.judo.applayer.tls.TlsSession;
import io.judo.rules.suricata.CompiledRuleSet.DerivedBuffer;
import io.judo.vm.Buffer;
import java.util.List;

/**
 * The buffers of one TLS session for the VM's buffer table, read in place from the parser's session: each TLS
 * {@link Buffer} row is the {@link TlsBuffer} of the same name, in the run's direction (the hello of that side for
 * {@code tls.random}; the certificate buffers always read the server's chain, as Suricata's keywords do).
 * {@code tls.certs} is a multi-buffer, one certificate's DER per element ({@link #element}); the TLS hook runs a rule
 * once per element until it matches, as the DNS hook does with names. {@code tls.version} is an internal two-byte
 * row: the client's hello version to the server, the server's selected version (supported_versions first) to the
 * client. A derived buffer (with transforms) is computed from its base when selected. Reused for every session:
 * allocates only when a transformed buffer outgrows its scratch array.
 */
final class TlsBuffers extends ElementBuffers {
    private static final Buffer[] ROWS = Buffer.values();
    /** Per buffer row, the parser's buffer of that name, or null. */
    private static final TlsBuffer[] TLS = new TlsBuffer[ROWS.length];

    static {
        for (TlsBuffer t : TlsBuffer.values()) {
            Buffer b = Buffer.named(t.text());
            if (b != null) {
                TLS[b.id()] = t;
            }
        }
    }

    /** The value rows' bytes: tls.version (2), ssl_version (1), ssl_state (1), validity (1), chain length (4). */
    private final byte[] value = new byte[4];
    private TlsSession session;
    private int direction;
    private long nowSeconds;

    /** @param derived the rule set's derived buffers (those over a TLS buffer are computed here) */
    TlsBuffers(List<DerivedBuffer> derived) {
        super(derived);
    }

    /**
     * Starts an inspection of {@code s} in direction {@code dir} at capture time {@code nowSeconds} (what a
     * certificate's validity is judged at): element 0 current.
     */
    void inspect(TlsSession s, int dir, long nowSeconds) {
        this.session = s;
        this.direction = dir;
        this.element = 0;
        this.nowSeconds = nowSeconds;
    }

    /** Certificates in the server's chain: the elements of {@code tls.certs}. */
    int certificates() {
        return session == null ? 0 : session.certificateCount(1);
    }

    @Override
    boolean row(Buffer b, Slice out) {
        if (session == null) {
            return false;
        }
        if (b.value()) {
            return value(b, out);
        }
        TlsBuffer t = TLS[b.id()];
        return t != null && session.fill(t, direction, b == Buffer.TLS_CERTS ? element : 0, out);
    }

    /** The version of the run's direction: the client's hello field, or the server's selection. */
    private int version() {
        return direction == 0 ? session.client().version() : session.server().effectiveVersion();
    }

    private boolean value(Buffer b, Slice out) {
        int n;
        long v;
        switch (b) {
            case TLS_VERSION -> {
                n = 2;
                v = version();
                if (v == 0) {
                    return false;
                }
            }
            case TLS_SSL_VERSION -> {
                n = 1;
                io.judo.applayer.tls.TlsHello h = direction == 0 ? session.client() : session.server();
                if (!h.present()) {
                    return false;
                }
                v = h.sslv2() ? 1 : switch (version()) {
                    case 0x0300 -> 2;
                    case 0x0301 -> 4;
                    case 0x0302 -> 8;
                    case 0x0303 -> 16;
                    case 0x0304 -> 32;
                    default -> 0;
                };
            }
            case TLS_SSL_STATE -> {
                n = 1;
                v = session.flags() & 0x1f; // client_hello .. unknown, the session's low five flags
            }
            case TLS_CERT_VALIDITY -> {
                n = 1;
                if (session.certificateCount(1) == 0) {
                    return false;
                }
                io.judo.applayer.tls.TlsCertificate c = session.certificate(1, 0);
                v = (c.expiredAt(nowSeconds) ? 1 : 0) | (c.validAt(nowSeconds) ? 2 : 0);
                if (c.error() == io.judo.applayer.tls.TlsEvent.CERTIFICATE_INVALID_DER) {
                    return false;
                }
            }
            case TLS_CERT_CHAIN_LEN -> {
                n = 4;
                v = session.certificateCount(1);
            }
            default -> {
                return false;
            }
        }
        for (int i = 0; i < n; i++) {
            value[i] = (byte) (v >>> (8 * (n - 1 - i)));
        }
        out.set(value, 0, n);
        return true;
    }
}
