package io.judo.applayer.smtp;

import io.judo.applayer.ByteBuilder;
import io.judo.applayer.Slice;

/**
 * The MIME structure of one mail, fed line by line (RFC 5322 headers, RFC 2045 encodings, RFC 2046 multipart):
 * header sections, nested multiparts (a stack of boundaries), each leaf part's body decoded by a
 * {@link TransferDecoder}. A leaf part is a file when it has a filename (Suricata's rule; or every leaf when
 * configured). The line end before a boundary line belongs to the boundary (RFC 2046 5.1.1), so a part's last line
 * end is held back until the next line shows whether a boundary follows. Reused for every mail of a connection.
 */
final class MimeParser {
    /** What the parser tells the SMTP parser. */
    interface Sink {
        void event(SmtpEvent e);

        void messageHeaders();

        void fileOpen(SmtpFile f);

        void fileData(SmtpFile f, byte[] b, int off, int len);

        void fileDone(SmtpFile f);
    }

    private static final int HEADERS = 0;
    private static final int BODY = 1;
    private static final int SKIP = 2;

    /** RFC 5322 2.1.1: 998 characters a line. */
    static final int MAX_LINE = 998;
    /** RFC 2045 6.7 and 6.8: encoded lines of at most 76 characters. */
    static final int MAX_ENCODED_LINE = 76;
    /** Suricata's MAX_HEADER_NAME. */
    static final int MAX_HEADER_NAME = 75;
    /** Suricata's boundary buffer holds 254 bytes. */
    static final int MAX_BOUNDARY = 254;

    private static final byte[] CONTENT_TYPE = Ascii.bytes("content-type");
    private static final byte[] CONTENT_DISPOSITION = Ascii.bytes("content-disposition");
    private static final byte[] CONTENT_TRANSFER_ENCODING = Ascii.bytes("content-transfer-encoding");
    private static final byte[] MULTIPART = Ascii.bytes("multipart/");
    private static final byte[] BOUNDARY = Ascii.bytes("boundary");
    private static final byte[] FILENAME = Ascii.bytes("filename");
    private static final byte[] NAME = Ascii.bytes("name");
    private static final byte[] BASE64 = Ascii.bytes("base64");
    private static final byte[] QUOTED_PRINTABLE = Ascii.bytes("quoted-printable");
    private static final byte[] CRLF = {'\r', '\n'};

    private final SmtpConfig config;
    private final Sink sink;
    private final TransferDecoder decoder = new TransferDecoder();
    private final ByteBuilder out = new ByteBuilder();
    private final ByteBuilder param = new ByteBuilder();
    private final Slice value = new Slice();
    private ByteBuilder[] bounds = new ByteBuilder[0];
    private int depth;
    private SmtpTransaction tx;
    private MimeHeaders scratch = new MimeHeaders();
    private MimeHeaders headers;
    private boolean top;
    private int state;
    private boolean lastHeaderKept;
    private boolean lastHeaderCut;
    private SmtpFile file;
    private int pendingTerm;
    private long lineLen;
    private boolean longLineSeen;
    private boolean bodyEncoded;

    MimeParser(SmtpConfig config, Sink sink) {
        this.config = config;
        this.sink = sink;
    }

    /** A message begins: its top-level headers go into tx's. */
    void start(SmtpTransaction tx) {
        this.tx = tx;
        headers = tx.headers;
        headers.clear();
        top = true;
        state = HEADERS;
        depth = 0;
        file = null;
        lastHeaderKept = false;
    }

    boolean active() {
        return tx != null;
    }

    /**
     * One line of the message, or one piece of a line longer than the message line buffer.
     *
     * @param first whether the piece starts a line
     * @param term the line's terminator: 2 for CRLF, 1 for LF, 0 when the line goes on in the next piece (or the
     *     message ended without one)
     */
    void line(byte[] b, int off, int len, boolean first, int term) {
        if (first) {
            lineLen = 0;
            longLineSeen = false;
        }
        lineLen += len;
        if (lineLen > MAX_LINE && !longLineSeen) {
            longLineSeen = true;
            sink.event(SmtpEvent.MIME_LONG_LINE);
        }
        switch (state) {
            case HEADERS -> headerLine(b, off, len, first, term);
            case BODY -> {
                if (!first || !boundary(b, off, len)) {
                    bodyLine(b, off, len, first, term);
                }
            }
            default -> {
                if (first) {
                    boundary(b, off, len);
                }
            }
        }
    }

    private void headerLine(byte[] b, int off, int len, boolean first, int term) {
        int end = off + len;
        if (!first) {
            extendHeader(b, off, len);
            return;
        }
        if (len == 0 && term != 0) {
            headersDone();
            return;
        }
        if (Ascii.isSpace(b[off])) {
            if (headers.count == 0 && !lastHeaderKept) {
                sink.event(SmtpEvent.MIME_MALFORMED_MSG); // a continuation of nothing
                return;
            }
            extendHeader(b, off, len);
            return;
        }
        int colon = off;
        while (colon < end && b[colon] != ':') {
            colon++;
        }
        int nameEnd = colon;
        while (nameEnd > off && Ascii.isSpace(b[nameEnd - 1])) {
            nameEnd--;
        }
        if (colon == end || nameEnd == off) {
            sink.event(SmtpEvent.MIME_MALFORMED_MSG); // not a header line: dropped, as Suricata does
            lastHeaderKept = false;
            return;
        }
        if (nameEnd - off > MAX_HEADER_NAME) {
            sink.event(SmtpEvent.MIME_LONG_HEADER_NAME);
        }
        int v = colon + 1;
        while (v < end && Ascii.isSpace(b[v])) {
            v++;
        }
        int vLen = end - v;
        lastHeaderCut = false;
        if (vLen > config.headerValueLimit()) {
            vLen = config.headerValueLimit();
            lastHeaderCut = true;
            sink.event(SmtpEvent.MIME_LONG_HEADER_VALUE);
        }
        lastHeaderKept = headers.count < config.maxHeaders();
        if (lastHeaderKept) {
            headers.add(b, off, nameEnd - off, v, vLen);
        }
    }

    private void extendHeader(byte[] b, int off, int len) {
        if (!lastHeaderKept || lastHeaderCut) {
            return;
        }
        int room = config.headerValueLimit() - headers.valLen[headers.count - 1];
        int n = Math.min(room, len);
        headers.extendLast(b, off, n);
        if (n < len) {
            lastHeaderCut = true;
            sink.event(SmtpEvent.MIME_LONG_HEADER_VALUE);
        }
    }

    private void headersDone() {
        boolean wasTop = top;
        top = false;
        if (wasTop) {
            sink.messageHeaders();
        }
        int ct = headers.find(CONTENT_TYPE);
        if (ct >= 0) {
            headers.value(ct, value);
            if (Ascii.startsWith(value.array, value.offset, value.offset + value.length, MULTIPART)
                && parameter(value, BOUNDARY)) {
                if (depth == config.maxMimeDepth()) {
                    sink.event(SmtpEvent.MIME_PARSE_FAILED); // deeper than followed: read as one part
                } else {
                    if (param.len > MAX_BOUNDARY) {
                        sink.event(SmtpEvent.MIME_LONG_BOUNDARY);
                    }
                    push();
                    state = SKIP; // the preamble
                    nextHeaders();
                    return;
                }
            }
        }
        startLeaf(wasTop);
    }

    private void push() {
        if (depth == bounds.length) {
            bounds = java.util.Arrays.copyOf(bounds, Math.max(2, depth * 2));
        }
        if (bounds[depth] == null) {
            bounds[depth] = new ByteBuilder();
        }
        ByteBuilder bb = bounds[depth++];
        bb.clear();
        bb.add((byte) '-');
        bb.add((byte) '-');
        bb.add(param.a, 0, param.len);
    }

    /** The headers that come next are a part's: parsed into the scratch table (which a file may take over). */
    private void nextHeaders() {
        headers = scratch;
        headers.clear();
        lastHeaderKept = false;
    }

    private void startLeaf(boolean wasTop) {
        int enc = TransferDecoder.PLAIN;
        int cte = headers.find(CONTENT_TRANSFER_ENCODING);
        if (cte >= 0) {
            headers.value(cte, value);
            int s = value.offset;
            int e = s + value.length;
            while (e > s && Ascii.isSpace(value.array[e - 1])) {
                e--;
            }
            if (e - s == BASE64.length && Ascii.equalsLower(value.array, s, BASE64, 0, BASE64.length)) {
                enc = config.decodeBase64() ? TransferDecoder.BASE64 : TransferDecoder.PLAIN;
            } else if (e - s == QUOTED_PRINTABLE.length
                && Ascii.equalsLower(value.array, s, QUOTED_PRINTABLE, 0, QUOTED_PRINTABLE.length)) {
                enc = config.decodeQuotedPrintable() ? TransferDecoder.QP : TransferDecoder.PLAIN;
            }
        }
        bodyEncoded = enc != TransferDecoder.PLAIN;
        decoder.start(enc);
        pendingTerm = 0;
        state = BODY;
        boolean named = headerParameter(CONTENT_DISPOSITION, FILENAME) || headerParameter(CONTENT_TYPE, NAME);
        if (!named && !config.allPartsAreFiles()) {
            return;
        }
        file = tx.newFile(config.maxFiles());
        if (file == null) {
            return;
        }
        if (named) {
            int n = param.len;
            if (n > config.maxFilename()) {
                n = config.maxFilename();
                sink.event(SmtpEvent.MIME_LONG_FILENAME);
            }
            file.name.add(param.a, 0, n);
        }
        if (wasTop) {
            file.headers.copyFrom(tx.headers);
        } else {
            MimeHeaders h = file.headers; // the file keeps the part's headers: swapped, not copied
            file.headers = scratch;
            scratch = h;
            headers = scratch;
        }
        sink.fileOpen(file);
    }

    private boolean headerParameter(byte[] header, byte[] name) {
        int i = headers.find(header);
        return i >= 0 && parameter(headers.value(i, value), name);
    }

    /**
     * Finds a parameter of a structured header value (RFC 2045 5.1: {@code ; name=token} or {@code ; name="quoted"},
     * the name in any case) and copies its value, quotes and backslash escapes removed, into param.
     */
    private boolean parameter(Slice v, byte[] name) {
        byte[] a = v.array;
        int end = v.offset + v.length;
        int i = v.offset;
        while (i < end) {
            boolean quoted = false;
            while (i < end && (quoted || a[i] != ';')) {
                if (a[i] == '"') {
                    quoted = !quoted; // a ';' inside a quoted value does not start a parameter
                } else if (quoted && a[i] == '\\') {
                    i++;
                }
                i++;
            }
            i++;
            while (i < end && (Ascii.isSpace(a[i]) || a[i] == '\r' || a[i] == '\n')) {
                i++;
            }
            if (!Ascii.startsWith(a, i, end, name)) {
                continue;
            }
            int j = i + name.length;
            while (j < end && Ascii.isSpace(a[j])) {
                j++;
            }
            if (j == end || a[j] != '=') {
                continue;
            }
            j++;
            while (j < end && Ascii.isSpace(a[j])) {
                j++;
            }
            param.clear();
            if (j < end && a[j] == '"') {
                for (j++; j < end && a[j] != '"'; j++) {
                    if (a[j] == '\\' && j + 1 < end) {
                        j++;
                    }
                    param.add(a[j]);
                }
            } else {
                while (j < end && a[j] != ';' && !Ascii.isSpace(a[j])) {
                    param.add(a[j++]);
                }
            }
            return true;
        }
        return false;
    }

    /** @return whether the line is a boundary of an open multipart (and handles it) */
    private boolean boundary(byte[] b, int off, int len) {
        if (depth == 0 || len < 2 || b[off] != '-' || b[off + 1] != '-') {
            return false;
        }
        int end = off + len;
        for (int k = depth - 1; k >= 0; k--) {
            ByteBuilder bb = bounds[k];
            if (len < bb.len || !java.util.Arrays.equals(b, off, off + bb.len, bb.a, 0, bb.len)) {
                continue;
            }
            int r = off + bb.len;
            boolean close = r + 2 <= end && b[r] == '-' && b[r + 1] == '-';
            if (close) {
                r += 2;
            }
            while (r < end && Ascii.isSpace(b[r])) {
                r++;
            }
            if (r != end) {
                continue; // "--boundaryX": a longer boundary, or text
            }
            if (state == BODY) {
                endLeaf(true);
            }
            if (k < depth - 1) {
                sink.event(SmtpEvent.MIME_MALFORMED_MSG); // inner multiparts left open
            }
            if (close) {
                depth = k;
                state = SKIP;
            } else {
                depth = k + 1;
                state = HEADERS;
                nextHeaders();
            }
            return true;
        }
        return false;
    }

    private void bodyLine(byte[] b, int off, int len, boolean first, int term) {
        if (bodyEncoded && first && term != 0 && len > MAX_ENCODED_LINE) {
            sink.event(SmtpEvent.MIME_LONG_ENC_LINE);
        }
        switch (decoder.encoding) {
            case TransferDecoder.BASE64 -> decoder.base64(b, off, len, out);
            case TransferDecoder.QP -> {
                if (first) {
                    emitPendingTerm();
                }
                boolean soft = decoder.quotedPrintable(b, off, len, term != 0, out);
                pendingTerm = soft ? 0 : term;
            }
            default -> {
                if (first) {
                    emitPendingTerm();
                }
                out.add(b, off, len);
                pendingTerm = term;
            }
        }
        flush();
    }

    private void emitPendingTerm() {
        if (pendingTerm > 0) {
            out.add(CRLF, 2 - pendingTerm, pendingTerm);
            pendingTerm = 0;
        }
    }

    private void flush() {
        if (decoder.flags != 0) {
            if ((decoder.flags & TransferDecoder.BAD_BASE64) != 0) {
                sink.event(SmtpEvent.MIME_INVALID_BASE64);
            }
            if ((decoder.flags & TransferDecoder.BAD_QP) != 0) {
                sink.event(SmtpEvent.MIME_INVALID_QP);
            }
            decoder.flags = 0;
        }
        if (out.len > 0) {
            if (file != null) {
                file.append(out.a, 0, out.len, config.contentLimit());
                sink.fileData(file, out.a, 0, out.len);
            }
            out.clear();
        }
    }

    /** @param boundaryFollows whether a boundary ends the part (the held line end belongs to it) */
    private void endLeaf(boolean boundaryFollows) {
        if (!boundaryFollows) {
            emitPendingTerm();
        }
        pendingTerm = 0;
        decoder.finish(out);
        flush();
        if (file != null) {
            file.done = true;
            SmtpFile f = file;
            file = null;
            sink.fileDone(f);
        }
        state = SKIP;
    }

    /** Bytes of the message were lost: the part being read is incomplete. */
    void gap() {
        if (file != null) {
            file.gap = true;
        }
        pendingTerm = 0;
    }

    /**
     * The message ends.
     *
     * @param complete true at its proper end ({@code .} line, BDAT LAST), false when the connection or a chained
     *     mail cut it (the open part is then truncated and an unclosed multipart is not reported)
     */
    void end(boolean complete) {
        if (tx == null) {
            return;
        }
        if (state == HEADERS && top) {
            headersDone(); // a message of headers only: its (empty) body still starts and ends
        }
        if (state == BODY) {
            if (!complete && file != null) {
                file.gap = true;
            }
            endLeaf(false);
        }
        if (complete && depth > 0) {
            sink.event(SmtpEvent.MIME_MALFORMED_MSG); // a multipart without its close delimiter
        }
        depth = 0;
        tx = null;
        file = null;
    }
}
