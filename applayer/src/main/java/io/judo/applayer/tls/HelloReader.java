package io.judo.applayer.tls;

import java.util.function.Consumer;

/**
 * Reads a ClientHello or ServerHello body (RFC 8446 section 4.1.2/4.1.3, the same layout since SSLv3) into a
 * {@link TlsHello}: version, random, session id, cipher suites, compression, and the extensions the fingerprints
 * and rules use (server_name, supported_groups, ec_point_formats, signature_algorithms, ALPN, supported_versions).
 */
final class HelloReader {
    private HelloReader() {
    }

    private static int u16(byte[] a, int p) {
        return (a[p] & 0xff) << 8 | a[p + 1] & 0xff;
    }

    /** @return false when a length overran the message (HANDSHAKE_INVALID_LENGTH raised; fields read so far kept) */
    static boolean read(TlsHello h, boolean client, byte[] a, int e, Consumer<TlsEvent> events) {
        if (e < 35) {
            events.accept(TlsEvent.HANDSHAKE_INVALID_LENGTH);
            return false;
        }
        h.version = u16(a, 0);
        h.randomOff = 2;
        int q = 34;
        int sid = a[q++] & 0xff;
        if (q + sid > e) {
            return invalid(events);
        }
        h.sidOff = q;
        h.sidLen = sid;
        q += sid;
        if (client) {
            if (q + 2 > e) {
                return invalid(events);
            }
            int cl = u16(a, q);
            q += 2;
            if ((cl & 1) != 0 || q + cl > e) {
                return invalid(events);
            }
            for (int k = q; k < q + cl; k += 2) {
                h.ciphers.add(u16(a, k));
            }
            q += cl;
            if (q + 1 > e || q + 1 + (a[q] & 0xff) > e) {
                return invalid(events);
            }
            q += 1 + (a[q] & 0xff);
        } else {
            if (q + 3 > e) {
                return invalid(events);
            }
            h.ciphers.add(u16(a, q));
            q += 3;
        }
        if (q == e) {
            return true; // no extensions (SSLv3, old TLS 1.0 stacks)
        }
        if (q + 2 > e || q + 2 + u16(a, q) > e) {
            return invalid(events);
        }
        int xe = q + 2 + u16(a, q);
        q += 2;
        boolean sniSeen = false;
        while (q + 4 <= xe) {
            int type = u16(a, q);
            int l = u16(a, q + 2);
            q += 4;
            if (q + l > xe) {
                return invalid(events);
            }
            h.extensions.add(type);
            switch (type) {
                case 0x0000 -> {
                    if (client) {
                        if (sniSeen) {
                            events.accept(TlsEvent.MULTIPLE_SNI_EXTENSIONS);
                        } else {
                            sni(h, a, q, l, events);
                        }
                        sniSeen = true;
                    }
                }
                case 0x000a -> list16(h.groups, a, q, l);
                case 0x000b -> {
                    if (l >= 1) {
                        int n = Math.min(a[q] & 0xff, l - 1);
                        for (int k = 0; k < n; k++) {
                            h.formats.add(a[q + 1 + k] & 0xff);
                        }
                    }
                }
                case 0x000d -> list16(h.sigalgs, a, q, l);
                case 0x0010 -> {
                    if (l >= 2) {
                        h.alpnOff = q + 2;
                        h.alpnLen = Math.min(u16(a, q), l - 2);
                    }
                }
                case 0x002b -> {
                    if (client) {
                        if (l >= 1) {
                            int n = Math.min(a[q] & 0xff, l - 1) & ~1;
                            for (int k = 0; k < n; k += 2) {
                                h.versions.add(u16(a, q + 1 + k));
                            }
                        }
                    } else if (l >= 2) {
                        h.selectedVersion = u16(a, q);
                    }
                }
                default -> {
                }
            }
            q += l;
        }
        return true;
    }

    private static boolean invalid(Consumer<TlsEvent> events) {
        events.accept(TlsEvent.HANDSHAKE_INVALID_LENGTH);
        return false;
    }

    private static void list16(IntList out, byte[] a, int q, int l) {
        if (l < 2) {
            return;
        }
        int n = Math.min(u16(a, q), l - 2) & ~1;
        for (int k = 0; k < n; k += 2) {
            out.add(u16(a, q + 2 + k));
        }
    }

    /** server_name: a list of (type, length, name); the first host_name is the SNI. */
    private static void sni(TlsHello h, byte[] a, int q, int l, Consumer<TlsEvent> events) {
        if (l < 2) {
            return; // an empty server_name (what servers echo) carries no name
        }
        int end = q + 2 + Math.min(u16(a, q), l - 2);
        int p = q + 2;
        while (p + 3 <= end) {
            int t = a[p] & 0xff;
            int n = u16(a, p + 1);
            if (p + 3 + n > end) {
                events.accept(TlsEvent.INVALID_SNI_LENGTH);
                return;
            }
            if (t != 0) {
                events.accept(TlsEvent.INVALID_SNI_TYPE);
            } else if (h.sniOff < 0) {
                h.sniOff = p + 3;
                h.sniLen = n;
            }
            p += 3 + n;
        }
    }
}
