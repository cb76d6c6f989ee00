package io.judo.applayer.tls;

import io.judo.applayer.Slice;

/**
 * What one TLS connection showed: both hellos, the certificate chains sent in clear, progress flags and record
 * counts. Suricata keeps one TLS transaction per flow; this is it. Buffers come out through {@link #fill} as slices
 * over the session's own storage.
 */
public final class TlsSession {
    /** A ClientHello was seen (Suricata's {@code ssl_state:client_hello}). */
    public static final int CLIENT_HELLO = 1;
    /** A ServerHello was seen ({@code ssl_state:server_hello}). */
    public static final int SERVER_HELLO = 1 << 1;
    /** A ClientKeyExchange was seen ({@code ssl_state:client_keyx}). */
    public static final int CLIENT_KEYX = 1 << 2;
    /** A ServerKeyExchange was seen ({@code ssl_state:server_keyx}). */
    public static final int SERVER_KEYX = 1 << 3;
    /** A handshake message of a type not otherwise tracked ({@code ssl_state:unknown}). */
    public static final int UNKNOWN = 1 << 4;
    /** The server sent a Certificate message in clear. */
    public static final int SERVER_CERT = 1 << 5;
    /** The client sent a Certificate message in clear. */
    public static final int CLIENT_CERT = 1 << 6;
    /** The client sent ChangeCipherSpec. */
    public static final int CLIENT_CCS = 1 << 7;
    /** The server sent ChangeCipherSpec. */
    public static final int SERVER_CCS = 1 << 8;
    /** The ServerHello was a TLS 1.3 HelloRetryRequest. */
    public static final int HELLO_RETRY = 1 << 9;

    // hellos and chains are made on first use (an idle parser stays small) and kept across reset()
    TlsHello client = TlsHello.NONE;
    TlsHello server = TlsHello.NONE;
    private Chain clientChain;
    private Chain serverChain;
    int flags;
    final long[] records = new long[2];
    final long[] appRecords = new long[2];
    final long[] appBytes = new long[2];
    final boolean[] encrypted = new boolean[2];
    final int[] alert = {-1, -1};

    /** One direction's certificate chain: the Certificate message body copied, certificates pointing into it. */
    static final class Chain {
        byte[] data;
        TlsCertificate[] certs = new TlsCertificate[0];
        int count;

        void reset() {
            data = null;
            count = 0;
        }
    }

    TlsHello writableClient() {
        if (client == TlsHello.NONE) {
            client = new TlsHello();
        }
        return client;
    }

    TlsHello writableServer() {
        if (server == TlsHello.NONE) {
            server = new TlsHello();
        }
        return server;
    }

    /** @return the direction's chain, made on first use */
    Chain chain(int dir) {
        if (dir == 0) {
            if (clientChain == null) {
                clientChain = new Chain();
            }
            return clientChain;
        }
        if (serverChain == null) {
            serverChain = new Chain();
        }
        return serverChain;
    }

    private Chain chainOrNull(int dir) {
        return dir == 0 ? clientChain : serverChain;
    }

    void reset() {
        if (client != TlsHello.NONE) {
            client.reset();
        }
        if (server != TlsHello.NONE) {
            server.reset();
        }
        if (clientChain != null) {
            clientChain.reset();
        }
        if (serverChain != null) {
            serverChain.reset();
        }
        flags = 0;
        for (int d = 0; d < 2; d++) {
            records[d] = 0;
            appRecords[d] = 0;
            appBytes[d] = 0;
            encrypted[d] = false;
            alert[d] = -1;
        }
    }

    /** @return the ClientHello (check {@link TlsHello#present()}) */
    public TlsHello client() {
        return client;
    }

    /** @return the ServerHello */
    public TlsHello server() {
        return server;
    }

    /** @return the progress flags ({@link #CLIENT_HELLO} ...) */
    public int flags() {
        return flags;
    }

    /** @return the version the connection negotiated: the server's (supported_versions first), else the client's */
    public int version() {
        return server.present ? server.effectiveVersion() : client.present ? client.version : 0;
    }

    /**
     * @param v a protocol version
     * @return it as Suricata's EVE writes {@code tls.version}: "SSLv2", "SSLv3", "TLSv1", "TLS 1.1", "TLS 1.2",
     *     "TLS 1.3", "TLS 1.3 draft-NN" for 0x7fNN, "UNDETERMINED" for 0, else "0x%04x"
     */
    public static String versionName(int v) {
        return switch (v) {
            case 0 -> "UNDETERMINED";
            case 0x0002 -> "SSLv2";
            case 0x0300 -> "SSLv3";
            case 0x0301 -> "TLSv1";
            case 0x0302 -> "TLS 1.1";
            case 0x0303 -> "TLS 1.2";
            case 0x0304 -> "TLS 1.3";
            default -> (v >> 8) == 0x7f && (v & 0xff) >= 16 && (v & 0xff) <= 28 ? "TLS 1.3 draft-" + (v & 0xff)
                : String.format("0x%04x", v);
        };
    }

    /** @param dir 0 client, 1 server @return records seen in that direction */
    public long records(int dir) {
        return records[dir];
    }

    /** @param dir the direction @return application_data records seen (encrypted traffic, not parsed) */
    public long applicationRecords(int dir) {
        return appRecords[dir];
    }

    /** @param dir the direction @return bytes of application_data record bodies */
    public long applicationBytes(int dir) {
        return appBytes[dir];
    }

    /** @param dir the direction @return whether that direction has switched to encrypted traffic */
    public boolean encrypted(int dir) {
        return encrypted[dir];
    }

    /** @param dir the direction @return the last alert in clear as level * 256 + description, -1 when none */
    public int alert(int dir) {
        return alert[dir];
    }

    /** @param dir 1 the server's chain, 0 the client's @return certificates kept */
    public int certificateCount(int dir) {
        Chain c = chainOrNull(dir);
        return c == null ? 0 : c.count;
    }

    /** @param dir the direction @param i index in the chain (0 is the peer's own) @return the certificate */
    public TlsCertificate certificate(int dir, int i) {
        Chain c = chainOrNull(dir);
        if (c == null || i < 0 || i >= c.count) {
            throw new IndexOutOfBoundsException(i);
        }
        return c.certs[i];
    }

    /**
     * Points out at a buffer.
     *
     * @param b the buffer
     * @param dir the direction: for {@link TlsBuffer#RANDOM} and friends the hello of that side, for certificate
     *     buffers that side's chain (1 for the server's, which is what Suricata's keywords read)
     * @param index for {@link TlsBuffer#CERTS} the certificate's position in the chain; ignored otherwise
     * @param out the slice to fill
     * @return false when the session has no such buffer (yet)
     */
    public boolean fill(TlsBuffer b, int dir, int index, Slice out) {
        TlsHello h = dir == 0 ? client : server;
        Chain c = chainOrNull(dir == 0 ? 0 : 1);
        int certs = c == null ? 0 : c.count;
        switch (b) {
            case SNI -> {
                return client.sni(out);
            }
            case JA3_HASH -> {
                return client.ja3Hash(out);
            }
            case JA3_STRING -> {
                return client.ja3String(out);
            }
            case JA3S_HASH -> {
                return server.ja3Hash(out);
            }
            case JA3S_STRING -> {
                return server.ja3String(out);
            }
            case JA4_HASH -> {
                return client.ja4(out);
            }
            case RANDOM, RANDOM_TIME, RANDOM_BYTES -> {
                if (!h.random(out)) {
                    return false;
                }
                if (b == TlsBuffer.RANDOM_TIME) {
                    out.length = 4;
                } else if (b == TlsBuffer.RANDOM_BYTES) {
                    out.offset += 4;
                    out.length = 28;
                }
                return true;
            }
            case CERTS -> {
                if (index < 0 || index >= certs) {
                    return false;
                }
                c.certs[index].der(out);
                return true;
            }
            default -> {
                if (certs == 0) {
                    return false;
                }
                TlsCertificate first = c.certs[0];
                return switch (b) {
                    case CERT_SUBJECT -> first.subject(out);
                    case CERT_ISSUER -> first.issuer(out);
                    case CERT_SERIAL -> first.serial(out);
                    default -> first.fingerprint(out);
                };
            }
        }
    }
}
