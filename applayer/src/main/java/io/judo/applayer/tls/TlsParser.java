package io.judo.applayer.tls;

import io.judo.applayer.Bytes;

/**
 * The TLS/SSL parser of one TCP connection, both directions, streaming: bytes arrive in any pieces and the result
 * is the same as for the whole stream (what is kept is copied; callers' bytes are read only during the call).
 * Records are reassembled across segments and handshake messages across records (and several messages per record);
 * SSLv3 and TLS 1.0-1.3 records, and SSLv2 records (CLIENT-HELLO and SERVER-HELLO read) at the start of a direction.
 * After a direction's ChangeCipherSpec, and on the server's side after a TLS 1.3 ServerHello, its traffic is
 * encrypted: records are counted, handshakes no longer parsed. Nothing here throws on traffic: anomalies are
 * {@link TlsEvent}s; the errors Suricata treats as fatal (bad record type, version or length, a gap) stop the
 * direction. See applayer/DESIGN.md.
 */
public final class TlsParser {
    /** Largest record accepted: 2^14 + 1024 (RFC 5246 section 6.2.2; Suricata's SSLV3_RECORD_MAX_LEN). */
    static final int MAX_RECORD = (1 << 14) + 1024;

    private static final int CHANGE_CIPHER_SPEC = 20;
    private static final int ALERT = 21;
    private static final int HANDSHAKE = 22;
    private static final int APPLICATION_DATA = 23;
    private static final int HEARTBEAT = 24;

    /** The ServerHello random that marks a HelloRetryRequest (RFC 8446 section 4.1.3: SHA-256 of the name). */
    private static final byte[] HRR_RANDOM = {
        (byte) 0xCF, 0x21, (byte) 0xAD, 0x74, (byte) 0xE5, (byte) 0x9A, 0x61, 0x11, (byte) 0xBE, 0x1D, (byte) 0x8C, 0x02,
        0x1E, 0x65, (byte) 0xB8, (byte) 0x91, (byte) 0xC2, (byte) 0xA2, 0x11, 0x16, 0x7A, (byte) 0xBB, (byte) 0x8C, 0x5E,
        0x07, (byte) 0x9E, 0x09, (byte) 0xE2, (byte) 0xC8, (byte) 0xA8, 0x33, (byte) 0x9C};

    private final TlsConfig config;
    private final TlsListener listener;
    private final TlsSession session = new TlsSession();
    private final Direction[] dirs = {new Direction(0), new Direction(1)};

    /**
     * @param config limits and switches
     * @param listener receives progress and events
     */
    public TlsParser(TlsConfig config, TlsListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** @return the connection's session (one per connection, as Suricata's TLS transaction) */
    public TlsSession session() {
        return session;
    }

    /**
     * Makes the parser ready for a new connection, keeping its buffers: a pool of parsers reused this way allocates
     * nothing per ClientHello in steady state.
     */
    public void reset() {
        session.reset();
        dirs[0].reset();
        dirs[1].reset();
    }

    /**
     * In-order stream bytes of one direction.
     *
     * @param dir 0 client to server, 1 server to client
     * @param b the bytes, valid only during the call
     * @param off first byte
     * @param len number of bytes
     */
    public void data(int dir, byte[] b, int off, int len) {
        Direction d = dirs[dir];
        if (d.stopped || len <= 0) {
            return;
        }
        d.recordsThisCall = 0;
        d.tooManyReported = false;
        int end = off + len;
        int i = off;
        while (i < end && !d.stopped) {
            i = d.step(b, i, end);
        }
    }

    /**
     * Bytes lost in a direction: record framing cannot be recovered, so the direction is not parsed further
     * ({@link TlsEvent#STREAM_GAP} while it was still in clear).
     *
     * @param dir the direction
     * @param length how many bytes are missing
     */
    public void gap(int dir, long length) {
        Direction d = dirs[dir];
        if (d.stopped || length <= 0) {
            return;
        }
        if (!session.encrypted[dir]) {
            event(dir, TlsEvent.STREAM_GAP); // in encrypted traffic only the record counts are lost: no event
        }
        d.stopped = true;
    }

    /**
     * A direction closed; a record or handshake message left unfinished is dropped.
     *
     * @param dir the direction
     */
    public void end(int dir) {
        dirs[dir].stopped = true;
    }

    private void event(int dir, TlsEvent e) {
        listener.event(session, dir, e);
    }

    private static int u16(byte[] a, int p) {
        return (a[p] & 0xff) << 8 | a[p + 1] & 0xff;
    }

    private static int u24(byte[] a, int p) {
        return (a[p] & 0xff) << 16 | (a[p + 1] & 0xff) << 8 | a[p + 2] & 0xff;
    }

    /** One direction's record and handshake reassembly. */
    private final class Direction {
        final int dir;
        boolean stopped;
        boolean tlsSeen;
        final byte[] hdr = new byte[5];
        int hdrLen;
        boolean v2;
        int type;
        int recordLen;
        int remaining;
        final byte[] small = new byte[3];
        int smallLen;
        final Bytes hs = new Bytes();
        long skip;
        int recordsThisCall;
        boolean tooManyReported;

        /** Made once: a method reference per hello would allocate. */
        final java.util.function.Consumer<TlsEvent> helloEvents = this::helloEvent;

        Direction(int dir) {
            this.dir = dir;
        }

        void reset() {
            stopped = false;
            tlsSeen = false;
            hdrLen = 0;
            v2 = false;
            remaining = 0;
            smallLen = 0;
            hs.clear();
            skip = 0;
        }

        int step(byte[] b, int i, int end) {
            if (remaining == 0) {
                return header(b, i, end);
            }
            int n = Math.min(remaining, end - i);
            if (v2) {
                v2Body(b, i, n);
            } else {
                body(b, i, n);
            }
            remaining -= n;
            if (remaining == 0) {
                recordDone();
            }
            return i + n;
        }

        int header(byte[] b, int i, int end) {
            if (hdrLen == 0 && !tlsSeen && (b[i] & 0x80) != 0) {
                v2 = true;
            }
            int want = v2 ? 2 : 5;
            int n = Math.min(want - hdrLen, end - i);
            System.arraycopy(b, i, hdr, hdrLen, n);
            hdrLen += n;
            if (hdrLen < want) {
                return i + n;
            }
            hdrLen = 0;
            smallLen = 0;
            session.records[dir]++;
            if (++recordsThisCall > 255 && !tooManyReported) {
                tooManyReported = true;
                event(dir, TlsEvent.TOO_MANY_RECORDS_IN_PACKET);
            }
            if (v2) {
                recordLen = (hdr[0] & 0x7f) << 8 | hdr[1] & 0xff;
                if (recordLen < 1) {
                    fatal(TlsEvent.INVALID_SSLV2_HEADER);
                    return i + n;
                }
                remaining = recordLen;
                hs.clear();
                return i + n;
            }
            type = hdr[0] & 0xff;
            int version = u16(hdr, 1);
            recordLen = u16(hdr, 3);
            if (type < CHANGE_CIPHER_SPEC || type > HEARTBEAT) {
                fatal(TlsEvent.INVALID_RECORD_TYPE);
            } else if (recordLen == 0 || recordLen > MAX_RECORD) {
                fatal(TlsEvent.INVALID_RECORD_LENGTH);
            } else if (version < 0x0300 || version > 0x0304) {
                fatal(TlsEvent.INVALID_RECORD_VERSION);
            } else {
                tlsSeen = true;
                remaining = recordLen;
                recordStart();
            }
            return i + n;
        }

        void fatal(TlsEvent e) {
            event(dir, e);
            stopped = true;
        }

        void recordStart() {
            switch (type) {
                case CHANGE_CIPHER_SPEC -> {
                    session.flags |= dir == 0 ? TlsSession.CLIENT_CCS : TlsSession.SERVER_CCS;
                    if (!tls13()) {
                        encrypt();
                    }
                }
                case APPLICATION_DATA -> session.appRecords[dir]++;
                case HEARTBEAT -> event(dir, TlsEvent.HEARTBEAT_MESSAGE);
                default -> {
                }
            }
        }

        /**
         * Whether the connection is (still possibly) TLS 1.3, where ChangeCipherSpec is a dummy record for middleboxes
         * (RFC 8446 appendix D.4) that may even precede a second ClientHello after a HelloRetryRequest; encryption
         * there starts after the ServerHello instead.
         */
        boolean tls13() {
            TlsHello c = session.client;
            boolean offered = false;
            for (int k = 0; k < c.versions.n; k++) {
                offered |= c.versions.a[k] == 0x0304;
            }
            TlsHello s = session.server;
            return offered && (!s.present || (session.flags & TlsSession.HELLO_RETRY) != 0
                || s.selectedVersion == 0x0304);
        }

        void encrypt() {
            if (!session.encrypted[dir]) {
                session.encrypted[dir] = true;
                hs.clear();
                skip = 0;
                listener.encrypted(session, dir);
            }
        }

        void keepSmall(byte[] b, int i, int n) {
            int k = Math.min(n, small.length - smallLen);
            System.arraycopy(b, i, small, smallLen, k);
            smallLen += k;
        }

        void body(byte[] b, int i, int n) {
            switch (type) {
                case HANDSHAKE -> {
                    if (!session.encrypted[dir]) {
                        handshake(b, i, n);
                    }
                }
                case APPLICATION_DATA -> session.appBytes[dir] += n;
                case ALERT, HEARTBEAT -> {
                    if (!session.encrypted[dir]) {
                        keepSmall(b, i, n);
                    }
                }
                default -> {
                }
            }
        }

        void recordDone() {
            if (session.encrypted[dir] && type != CHANGE_CIPHER_SPEC) {
                return;
            }
            if (type == ALERT) {
                if (recordLen != 2) {
                    event(dir, TlsEvent.INVALID_ALERT_MESSAGE);
                } else {
                    session.alert[dir] = (small[0] & 0xff) << 8 | small[1] & 0xff;
                }
            } else if (type == HEARTBEAT) {
                if (recordLen < 3) {
                    event(dir, TlsEvent.INVALID_HEARTBEAT_MESSAGE);
                } else if (small[0] == 1 && u16(small, 1) + 3 + 16 > recordLen) {
                    // a request announcing more payload than it carries (with RFC 6520's 16 bytes of padding)
                    event(dir, TlsEvent.OVERFLOW_HEARTBEAT_MESSAGE);
                }
            }
        }

        /** Handshake bytes of one record: messages may span records and a record may hold several. */
        void handshake(byte[] b, int off, int n) {
            int max = config.maxHandshakeMessage();
            while (n > 0 && !session.encrypted[dir] && !stopped) {
                if (skip > 0) {
                    int k = (int) Math.min(skip, n);
                    skip -= k;
                    off += k;
                    n -= k;
                    continue;
                }
                if (hs.len == 0) {
                    if (n < 4) {
                        hs.add(b, off, n);
                        return;
                    }
                    int mlen = u24(b, off + 1);
                    if (mlen > max) {
                        event(dir, TlsEvent.HANDSHAKE_MESSAGE_TOO_LONG);
                        skip = 4L + mlen;
                        continue;
                    }
                    if (n >= 4 + mlen) {
                        // the whole message is in the caller's bytes: parse it there, no copy
                        message(b, off, mlen);
                        off += 4 + mlen;
                        n -= 4 + mlen;
                        continue;
                    }
                    hs.add(b, off, n);
                    return;
                }
                if (hs.len < 4) {
                    int k = Math.min(4 - hs.len, n);
                    hs.add(b, off, k);
                    off += k;
                    n -= k;
                    if (hs.len < 4) {
                        return;
                    }
                    int mlen = u24(hs.a, 1);
                    if (mlen > max) {
                        event(dir, TlsEvent.HANDSHAKE_MESSAGE_TOO_LONG);
                        hs.clear();
                        skip = mlen;
                        continue;
                    }
                }
                int mlen = u24(hs.a, 1);
                int k = Math.min(4 + mlen - hs.len, n);
                hs.add(b, off, k);
                off += k;
                n -= k;
                if (hs.len == 4 + mlen) {
                    hs.len = 0; // cleared before parsing: the message's bytes stay in the array until the next add
                    message(hs.a, 0, mlen);
                }
            }
        }

        /** One complete handshake message: its type at a[p], its body at a[p + 4], mlen bytes. */
        void message(byte[] a, int p, int mlen) {
            int ht = a[p] & 0xff;
            int body = p + 4;
            switch (ht) {
                case 1 -> {
                    session.flags |= TlsSession.CLIENT_HELLO;
                    if (!session.client.present) {
                        hello(session.writableClient(), true, a, body, mlen);
                    }
                }
                case 2 -> {
                    session.flags |= TlsSession.SERVER_HELLO;
                    if (!session.server.present || (session.flags & TlsSession.HELLO_RETRY) != 0) {
                        TlsHello h = session.writableServer();
                        h.reset();
                        hello(h, false, a, body, mlen);
                    }
                }
                case 11 -> {
                    session.flags |= dir == 0 ? TlsSession.CLIENT_CERT : TlsSession.SERVER_CERT;
                    certificates(a, body, mlen);
                }
                case 12 -> session.flags |= TlsSession.SERVER_KEYX;
                case 16 -> session.flags |= TlsSession.CLIENT_KEYX;
                case 0, 3, 4, 5, 6, 8, 13, 14, 15, 20, 21, 22, 23, 24, 25, 254 -> {
                    // defined types with nothing to extract here
                }
                default -> {
                    session.flags |= TlsSession.UNKNOWN;
                    event(dir, TlsEvent.INVALID_HANDSHAKE_MESSAGE);
                }
            }
        }

        void hello(TlsHello h, boolean client, byte[] a, int p, int mlen) {
            h.present = true;
            h.body.clear();
            h.body.add(a, p, mlen);
            boolean ok = HelloReader.read(h, client, h.body.a, mlen, helloEvents);
            if (ok && client && (config.ja3() || config.ja4())) {
                Fingerprints.client(h, config.ja3(), config.ja4());
            } else if (ok && config.ja3()) {
                Fingerprints.ja3(h, false);
            }
            if (client) {
                listener.clientHello(session);
                return;
            }
            boolean retry = h.randomOff >= 0 && java.util.Arrays.equals(h.body.a, h.randomOff, h.randomOff + 32,
                HRR_RANDOM, 0, 32);
            if (retry) {
                session.flags |= TlsSession.HELLO_RETRY;
            } else {
                session.flags &= ~TlsSession.HELLO_RETRY;
            }
            listener.serverHello(session);
            if (!retry && h.selectedVersion == 0x0304) {
                // TLS 1.3: everything after the ServerHello is protected, the client's next flight too
                encrypt();
                dirs[0].encrypt();
            }
        }

        void helloEvent(TlsEvent e) {
            event(dir, e);
        }

        void certificates(byte[] a, int p, int mlen) {
            TlsSession.Chain c = session.chain(dir);
            if (c.data != null) {
                return; // one chain per direction, as Suricata (a renegotiation re-sends it)
            }
            if (mlen < 3 || u24(a, p) + 3 > mlen) {
                event(dir, TlsEvent.INVALID_CERTIFICATE);
                return;
            }
            int total = u24(a, p);
            c.data = java.util.Arrays.copyOfRange(a, p + 3, p + 3 + total);
            int q = 0;
            int max = config.maxCertificates();
            while (q < total) {
                if (q + 3 > total || q + 3 + u24(c.data, q) > total) {
                    event(dir, TlsEvent.INVALID_CERTIFICATE);
                    break;
                }
                int len = u24(c.data, q);
                if (c.count < max) {
                    if (c.count == c.certs.length) {
                        c.certs = java.util.Arrays.copyOf(c.certs, Math.max(4, c.count * 2));
                    }
                    c.certs[c.count++] = new TlsCertificate(c.data, q + 3, len);
                }
                q += 3 + len;
            }
            if (c.count > 0) {
                TlsEvent e = c.certs[0].error();
                if (e != null) {
                    event(dir, e);
                }
            }
            listener.certificates(session, dir);
        }

        /** SSLv2 record bodies: the first message is kept (up to the handshake limit) and read when complete. */
        void v2Body(byte[] b, int i, int n) {
            int room = Math.min(recordLen, config.maxHandshakeMessage()) - hs.len;
            if (room > 0) {
                hs.add(b, i, Math.min(room, n));
            }
            if (remaining == n) {
                v2 = false;
                int len = hs.len;
                hs.len = 0;
                v2Message(hs.a, len);
            }
        }

        void v2Message(byte[] a, int len) {
            int mt = a[0] & 0xff;
            if (mt == 0) {
                event(dir, TlsEvent.ERROR_MESSAGE_ENCOUNTERED);
            } else if (mt == 1 && dir == 0 && !session.client.present) {
                session.flags |= TlsSession.CLIENT_HELLO;
                TlsHello h = session.writableClient();
                h.present = true;
                h.sslv2 = true;
                h.body.clear();
                h.body.add(a, 0, len);
                if (len < 9) {
                    event(dir, TlsEvent.INVALID_SSLV2_HEADER);
                } else {
                    h.version = u16(a, 1);
                    int specs = u16(a, 3);
                    int sid = u16(a, 5);
                    if (9 + specs + sid > len || specs % 3 != 0) {
                        event(dir, TlsEvent.HANDSHAKE_INVALID_LENGTH);
                    } else {
                        for (int q = 9; q < 9 + specs; q += 3) {
                            h.ciphers.add(u24(a, q));
                        }
                        h.sidOff = 9 + specs;
                        h.sidLen = sid;
                    }
                }
                listener.clientHello(session);
            } else if (mt == 4 && dir == 1 && !session.server.present) {
                session.flags |= TlsSession.SERVER_HELLO;
                TlsHello h = session.writableServer();
                h.present = true;
                h.sslv2 = true;
                if (len >= 5) {
                    h.version = u16(a, 3);
                }
                listener.serverHello(session);
            }
        }
    }
}
