package io.judo.applayer.ssh;

import io.judo.applayer.Hex;

/**
 * The SSH parser of one TCP connection, both directions, streaming: bytes arrive in any pieces and the result is the
 * same as for the whole stream (what is kept is copied; callers' bytes are read only during the call). Per direction
 * it reads the identification string (RFC 4253 section 4.2; the server may send other lines first), then binary
 * packets (section 6: uint32 packet_length, byte padding_length, the message code and the rest), reassembling the
 * first KEXINIT for its name-lists and hassh; after the direction's NEWKEYS its traffic is encrypted and only
 * counted. Nothing here throws on traffic: anomalies are {@link SshEvent}s, and those Suricata treats as fatal stop
 * the direction. See applayer/DESIGN.md.
 */
public final class SshParser {
    private static final int KEXINIT = 20;
    private static final int NEWKEYS = 21;
    private static final byte[] PREFIX = {'S', 'S', 'H', '-'};

    private final SshConfig config;
    private final SshListener listener;
    private final SshSession session = new SshSession();
    private final Direction[] dirs = {new Direction(0), new Direction(1)};

    /**
     * @param config limits and switches
     * @param listener receives progress and events
     */
    public SshParser(SshConfig config, SshListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** @return the connection's session (one per connection, as Suricata's SSH transaction) */
    public SshSession session() {
        return session;
    }

    /** Makes the parser ready for a new connection, keeping its buffers (no allocation per connection after warm-up). */
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
        int end = off + len;
        int i = off;
        while (i < end && d.state != State.STOPPED) {
            i = d.step(b, i, end);
        }
    }

    /**
     * Bytes lost in a direction. In clear the framing cannot be recovered: the direction is not parsed further
     * ({@link SshEvent#STREAM_GAP}); after NEWKEYS the lost bytes are only counted.
     *
     * @param dir the direction
     * @param length how many bytes are missing
     */
    public void gap(int dir, long length) {
        Direction d = dirs[dir];
        if (d.state == State.STOPPED || length <= 0) {
            return;
        }
        if (d.state == State.ENCRYPTED) {
            session.sides[dir].encryptedBytes += length;
            return;
        }
        event(dir, SshEvent.STREAM_GAP);
        d.state = State.STOPPED;
    }

    /**
     * A direction closed; an unfinished banner or packet is dropped.
     *
     * @param dir the direction
     */
    public void end(int dir) {
        dirs[dir].state = State.STOPPED;
    }

    private void event(int dir, SshEvent e) {
        listener.event(session, dir, e);
    }

    private static long u32(byte[] a, int p) {
        return (long) (a[p] & 0xff) << 24 | (a[p + 1] & 0xff) << 16 | (a[p + 2] & 0xff) << 8 | a[p + 3] & 0xff;
    }

    private enum State {
        /** Reading lines until the banner's end. */
        LINES,
        /** Collecting a binary packet's first 6 bytes. */
        HEADER,
        /** Inside a packet's body (kept when it is the first KEXINIT, else skipped). */
        BODY,
        /** After NEWKEYS: counted only. */
        ENCRYPTED,
        STOPPED
    }

    /** What the current line is, as far as its bytes have told. */
    private enum Line {
        /** It may still be the banner: its bytes so far match "SSH-" (or it is past them and kept). */
        CANDIDATE,
        /** A server line before the banner: skipped to its end. */
        OTHER,
        /** A banner that reached maxBanner: already read, the rest skipped to the line's end. */
        LONG_TAIL
    }

    /** One direction's state machine. */
    private final class Direction {
        final int dir;
        final SshSession.Side side;
        State state = State.LINES;
        Line line = Line.CANDIDATE;
        boolean cr;
        final byte[] hdr = new byte[6];
        int hdrLen;
        long remaining;
        boolean keep;
        boolean newKeys;

        Direction(int dir) {
            this.dir = dir;
            this.side = session.sides[dir];
        }

        void reset() {
            state = State.LINES;
            line = Line.CANDIDATE;
            cr = false;
            hdrLen = 0;
            remaining = 0;
            keep = false;
            newKeys = false;
        }

        int step(byte[] b, int i, int end) {
            return switch (state) {
                case LINES -> lines(b, i, end);
                case HEADER -> header(b, i, end);
                case BODY -> body(b, i, end);
                default -> {
                    side.encryptedBytes += end - i;
                    yield end;
                }
            };
        }

        void stop(SshEvent e) {
            event(dir, e);
            state = State.STOPPED;
        }

        /**
         * Line bytes: LF, CR LF or a lone CR ends a line (Suricata's reading: a CR followed by anything but LF ends
         * the line before that byte). Returns where the line state stopped: at the end of the bytes, or just after
         * a line end that moved the direction on.
         */
        int lines(byte[] b, int i, int end) {
            if (side.banner == null || side.banner.length < config.maxBanner()) {
                side.banner = new byte[config.maxBanner()]; // once per parser: kept across reset()
            }
            while (i < end && state == State.LINES) {
                byte c = b[i];
                if (cr) {
                    cr = false;
                    if (c == '\n') {
                        i++;
                    }
                    lineEnd();
                } else if (c == '\n') {
                    i++;
                    lineEnd();
                } else if (c == '\r') {
                    cr = true;
                    i++;
                } else {
                    i++;
                    content(c);
                }
            }
            return i;
        }

        void content(byte c) {
            switch (line) {
                case CANDIDATE -> {
                    int n = side.bannerLen;
                    if (n < PREFIX.length && c != PREFIX[n]) {
                        notBanner(n + 1);
                        return;
                    }
                    side.banner[n] = c;
                    side.bannerLen = n + 1;
                    if (side.bannerLen == config.maxBanner()) {
                        // Suricata: a banner line of SSH_MAX_BANNER_LEN or more is long but still read
                        event(dir, SshEvent.LONG_BANNER);
                        if (banner()) {
                            line = Line.LONG_TAIL;
                        }
                    }
                }
                case OTHER -> preBanner(1);
                default -> {
                }
            }
        }

        /** The current line cannot be the banner (its first n bytes are in): a server may send such lines. */
        void notBanner(int n) {
            if (dir == 0) {
                stop(SshEvent.INVALID_BANNER); // the client's first line must be its banner (Suricata)
                return;
            }
            side.bannerLen = 0;
            line = Line.OTHER;
            preBanner(n);
        }

        void preBanner(int n) {
            side.preBannerBytes += n;
            if (side.preBannerBytes > config.maxPreBanner()) {
                stop(SshEvent.INVALID_BANNER);
            }
        }

        void lineEnd() {
            switch (line) {
                case CANDIDATE -> {
                    if (side.bannerLen < PREFIX.length) {
                        notBanner(side.bannerLen);
                        if (state == State.STOPPED) {
                            return;
                        }
                        lineEnd(); // the OTHER line's end
                        return;
                    }
                    if (banner()) {
                        state = State.HEADER;
                    }
                }
                case OTHER -> {
                    side.preBannerLines++;
                    line = Line.CANDIDATE;
                    preBanner(1);
                }
                default -> state = State.HEADER;
            }
        }

        /**
         * Reads the kept banner line: "SSH-", a non-empty protoversion up to '-', then softwareversion up to the first
         * space (or the end: comments are optional).
         *
         * @return whether it was a banner (else the direction stopped with INVALID_BANNER)
         */
        boolean banner() {
            byte[] a = side.banner;
            int n = side.bannerLen;
            int dash = 4;
            while (dash < n && a[dash] != '-') {
                dash++;
            }
            if (dash == n || dash == 4) {
                stop(SshEvent.INVALID_BANNER);
                return false;
            }
            int sp = dash + 1;
            while (sp < n && a[sp] != ' ') {
                sp++;
            }
            side.protoLen = dash - 4;
            side.softwareOff = dash + 1;
            side.softwareLen = sp - dash - 1;
            side.bannerDone = true;
            listener.banner(session, dir);
            return true;
        }

        int header(byte[] b, int i, int end) {
            int n = Math.min(6 - hdrLen, end - i);
            System.arraycopy(b, i, hdr, hdrLen, n);
            hdrLen += n;
            if (hdrLen < 6) {
                return i + n;
            }
            hdrLen = 0;
            long packetLength = u32(hdr, 0);
            if (packetLength < 2) {
                stop(SshEvent.INVALID_RECORD); // no room for padding_length and the code (Suricata's check)
                return i + n;
            }
            side.records++;
            int code = hdr[5] & 0xff;
            remaining = packetLength - 2;
            keep = false;
            newKeys = code == NEWKEYS;
            if (code == KEXINIT && config.hassh() && !side.kexTried) {
                side.kexTried = true; // the first KEXINIT only: later ones (in clear) are a peer's repeats
                if (remaining > config.maxKexRecord()) {
                    event(dir, SshEvent.LONG_KEX_RECORD);
                } else {
                    keep = true;
                    side.kex.clear();
                }
            }
            state = State.BODY;
            if (remaining == 0) {
                packetDone();
            }
            return i + n;
        }

        int body(byte[] b, int i, int end) {
            int n = (int) Math.min(remaining, end - i);
            if (keep) {
                side.kex.add(b, i, n);
            }
            remaining -= n;
            if (remaining == 0) {
                packetDone();
            }
            return i + n;
        }

        void packetDone() {
            if (keep) {
                keep = false;
                kexinit();
            }
            if (newKeys && state != State.STOPPED) {
                state = State.ENCRYPTED;
                side.encrypted = true;
                listener.encrypted(session, dir);
            } else if (state != State.STOPPED) {
                state = State.HEADER;
            }
        }

        /** The first KEXINIT is complete in side.kex: cookie, ten name-lists, first_kex_packet_follows, reserved. */
        void kexinit() {
            byte[] a = side.kex.a;
            int n = side.kex.len;
            int p = 16;
            for (int k = 0; k < 10; k++) {
                if (p + 4 > n || u32(a, p) > n - p - 4) {
                    event(dir, SshEvent.INVALID_KEXINIT);
                    return;
                }
                side.listOff[k] = p + 4;
                side.listLen[k] = (int) u32(a, p);
                p += 4 + side.listLen[k];
            }
            if (p + 5 > n) {
                event(dir, SshEvent.INVALID_KEXINIT); // Suricata needs the flag and the reserved word too
                return;
            }
            side.firstKexFollows = a[p] != 0;
            side.kexinit = true;
            hassh();
            listener.kexinit(session, dir);
        }

        /** hassh (client): kex;enc c2s;mac c2s;cmp c2s. hasshServer: the s2c lists. MD5 in lower-case hex. */
        void hassh() {
            io.judo.applayer.Bytes s = side.hasshString;
            s.clear();
            int first = dir == 0 ? 2 : 3;
            s.add(side.kex.a, side.listOff[0], side.listLen[0]);
            for (int k = first; k <= first + 4; k += 2) {
                s.add(';');
                s.add(side.kex.a, side.listOff[k], side.listLen[k]);
            }
            Hex.md5Lower(s.a, 0, s.len, side.hassh, 0);
            side.hasshDone = true;
        }
    }
}
