package io.judo.applayer.http;

import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Streaming Content-Encoding decoder: up to a configured number of gzip/deflate layers, decoded in reverse order
 * of the header's list. gzip headers are parsed here (FEXTRA, FNAME, FCOMMENT, FHCRC; concatenated members) so
 * the deflate data goes to an {@link Inflater} in raw mode; "deflate" is tried as zlib when its first two bytes are
 * a zlib header and read as raw deflate otherwise, as browsers do. A layer that fails passes the rest of its input
 * through unchanged (libhtp's behaviour) and sets {@link #failed}; output past the bomb limit at a ratio above the
 * configured one is cut and sets {@link #bomb}; output past the absolute limit is cut and sets {@link #capped}. Inflaters are created on first use and
 * kept across bodies ({@link Inflater#reset}); call {@link #close} when the connection ends.
 */
final class ContentDecoder {
    static final int GZIP = 1;
    static final int DEFLATE = 2;

    /** Receives decoded bytes. */
    interface Sink {
        void decoded(byte[] b, int off, int len);
    }

    private final Layer[] layers;
    private int count;
    private long totalIn;
    private long totalOut;
    private long bombLimit;
    private int bombRatio;
    private long maxOut;
    private Sink sink;
    boolean failed;
    boolean bomb;
    boolean capped;
    private boolean cut;

    ContentDecoder(int maxLayers) {
        layers = new Layer[Math.max(1, maxLayers)];
    }

    int maxLayers() {
        return layers.length;
    }

    /** Starts a body: codings in decoding order (the header's last coding first). */
    void start(int[] codings, int n, long bombLimit, int bombRatio, long maxOut) {
        count = Math.min(n, layers.length);
        for (int i = 0; i < count; i++) {
            if (layers[i] == null) {
                layers[i] = new Layer(this, i);
            }
            layers[i].start(codings[i]);
        }
        totalIn = 0;
        totalOut = 0;
        this.bombLimit = bombLimit;
        this.bombRatio = bombRatio;
        this.maxOut = maxOut;
        failed = false;
        bomb = false;
        capped = false;
        cut = false;
    }

    boolean active() {
        return count > 0;
    }

    /** Stops decoding for the rest of the body (a gap broke the compressed stream). */
    void stop() {
        cut = true;
    }

    void write(byte[] b, int off, int len, Sink s) {
        if (cut || len <= 0) {
            return;
        }
        this.sink = s;
        totalIn += len;
        emit(0, b, off, len);
    }

    void emit(int level, byte[] b, int off, int len) {
        if (cut || len <= 0) {
            return;
        }
        if (level == count) {
            long allowed = len;
            if (totalOut + len > maxOut) {
                allowed = Math.max(0, maxOut - totalOut);
                capped = true; // a large body, not necessarily a bomb: cut without the bomb event
                cut = true;
            } else if (totalOut + len > bombLimit && totalOut + len > (long) bombRatio * Math.max(1, totalIn)) {
                allowed = Math.max(0, Math.min(len, bombLimit - totalOut));
                bomb = true;
                cut = true;
            }
            totalOut += allowed;
            if (allowed > 0) {
                sink.decoded(b, off, (int) allowed);
            }
            return;
        }
        layers[level].write(b, off, len);
    }

    void close() {
        for (Layer l : layers) {
            if (l != null) {
                l.close();
            }
        }
    }

    /** One gzip or deflate layer. */
    private static final class Layer {
        // gzip header states
        private static final int G_ID1 = 0;
        private static final int G_ID2 = 1;
        private static final int G_CM = 2;
        private static final int G_FLG = 3;
        private static final int G_SKIP6 = 4;
        private static final int G_XLEN = 5;
        private static final int G_EXTRA = 6;
        private static final int G_NAME = 7;
        private static final int G_COMMENT = 8;
        private static final int G_HCRC = 9;
        private static final int G_DATA = 10;
        private static final int G_TRAILER = 11;
        private static final int D_FIRST = 12;
        private static final int D_SECOND = 13;
        private static final int D_DATA = 14;
        private static final int DONE = 15;
        private static final int PASS = 16;

        private final ContentDecoder owner;
        private final int level;
        private Inflater raw;
        private Inflater zlib;
        private Inflater active;
        private byte[] out;
        private int type;
        private int state;
        private int flags;
        private int skip;
        private int members;
        private byte first;
        private final byte[] one = new byte[2];

        Layer(ContentDecoder owner, int level) {
            this.owner = owner;
            this.level = level;
        }

        void start(int coding) {
            type = coding;
            state = coding == GZIP ? G_ID1 : D_FIRST;
            active = null;
            members = 0;
        }

        void write(byte[] b, int off, int len) {
            int end = off + len;
            int i = off;
            while (i < end) {
                switch (state) {
                    case PASS -> {
                        owner.emit(level + 1, b, i, end - i);
                        return;
                    }
                    case DONE -> {
                        return; // bytes after the end of a deflate stream: ignored, as by zlib users
                    }
                    case G_ID1, G_TRAILER -> {
                        if (state == G_TRAILER) {
                            int n = Math.min(skip, end - i);
                            i += n;
                            skip -= n;
                            if (skip == 0) {
                                members++;
                                state = G_ID1;
                            }
                            continue;
                        }
                        if ((b[i] & 0xFF) != 0x1F) {
                            if (members > 0) {
                                state = DONE; // bytes after a complete member: ignored, as browsers do
                                return;
                            }
                            fail(b, i, end);
                            return;
                        }
                        i++;
                        state = G_ID2;
                    }
                    case G_ID2 -> {
                        if ((b[i++] & 0xFF) != 0x8B) {
                            fail(b, i - 1, end);
                            return;
                        }
                        state = G_CM;
                    }
                    case G_CM -> {
                        if (b[i++] != 8) {
                            fail(b, i - 1, end);
                            return;
                        }
                        state = G_FLG;
                    }
                    case G_FLG -> {
                        flags = b[i++] & 0xFF;
                        skip = 6; // MTIME(4) XFL OS
                        state = G_SKIP6;
                    }
                    case G_SKIP6 -> {
                        int n = Math.min(skip, end - i);
                        i += n;
                        skip -= n;
                        if (skip == 0) {
                            skip = 2;
                            state = (flags & 4) != 0 ? G_XLEN : afterExtra();
                        }
                    }
                    case G_XLEN -> {
                        one[2 - skip] = b[i++];
                        if (--skip == 0) {
                            skip = (one[0] & 0xFF) | (one[1] & 0xFF) << 8;
                            state = skip == 0 ? afterExtra() : G_EXTRA;
                        }
                    }
                    case G_EXTRA -> {
                        int n = Math.min(skip, end - i);
                        i += n;
                        skip -= n;
                        if (skip == 0) {
                            state = afterExtra();
                        }
                    }
                    case G_NAME -> {
                        if (b[i++] == 0) {
                            state = (flags & 16) != 0 ? G_COMMENT : afterComment();
                        }
                    }
                    case G_COMMENT -> {
                        if (b[i++] == 0) {
                            state = afterComment();
                        }
                    }
                    case G_HCRC -> {
                        i++;
                        if (--skip == 0) {
                            beginInflate(true);
                        }
                    }
                    case D_FIRST -> {
                        first = b[i++];
                        state = D_SECOND;
                    }
                    case D_SECOND -> {
                        int cmf = first & 0xFF;
                        int flg = b[i] & 0xFF;
                        boolean zlibHeader = (cmf & 0x0F) == 8 && (cmf >> 4) <= 7 && ((cmf << 8) | flg) % 31 == 0;
                        beginInflate(!zlibHeader);
                        state = D_DATA;
                        one[0] = first;
                        if (!inflate(one, 0, 1)) {
                            return;
                        }
                    }
                    case G_DATA, D_DATA -> {
                        int consumedTo = inflateAll(b, i, end);
                        if (consumedTo < 0) {
                            return;
                        }
                        i = consumedTo;
                    }
                    default -> {
                        return;
                    }
                }
            }
        }

        private int afterExtra() {
            if ((flags & 8) != 0) {
                return G_NAME;
            }
            if ((flags & 16) != 0) {
                return G_COMMENT;
            }
            return afterComment();
        }

        private int afterComment() {
            if ((flags & 2) != 0) {
                skip = 2;
                return G_HCRC;
            }
            beginInflate(true);
            return G_DATA;
        }

        private void beginInflate(boolean nowrap) {
            if (nowrap) {
                if (raw == null) {
                    raw = new Inflater(true);
                }
                active = raw;
            } else {
                if (zlib == null) {
                    zlib = new Inflater(false);
                }
                active = zlib;
            }
            active.reset();
            if (out == null) {
                out = new byte[8192];
            }
            if (type == GZIP) {
                state = G_DATA;
            }
        }

        /** Inflates b[off, off+len) completely; @return false when the layer failed or ended */
        private boolean inflate(byte[] b, int off, int len) {
            return inflateAll(b, off, off + len) >= 0;
        }

        /**
         * Feeds the inflater and drains it (the input array is only valid during the call).
         *
         * @return the index after the bytes consumed (the stream may end before end), or -1 when this call is done
         */
        private int inflateAll(byte[] b, int off, int end) {
            Inflater inf = active;
            inf.setInput(b, off, end - off);
            try {
                while (true) {
                    int n = inf.inflate(out, 0, out.length);
                    if (n > 0) {
                        owner.emit(level + 1, out, 0, n);
                        if (owner.cut) {
                            return -1;
                        }
                    }
                    if (inf.finished()) {
                        int rest = inf.getRemaining();
                        int at = end - rest;
                        if (type == GZIP) {
                            skip = 8; // CRC32 and ISIZE, then perhaps another member
                            state = G_TRAILER;
                            return at;
                        }
                        state = DONE;
                        return -1;
                    }
                    if (n == 0 && (inf.needsInput() || inf.needsDictionary())) {
                        if (inf.needsDictionary()) {
                            fail(b, end, end);
                            return -1;
                        }
                        return end;
                    }
                }
            } catch (DataFormatException e) {
                // a broken stream is traffic, not a bug: the rest of this body passes through as received
                fail(b, end - inf.getRemaining(), end);
                return -1;
            }
        }

        private void fail(byte[] b, int from, int end) {
            owner.failed = true;
            state = PASS;
            if (from < end) {
                owner.emit(level + 1, b, from, end - from);
            }
        }

        void close() {
            if (raw != null) {
                raw.end();
                raw = null;
            }
            if (zlib != null) {
                zlib.end();
                zlib = null;
            }
        }
    }
}
