package io.judo.applayer.smtp;

import io.judo.applayer.ByteBuilder;

/**
 * The SMTP parser of one TCP connection, both directions, streaming: bytes arrive in any pieces and the result is the
 * same as for the whole stream (what is kept is copied; callers' bytes are read only during the call). Client
 * commands (pipelined or not) are matched with the server's replies (multi-line ones once, at their last line);
 * DATA content is dot-unstuffed, ends at the {@code .} line, and goes through a {@link MimeParser}, as does BDAT
 * (RFC 3030) content counted by its chunk sizes. Transactions (one per mail) go to an {@link SmtpListener}; the one
 * {@link SmtpTransaction} object is reused for every mail, so a connection in steady state allocates nothing.
 *
 * <p>The two directions need not be fed in step: what one direction sends that depends on the other's answer
 * waits (bounded by {@link SmtpConfig#holdLimit()}): client bytes after DATA until the reply says 354 (message) or
 * not (commands), after STARTTLS until 220 (TLS) or not; a server reply that no command is waiting for, until the
 * client's command arrives. Nothing here throws on traffic: anomalies are {@link SmtpEvent}s. See applayer/DESIGN.md.
 */
public final class SmtpParser {
    /** RFC 5321 4.5.3.1.4-5: a command or reply line is at most 512 bytes with its CRLF. */
    static final int MAX_LINE = 510;

    static final int OTHER = 0;
    static final int DATA = 1;
    static final int STARTTLS = 2;
    static final int BDAT = 3;
    static final int RSET = 4;
    static final int QUIT = 5;
    static final int HELO = 6;
    static final int MAIL = 7;
    static final int RCPT = 8;
    /** Not a command: the end of DATA content, which the server answers like one (Suricata's DATA_MODE). */
    static final int DATA_END = 9;
    static final int KNOWN = 10;
    static final int UNKNOWN = 11;
    static final int EMPTY = 12;
    private static final int MAX_PENDING = 4096;

    private static final byte[][] VERBS = {
        Ascii.bytes("data"), Ascii.bytes("starttls"), Ascii.bytes("bdat"), Ascii.bytes("rset"), Ascii.bytes("quit"),
        Ascii.bytes("helo"), Ascii.bytes("ehlo"), Ascii.bytes("auth"), Ascii.bytes("noop"), Ascii.bytes("vrfy"),
        Ascii.bytes("expn"), Ascii.bytes("help"), Ascii.bytes("turn"), Ascii.bytes("etrn"), Ascii.bytes("atrn"),
        Ascii.bytes("mail"), Ascii.bytes("rcpt")};
    private static final int[] VERB_CMD = {
        DATA, STARTTLS, BDAT, RSET, QUIT, HELO, HELO, KNOWN, KNOWN, KNOWN, KNOWN, KNOWN, KNOWN, KNOWN, KNOWN, KNOWN,
        KNOWN};
    private static final byte[] MAIL_FROM = Ascii.bytes("mail from");
    private static final byte[] RCPT_TO = Ascii.bytes("rcpt to");
    private static final byte[] LAST = Ascii.bytes("last");
    private static final byte[] PIPELINING = Ascii.bytes("pipelining");

    private final SmtpConfig config;
    private final SmtpListener listener;
    private final SmtpTransaction tx = new SmtpTransaction();
    private final ByteBuilder helo = new ByteBuilder();
    private final MimeParser mime;
    private final Client client = new Client();
    private final Server server = new Server();
    private boolean txOpen;
    private long txCount;
    private long connectionEvents;
    private int[] pending = new int[16];
    private int pendingHead;
    private int pendingSize;
    private boolean pipelining;
    private boolean tls;

    /**
     * @param config limits and switches
     * @param listener receives progress and events
     */
    public SmtpParser(SmtpConfig config, SmtpListener listener) {
        this.config = config;
        this.listener = listener;
        this.mime = new MimeParser(config, new MimeParser.Sink() {
            @Override public void event(SmtpEvent e) { SmtpParser.this.event(0, e); }
            @Override public void messageHeaders() { listener.messageHeaders(tx); }
            @Override public void fileOpen(SmtpFile f) { listener.fileOpen(tx, f); }
            @Override public void fileData(SmtpFile f, byte[] b, int off, int len) {
                listener.fileData(tx, f, b, off, len);
            }
            @Override public void fileDone(SmtpFile f) { listener.fileDone(tx, f); }
        });
    }

    /** Makes the parser ready for a new connection, keeping its buffers (a pooled parser allocates nothing). */
    public void reset() {
        mime.end(false);
        txOpen = false;
        txCount = 0;
        connectionEvents = 0;
        pendingHead = 0;
        pendingSize = 0;
        pipelining = false;
        tls = false;
        helo.clear();
        client.reset();
        server.reset();
    }

    /** @return the open transaction, or null between mails */
    public SmtpTransaction transaction() {
        return txOpen ? tx : null;
    }

    /** @return transactions opened so far */
    public long transactions() {
        return txCount;
    }

    /** @return whether the server announced PIPELINING in its EHLO reply */
    public boolean pipelining() {
        return pipelining;
    }

    /** @return whether the connection turned to TLS (STARTTLS accepted); the parser reads nothing more then */
    public boolean tls() {
        return tls;
    }

    /** @param e an event @return whether it was raised outside any transaction */
    public boolean hasConnectionEvent(SmtpEvent e) {
        return (connectionEvents & (1L << e.ordinal())) != 0;
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
        if (len > 0) {
            (dir == 0 ? client : server).feed(b, off, len);
        }
    }

    /**
     * Bytes lost in a direction ({@link SmtpEvent#STREAM_GAP}): the direction resumes at the next line end; a file
     * being read is marked truncated; replies lost leave the waiting commands unmatched.
     *
     * @param dir the direction
     * @param length how many bytes are missing
     */
    public void gap(int dir, long length) {
        if (length > 0) {
            (dir == 0 ? (Direction) client : server).gap(length);
        }
    }

    /**
     * A direction closed. A client closing ends the open mail (a message without its end is truncated).
     *
     * @param dir the direction
     */
    public void end(int dir) {
        if (dir == 0) {
            client.end();
        } else {
            server.end();
        }
        if (client.mode == STOPPED && server.mode == STOPPED) {
            finishTx();
        }
    }

    void event(int dir, SmtpEvent e) {
        long bit = 1L << e.ordinal();
        if (txOpen) {
            if ((tx.events & bit) == 0) {
                tx.events |= bit;
                listener.event(tx, dir, e);
            }
        } else if ((connectionEvents & bit) == 0) {
            connectionEvents |= bit;
            listener.event(null, dir, e);
        }
    }

    private void openTx() {
        tx.reset(txCount++, helo);
        txOpen = true;
    }

    private void finishTx() {
        if (txOpen) {
            txOpen = false;
            listener.transactionDone(tx);
        }
    }

    private void push(int cmd) {
        if (pendingSize == MAX_PENDING) {
            return; // far more unanswered commands than any client pipelines: later replies go unmatched
        }
        if (pendingSize == pending.length) {
            int[] n = new int[pending.length * 2];
            for (int i = 0; i < pendingSize; i++) {
                n[i] = pending[(pendingHead + i) & (pending.length - 1)];
            }
            pending = n;
            pendingHead = 0;
        }
        pending[(pendingHead + pendingSize) & (pending.length - 1)] = cmd;
        pendingSize++;
    }

    private int pop() {
        int c = pending[pendingHead];
        pendingHead = (pendingHead + 1) & (pending.length - 1);
        pendingSize--;
        return c;
    }

    private static final int COMMAND = 0;
    private static final int WAIT = 1;
    private static final int MESSAGE = 2;
    private static final int CHUNK = 3;
    private static final int REPLY = 4;
    private static final int HOLD = 5;
    private static final int STOPPED = 6;

    /** What both directions share: line assembly, the held bytes, the stream position. */
    private abstract class Direction {
        final int dir;
        int mode;
        final ByteBuilder line = new ByteBuilder();
        long lineTotal;
        boolean skipToLf;
        ByteBuilder hold = new ByteBuilder();
        ByteBuilder spare = new ByteBuilder();
        boolean replaying;
        /** Stream offset of the next byte to be parsed (held bytes are not parsed yet). */
        long pos;

        Direction(int dir) {
            this.dir = dir;
        }

        void resetDirection(int startMode) {
            mode = startMode;
            line.clear();
            lineTotal = 0;
            skipToLf = false;
            hold.clear();
            spare.clear();
            replaying = false;
            pos = 0;
        }

        void feed(byte[] b, int off, int len) {
            int i = off;
            int end = off + len;
            while (i < end && mode != STOPPED) {
                i = step(b, i, end);
            }
        }

        abstract int step(byte[] b, int i, int end);

        abstract void gap(long length);

        /** @return whether the bytes were taken (false: over the limit, nothing taken) */
        boolean holdBytes(byte[] b, int i, int n) {
            if (hold.len + n > config.holdLimit()) {
                return false;
            }
            hold.add(b, i, n);
            return true;
        }

        /** Parses what was held, in order, now that the direction may go on. */
        void replay() {
            if (replaying) {
                return; // the outer replay goes on with what is left
            }
            replaying = true;
            while (hold.len > 0 && mode != WAIT && mode != HOLD && mode != STOPPED) {
                ByteBuilder r = hold;
                hold = spare;
                spare = r;
                feed(r.a, 0, r.len);
                r.clear();
            }
            replaying = false;
        }

        /**
         * Assembles a command or reply line: @return the index after the consumed bytes; a complete line is in
         * {@link #line} (CR stripped) when {@link #lineDone} is set.
         */
        boolean lineDone;
        int lineTerm;
        byte lastByte;

        int lineBytes(byte[] b, int i, int end) {
            lineDone = false;
            int k = i;
            while (k < end && b[k] != '\n') {
                k++;
            }
            if (skipToLf) {
                pos += (k < end ? k + 1 : end) - i;
                if (k < end) {
                    skipToLf = false;
                }
                return k < end ? k + 1 : end;
            }
            int n = k - i;
            int keep = Math.min(n, config.lineBuffer() - line.len);
            line.add(b, i, keep);
            lineTotal += n;
            if (n > 0) {
                lastByte = b[k - 1];
            }
            if (k == end) {
                pos += n;
                return end;
            }
            pos += n + 1;
            lineTerm = 1;
            if (lineTotal > 0 && lastByte == '\r') {
                lineTerm = 2;
                lineTotal--; // the CR belongs to the line end
                if (line.len > lineTotal) {
                    line.len = (int) lineTotal;
                }
            }
            if (lineTotal > line.len) {
                event(dir, SmtpEvent.TRUNCATED_LINE);
            }
            lineDone = true;
            return k + 1;
        }

        void lineConsumed() {
            line.clear();
            lineTotal = 0;
        }

        /** Whether the direction is at the start of a line (a gap there loses no line). */
        boolean atLineStart() {
            return line.len == 0 && lineTotal == 0 && !skipToLf;
        }
    }

    /** The client's direction: commands, then message content after DATA or in BDAT chunks. */
    private final class Client extends Direction {
        int waitFor;
        final ByteBuilder msg = new ByteBuilder();
        boolean msgFirst = true;
        boolean msgSkip;
        long chunkLeft;
        boolean chunkLast;
        boolean bdatOpen;
        boolean afterChunk;

        Client() {
            super(0);
            reset();
        }

        void reset() {
            resetDirection(COMMAND);
            msg.clear();
            msgFirst = true;
            msgSkip = false;
            chunkLeft = 0;
            chunkLast = false;
            bdatOpen = false;
            afterChunk = false;
        }

        @Override
        int step(byte[] b, int i, int end) {
            switch (mode) {
                case WAIT -> {
                    if (holdBytes(b, i, end - i)) {
                        return end;
                    }
                    resolve(true, true); // waited too long for the reply: guess it accepted
                    return i;
                }
                case MESSAGE -> {
                    return messageBytes(b, i, end);
                }
                case CHUNK -> {
                    int j = messageBytes(b, i, (int) Math.min(end, i + chunkLeft));
                    chunkLeft -= j - i;
                    if (chunkLeft == 0) {
                        chunkEnd();
                    }
                    return j;
                }
                default -> {
                    int j = lineBytes(b, i, end);
                    if (lineDone) {
                        command(line.a, line.len, lineTotal);
                        lineConsumed();
                    }
                    return j;
                }
            }
        }

        /** Message content: lines (or pieces of long lines) to the MIME parser, the end at a lone '.'. */
        int messageBytes(byte[] b, int i, int end) {
            int room = config.messageLine() - msg.len;
            int limit = Math.min(end, i + room);
            int k = i;
            while (k < limit && b[k] != '\n') {
                k++;
            }
            if (k < limit) {
                pos += k + 1 - i;
                if (msgSkip) {
                    msgSkip = false; // the rest of a line cut by a gap
                    msg.clear();
                    msgFirst = true;
                    return k + 1;
                }
                msg.add(b, i, k - i);
                int term = 1;
                if (msg.len > 0 && msg.a[msg.len - 1] == '\r') {
                    msg.len--;
                    term = 2;
                }
                messageLine(term);
                return k + 1;
            }
            pos += limit - i;
            if (!msgSkip) {
                msg.add(b, i, limit - i);
                if (msg.len == config.messageLine()) {
                    messageLine(0); // a long line goes on in pieces
                }
            }
            return limit;
        }

        void messageLine(int term) {
            boolean first = msgFirst;
            byte[] a = msg.a;
            int off = 0;
            int len = msg.len;
            msgFirst = term != 0;
            if (mode == MESSAGE && first && len > 0 && a[0] == '.') {
                if (len == 1 && term != 0) {
                    msg.clear();
                    messageEnd(true);
                    return;
                }
                off = 1; // RFC 5321 4.5.2: the client doubled a leading dot
                len--;
            }
            mime.line(a, off, len, first, term);
            msg.clear();
        }

        void messageEnd(boolean complete) {
            if (!msgFirst || msg.len > 0) {
                int n = msg.len;
                boolean first = msgFirst;
                msg.len = 0;
                mime.line(msg.a, 0, n, first, 0); // an unterminated last line (BDAT LAST, or the end)
            }
            msg.clear();
            msgFirst = true;
            msgSkip = false;
            mime.end(complete);
            tx.messageComplete = complete;
            if (mode == MESSAGE) {
                push(DATA_END);
            }
            bdatOpen = false;
            mode = COMMAND;
            finishTx();
            server.release();
        }

        void chunkEnd() {
            mode = COMMAND;
            afterChunk = true;
            if (chunkLast) {
                messageEnd(true);
            }
        }

        void command(byte[] a, int len, long total) {
            int cmd = verb(a, len);
            if (!txOpen && cmd != RSET && cmd != QUIT && cmd != EMPTY) {
                openTx();
            }
            if (total > MAX_LINE) {
                event(0, SmtpEvent.MAX_COMMAND_LINE_LEN_EXCEEDED);
            }
            if (afterChunk && cmd != EMPTY) {
                afterChunk = false;
                if (cmd == UNKNOWN) {
                    event(0, SmtpEvent.BDAT_CHUNK_LEN_EXCEEDED); // message bytes past the chunk's announced size
                }
            }
            switch (cmd) {
                case HELO -> {
                    if (helo.len > 0) {
                        event(0, SmtpEvent.DUPLICATE_FIELDS); // the first is kept, as Suricata does
                    } else {
                        argument(a, len, 4, helo);
                        listener.helo(tx);
                    }
                }
                case MAIL -> {
                    if (tx.hasMailFrom) {
                        event(0, SmtpEvent.DUPLICATE_FIELDS);
                    } else {
                        argument(a, len, MAIL_FROM.length, tx.mailFrom);
                        tx.hasMailFrom = true;
                        listener.mailFrom(tx);
                    }
                }
                case RCPT -> {
                    int s = argStart(a, len, RCPT_TO.length);
                    int before = tx.rcptCount;
                    tx.addRcpt(a, s, argEnd(a, len, s) - s, config.maxRecipients());
                    if (tx.rcptCount > before) {
                        listener.rcptTo(tx, before);
                    }
                }
                case DATA -> {
                    if (bdatOpen) {
                        event(0, SmtpEvent.UNPARSABLE_CONTENT); // a chained mail while the BDAT one is open
                        mime.end(false);
                        bdatOpen = false;
                        finishTx();
                        openTx();
                    }
                    push(DATA);
                    waitFor = DATA;
                    mode = WAIT;
                    server.release();
                    return;
                }
                case STARTTLS -> {
                    push(STARTTLS);
                    waitFor = STARTTLS;
                    mode = WAIT;
                    server.release();
                    return;
                }
                case BDAT -> {
                    if (bdat(a, len)) {
                        return;
                    }
                    cmd = OTHER; // no size: an unknown command to the server too
                }
                case RSET -> {
                    if (txOpen) {
                        tx.reset = true;
                        if (bdatOpen) {
                            mime.end(false);
                            bdatOpen = false;
                        }
                        finishTx();
                    }
                }
                default -> {
                }
            }
            push(cmd);
            server.release();
        }

        /** BDAT size [LAST]: @return false when the size is missing */
        boolean bdat(byte[] a, int len) {
            int i = 4;
            while (i < len && a[i] == ' ') {
                i++;
            }
            int s = i;
            long size = 0;
            while (i < len && a[i] >= '0' && a[i] <= '9' && i - s < 18) {
                size = size * 10 + (a[i] - '0');
                i++;
            }
            if (i == s || s == 4) {
                return false;
            }
            while (i < len && a[i] == ' ') {
                i++;
            }
            chunkLast = Ascii.startsWith(a, i, len, LAST);
            if (!bdatOpen) {
                startMessage();
                tx.bdat = true;
                bdatOpen = true;
            }
            push(BDAT);
            chunkLeft = size;
            mode = CHUNK;
            server.release();
            if (size == 0) {
                chunkEnd();
            }
            return true;
        }

        void startMessage() {
            tx.message = true;
            mime.start(tx);
            msg.clear();
            msgFirst = true;
            msgSkip = false;
        }

        /**
         * The server answered DATA or STARTTLS, or the parser stops waiting for it.
         *
         * @param accepted 354 to DATA, 220 to STARTTLS
         * @param guess true when no reply decided (waited too long, the server closed or lost bytes): no events
         */
        void resolve(boolean accepted, boolean guess) {
            if (mode != WAIT) {
                return;
            }
            if (accepted) {
                if (waitFor == STARTTLS) {
                    startTls();
                    return;
                }
                startMessage();
                mode = MESSAGE;
            } else {
                if (!guess) {
                    event(1, waitFor == DATA ? SmtpEvent.DATA_COMMAND_REJECTED : SmtpEvent.TLS_REJECTED);
                    if (hold.len > 0) {
                        event(0, SmtpEvent.INVALID_PIPELINED_SEQUENCE); // it did not wait for the answer
                    }
                }
                mode = COMMAND;
            }
            replay();
        }

        @Override
        void gap(long length) {
            if (mode == STOPPED) {
                return;
            }
            if (mode == WAIT) {
                resolve(waitFor == DATA, true); // what was held came before the gap
            }
            event(0, SmtpEvent.STREAM_GAP);
            pos += length;
            switch (mode) {
                case MESSAGE -> gapInMessage();
                case CHUNK -> {
                    gapInMessage();
                    if (length >= chunkLeft) {
                        chunkLeft = 0; // the chunk ended inside the gap: commands resume at a line start
                        chunkEnd();
                        afterChunk = false;
                        lineConsumed();
                        skipToLf = true;
                    } else {
                        chunkLeft -= length;
                    }
                }
                case COMMAND -> {
                    if (!atLineStart()) {
                        lineConsumed();
                        skipToLf = true;
                    }
                }
                default -> {
                }
            }
        }

        void gapInMessage() {
            mime.gap();
            if (msg.len > 0 || !msgFirst) {
                msgSkip = true;
            }
            msg.clear();
            msgFirst = true;
        }

        void end() {
            if (mode == STOPPED) {
                return;
            }
            if (mode == WAIT) {
                resolve(waitFor == DATA, true);
            }
            if (mode == MESSAGE || mode == CHUNK || bdatOpen) {
                messageEnd(false);
            }
            mode = STOPPED;
            server.release(); // replies still waiting are unmatched, and belong to this transaction
            finishTx();
        }
    }

    /** The server's direction: replies, matched with the commands waiting for them. */
    private final class Server extends Direction {
        boolean firstReplySeen;
        boolean inReply;
        int replyCmd;
        boolean noHold;

        Server() {
            super(1);
            reset();
        }

        void reset() {
            resetDirection(REPLY);
            firstReplySeen = false;
            inReply = false;
            noHold = false;
        }

        @Override
        int step(byte[] b, int i, int end) {
            if (mode == HOLD) {
                if (holdBytes(b, i, end - i)) {
                    return end;
                }
                flushHold(); // no command came: what waited is unmatched
                return i;
            }
            int j = lineBytes(b, i, end);
            if (lineDone) {
                reply(line.a, line.len, lineTotal);
                lineConsumed();
            }
            return j;
        }

        /** The client sent a command (or stopped): replies waiting for one go on. */
        void release() {
            if (mode == HOLD && (pendingSize > 0 || client.mode == STOPPED)) {
                mode = REPLY;
                if (client.mode == STOPPED) {
                    flushHold();
                } else {
                    replay();
                }
            }
        }

        void flushHold() {
            mode = REPLY;
            noHold = true;
            replay();
            noHold = false;
        }

        void reply(byte[] a, int len, long total) {
            if (len == 0) {
                return; // a bare line end (Suricata skips it)
            }
            if (len < 3 || !digit(a[0], '2', '5') || !digit(a[1], '0', '9') || !digit(a[2], '0', '9')) {
                event(1, SmtpEvent.INVALID_REPLY);
                return;
            }
            int code = (a[0] - '0') * 100 + (a[1] - '0') * 10 + (a[2] - '0');
            if (!inReply) {
                if (!firstReplySeen) {
                    if (code == 220 || pendingSize == 0) {
                        if (code != 220) {
                            event(1, SmtpEvent.INVALID_REPLY); // a greeting must be 220
                        }
                        replyCmd = -1;
                    } else {
                        event(1, SmtpEvent.NO_SERVER_WELCOME_MESSAGE);
                        replyCmd = pending[pendingHead];
                    }
                } else if (pendingSize == 0) {
                    if (!noHold && client.mode != STOPPED && total == len) {
                        // the command it answers has not been parsed yet: wait for it (the line goes back first)
                        pos -= len + lineTerm;
                        hold.add(a, 0, len);
                        if (lineTerm == 2) {
                            hold.add((byte) '\r');
                        }
                        hold.add((byte) '\n');
                        mode = HOLD;
                        return;
                    }
                    event(1, SmtpEvent.UNABLE_TO_MATCH_REPLY_WITH_REQUEST);
                    replyCmd = -2;
                } else {
                    replyCmd = pending[pendingHead];
                }
                inReply = true;
            }
            if (total > MAX_LINE) {
                event(1, SmtpEvent.MAX_REPLY_LINE_LEN_EXCEEDED);
            }
            if (len >= 4 && a[3] == '-') {
                if (replyCmd == HELO && code == 250 && len == 4 + PIPELINING.length
                    && Ascii.equalsLower(a, 4, PIPELINING, 0, PIPELINING.length)) {
                    pipelining = true;
                }
                return;
            }
            inReply = false;
            if (replyCmd == -1) {
                firstReplySeen = true;
                return;
            }
            firstReplySeen = true;
            if (replyCmd == -2) {
                return;
            }
            pop();
            if (replyCmd == DATA && client.waitFor == DATA) {
                client.resolve(code == 354, false);
            } else if (replyCmd == STARTTLS && client.waitFor == STARTTLS) {
                client.resolve(code == 220, false);
            }
        }

        @Override
        void gap(long length) {
            if (mode == STOPPED) {
                return;
            }
            if (mode == HOLD) {
                flushHold();
            }
            event(1, SmtpEvent.STREAM_GAP);
            pos += length;
            pendingSize = 0; // the replies are lost: nothing can be matched any more
            inReply = false;
            firstReplySeen = true;
            if (!atLineStart()) {
                lineConsumed();
                skipToLf = true;
            }
            client.resolve(client.waitFor == DATA, true);
        }

        void end() {
            if (mode == STOPPED) {
                return;
            }
            if (mode == HOLD) {
                flushHold();
            }
            mode = STOPPED;
            client.resolve(client.waitFor == DATA, true);
        }
    }

    private static boolean digit(byte c, char lo, char hi) {
        return c >= lo && c <= hi;
    }

    private void startTls() {
        tls = true;
        if (txOpen) {
            tx.tls = true;
        }
        long c = client.pos;
        long s = server.pos;
        client.mode = STOPPED;
        server.mode = STOPPED;
        finishTx();
        listener.startTls(c, s);
        // bytes that came after the hand-off point while their side waited for the reply are TLS's first bytes
        for (Direction d : new Direction[] {client, server}) {
            if (d.hold.len > 0) {
                listener.tlsData(d.dir, d.hold.a, 0, d.hold.len);
            }
            d.hold.clear();
        }
    }

    /** The command a line starts with (Suricata's prefix reading for the two-word verbs). */
    private static int verb(byte[] a, int len) {
        if (len == 0) {
            return EMPTY;
        }
        if (Ascii.startsWith(a, 0, len, MAIL_FROM)) {
            return MAIL;
        }
        if (Ascii.startsWith(a, 0, len, RCPT_TO)) {
            return RCPT;
        }
        int w = 0;
        while (w < len && a[w] != ' ') {
            w++;
        }
        for (int i = 0; i < VERBS.length; i++) {
            if (VERBS[i].length == w && Ascii.equalsLower(a, 0, VERBS[i], 0, w)) {
                return VERB_CMD[i];
            }
        }
        return UNKNOWN;
    }

    /** Suricata's SMTPParseCommandWithParam: skip the verb and one separator, then spaces; the word up to a space. */
    private static int argStart(byte[] a, int len, int prefix) {
        int i = prefix + 1;
        while (i < len && a[i] == ' ') {
            i++;
        }
        return Math.min(i, len);
    }

    private static int argEnd(byte[] a, int len, int start) {
        int i = start;
        while (i < len && a[i] != ' ') {
            i++;
        }
        return i;
    }

    private static void argument(byte[] a, int len, int prefix, ByteBuilder into) {
        int s = argStart(a, len, prefix);
        into.clear();
        into.add(a, s, argEnd(a, len, s) - s);
    }
}
