package io.judo.applayer.ftp;

import io.judo.applayer.ByteBuilder;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * One FTP command connection: fed in-order bytes per direction ({@link #data}), holes ({@link #gap}) and closes
 * ({@link #end}); it copies what it keeps (the caller's bytes are valid only during the call) and reports to an
 * {@link FtpListener}. Lines end at LF (a CR before it is dropped, and so is trailing white space, as Suricata trims
 * them); a line longer than {@link FtpConfig#maxLine()} is read from its first bytes once {@code maxLine + 2} bytes
 * came without a LF, so every split of the stream gives the same lines. Commands open transactions in order; each
 * whole reply goes to the oldest open one (a 1yz reply keeps it open, any other closes it); a reply with none open is
 * a transaction of its own. Memory is bounded by the limits: at most {@code maxTransactions} open transactions of at
 * most one line and {@code maxReplyLines} reply lines each, transactions pooled after {@link
 * FtpListener#transactionDone}.
 */
public final class FtpParser {
    private final FtpConfig config;
    private final FtpListener listener;
    private final Line[] lines = {new Line(), new Line()};
    private final ArrayDeque<FtpTransaction> open = new ArrayDeque<>();
    private final ArrayDeque<FtpTransaction> pool = new ArrayDeque<>();
    private final ByteBuilder held = new ByteBuilder();
    private long nextId;
    private long commands;
    private FtpDataChannel channel;
    private long connectionEvents;
    private boolean tls;
    private boolean waitTls;
    private final boolean[] ended = new boolean[2];
    /** The transaction an open multi-line reply goes to, and its code (-1: none open). */
    private FtpTransaction replyTx;
    private int multiCode = -1;
    /** The greeting's transaction while it is open (a 120 before the 220); the greeting is over once greeted. */
    private FtpTransaction greeting;
    private boolean greeted;

    /** One direction's line assembly. */
    private static final class Line {
        final ByteBuilder buf = new ByteBuilder();
        /** Dropping bytes up to the next LF (after a cut line or a gap). */
        boolean discard;
    }

    /** @param config limits @param listener receives progress */
    public FtpParser(FtpConfig config, FtpListener listener) {
        this.config = config;
        this.listener = listener;
    }

    /** Makes the parser ready for a new connection, keeping its buffers and pooled transactions. */
    public void reset() {
        for (Line l : lines) {
            l.buf.clear();
            l.discard = false;
        }
        while (!open.isEmpty()) {
            pool.push(open.pop());
        }
        if (replyTx != null && !replyTx.hasRequest) {
            pool.push(replyTx);
        }
        if (greeting != null && greeting != replyTx) {
            pool.push(greeting);
        }
        replyTx = null;
        greeting = null;
        greeted = false;
        multiCode = -1;
        held.clear();
        nextId = 0;
        commands = 0;
        channel = null;
        connectionEvents = 0;
        tls = false;
        waitTls = false;
        ended[0] = false;
        ended[1] = false;
    }

    /** @return commands read so far (with or without a transaction) */
    public long commands() {
        return commands;
    }

    /** @return transactions opened so far (commands and unsolicited replies) */
    public long transactions() {
        return nextId;
    }

    /** @return whether the server accepted AUTH TLS: the parser reads nothing more */
    public boolean tls() {
        return tls;
    }

    /** @return the announced data channel no transfer command used yet, or null */
    public FtpDataChannel pendingChannel() {
        return channel;
    }

    /** @param e an event @return whether it was raised outside any transaction */
    public boolean hasConnectionEvent(FtpEvent e) {
        return (connectionEvents & 1L << e.ordinal()) != 0;
    }

    /**
     * Bytes of one direction, in order.
     *
     * @param dir 0 client to server, 1 server to client
     * @param b the bytes (valid only during the call)
     * @param off first byte
     * @param len number of bytes
     */
    public void data(int dir, byte[] b, int off, int len) {
        int end = off + len;
        int i = off;
        Line l = lines[dir];
        while (i < end && !tls) {
            if (dir == 0 && waitTls) {
                int keep = Math.min(end - i, config.maxHeld() - held.len);
                held.add(b, i, Math.max(0, keep));
                return;
            }
            int lf = i;
            while (lf < end && b[lf] != '\n') {
                lf++;
            }
            if (l.discard) {
                if (lf == end) {
                    return;
                }
                l.discard = false;
                i = lf + 1;
                continue;
            }
            int need = config.maxLine() + 2 - l.buf.len;
            if (lf - i >= need) { // no line end within the limit: the line is cut
                l.buf.add(b, i, need);
                l.buf.len = config.maxLine();
                line(dir, l.buf.a, l.buf.len, true);
                l.buf.clear();
                l.discard = true;
                i += need;
                continue;
            }
            l.buf.add(b, i, lf - i);
            if (lf == end) {
                return;
            }
            i = lf + 1;
            endLine(dir, l);
        }
    }

    private void endLine(int dir, Line l) {
        int n = l.buf.len;
        if (n > 0 && l.buf.a[n - 1] == '\r') {
            n--;
        }
        boolean cut = n > config.maxLine();
        line(dir, l.buf.a, cut ? config.maxLine() : n, cut);
        l.buf.clear();
    }

    /**
     * Bytes of a direction were lost: the partial line is dropped and the direction resumes after the next LF; an
     * open multi-line reply is abandoned.
     *
     * @param dir the direction
     * @param length how many bytes
     */
    public void gap(int dir, long length) {
        if (tls) {
            return;
        }
        Line l = lines[dir];
        l.buf.clear();
        l.discard = true;
        if (dir == 0) {
            held.clear();
        } else if (multiCode >= 0) {
            multiCode = -1;
            if (!replyTx.hasRequest && replyTx != greeting) {
                done(replyTx);
            }
            replyTx = null;
        }
        event(null, dir, FtpEvent.STREAM_GAP);
    }

    /**
     * A direction closed: a last line without LF is read; when both have, transactions still open are done
     * (without a final reply).
     *
     * @param dir the direction
     */
    public void end(int dir) {
        if (ended[dir]) {
            return;
        }
        Line l = lines[dir];
        if (!tls && !l.discard && l.buf.len > 0 && !(dir == 0 && waitTls)) {
            endLine(dir, l);
        }
        l.buf.clear();
        ended[dir] = true;
        if (ended[0] && ended[1]) {
            finish();
        }
    }

    private void finish() {
        if (replyTx != null && !replyTx.hasRequest) {
            done(replyTx);
        } else if (greeting != null) {
            done(greeting);
        }
        greeting = null;
        replyTx = null;
        multiCode = -1;
        while (!open.isEmpty()) {
            done(open.pop());
        }
        held.clear();
        waitTls = false;
    }

    private void line(int dir, byte[] b, int n, boolean cut) {
        while (n > 0 && (b[n - 1] == ' ' || b[n - 1] >= '\t' && b[n - 1] <= '\r')) {
            n--;
        }
        if (dir == 0) {
            command(b, n, cut);
        } else {
            reply(b, n, cut);
        }
    }

    private FtpTransaction obtain() {
        FtpTransaction tx = pool.isEmpty() ? new FtpTransaction() : pool.pop();
        tx.reset(nextId++);
        return tx;
    }

    private void command(byte[] b, int n, boolean cut) {
        if (n == 0) {
            return;
        }
        commands++;
        if (open.size() >= config.maxTransactions()) {
            // the oldest waits no longer: done without its reply (its replies will pair with later commands), so
            // the new command is still read and inspected (Suricata keeps the old and drops the new)
            event(null, 0, FtpEvent.TOO_MANY_TRANSACTIONS);
            done(open.pop());
        }
        int verb = 0;
        while (verb < n && b[verb] != ' ') {
            verb++;
        }
        FtpTransaction tx = obtain();
        tx.hasRequest = true;
        tx.request.add(b, 0, n);
        tx.verbLen = verb;
        tx.argOff = Math.min(verb + 1, n);
        tx.command = FtpCommand.of(b, 0, verb, n);
        tx.requestTruncated = cut;
        open.addLast(tx);
        if (cut) {
            event(tx, 0, FtpEvent.REQUEST_COMMAND_TOO_LONG);
        }
        listener.command(tx);
        if (channel != null && FtpCommand.transfer(b, 0, verb)) {
            FtpDataChannel c = channel;
            channel = null;
            c.transferCommand = new String(b, 0, verb, java.nio.charset.StandardCharsets.US_ASCII)
                    .toUpperCase(java.util.Locale.ROOT);
            c.fileName = tx.argOff < n ? Arrays.copyOfRange(b, tx.argOff, n) : null;
            c.upload = FtpCommand.upload(b, 0);
            listener.transfer(tx, c);
        }
        if (tx.command == FtpCommand.AUTH_TLS) {
            waitTls = true;
        }
    }

    private static int codeOf(byte[] b, int n) {
        if (n < 3 || !FtpPorts.digit(b[0]) || !FtpPorts.digit(b[1]) || !FtpPorts.digit(b[2])
                || n > 3 && b[3] != ' ' && b[3] != '-') {
            return -1;
        }
        return (b[0] - '0') * 100 + (b[1] - '0') * 10 + b[2] - '0';
    }

    private void reply(byte[] b, int n, boolean cut) {
        int code = codeOf(b, n);
        boolean dash = code >= 0 && n > 3 && b[3] == '-';
        if (multiCode >= 0) {
            FtpTransaction tx = replyTx;
            tx.addLine(b, 0, n, code, config.maxReplyLines());
            if (cut) {
                event(tx, 1, FtpEvent.RESPONSE_COMMAND_TOO_LONG);
            }
            if (code == multiCode && !dash) {
                multiCode = -1;
                replyTx = null;
                complete(tx, code, b, n);
            }
            return;
        }
        // the server's first reply is its greeting (RFC 959 5.4: 120 then 220, or 220), whatever the client sent
        FtpTransaction tx = greeted ? open.peekFirst() : greeting;
        if (code < 0) {
            if (tx != null) {
                tx.addLine(b, 0, n, -1, config.maxReplyLines());
            }
            event(tx, 1, FtpEvent.INVALID_REPLY);
            return;
        }
        if (tx == null) {
            tx = obtain();
            if (!greeted) {
                greeting = tx;
            }
        }
        tx.addLine(b, 0, n, code, config.maxReplyLines());
        if (cut) {
            event(tx, 1, FtpEvent.RESPONSE_COMMAND_TOO_LONG);
        }
        if (dash) {
            multiCode = code;
            replyTx = tx;
            return;
        }
        complete(tx, code, b, n);
    }

    /** A whole reply (its last line b[0, n)) came for tx. */
    private void complete(FtpTransaction tx, int code, byte[] b, int n) {
        tx.code = code;
        tx.replyReceived = true;
        listener.reply(tx);
        if (!tx.hasRequest) {
            if (tx == greeting) {
                if (code >= 100 && code < 200) {
                    return;
                }
                greeting = null;
                greeted = true;
            }
            done(tx);
            return;
        }
        FtpDataChannel c = null;
        if (code >= 200 && code < 300 && tx.command != null) {
            switch (tx.command) {
                case PORT -> c = FtpPorts.port(tx.request.a, tx.argOff, tx.request.len);
                case EPRT -> c = FtpPorts.eprt(tx.request.a, tx.argOff, tx.request.len);
                case PASV -> c = code == 227 ? FtpPorts.pasv(b, n) : null;
                case EPSV -> c = code == 229 ? FtpPorts.epsv(b, n) : null;
                default -> {
                }
            }
        }
        if (c != null) {
            tx.dynamicPort = c.port;
            tx.mode = c.active ? 1 : 2;
            channel = c;
            listener.dataChannel(tx, c);
        }
        boolean preliminary = code >= 100 && code < 200;
        if (tx.command == FtpCommand.AUTH_TLS && !preliminary) {
            waitTls = false;
            if (code == 234) {
                tls = true;
                held.clear();
            }
        }
        if (preliminary) {
            return;
        }
        open.remove(tx);
        done(tx);
        if (tls) {
            listener.tls();
        } else if (held.len > 0 && !waitTls) {
            byte[] h = Arrays.copyOf(held.a, held.len); // AUTH TLS refused: the client's bytes are commands again
            held.clear();
            data(0, h, 0, h.length);
        }
    }

    private void done(FtpTransaction tx) {
        tx.done = true;
        listener.transactionDone(tx);
        pool.push(tx);
    }

    private void event(FtpTransaction tx, int dir, FtpEvent e) {
        long bit = 1L << e.ordinal();
        if (tx != null) {
            if ((tx.events & bit) != 0) {
                return;
            }
            tx.events |= bit;
        } else {
            if ((connectionEvents & bit) != 0) {
                return;
            }
            connectionEvents |= bit;
        }
        listener.event(tx, dir, e);
    }
}
