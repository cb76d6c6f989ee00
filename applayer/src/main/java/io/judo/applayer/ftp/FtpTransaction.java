package io.judo.applayer.ftp;

import io.judo.applayer.ByteBuilder;
import io.judo.applayer.Slice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * One command and its replies, as Suricata counts FTP transactions; a reply with no command waiting (the greeting)
 * is a transaction without a command. Buffers come out of {@link #fill} as slices over the transaction's own storage,
 * valid until {@link FtpListener#transactionDone} returns (the parser reuses the object).
 */
public final class FtpTransaction {
    long id;
    final ByteBuilder request = new ByteBuilder();
    boolean hasRequest;
    int verbLen;
    /** Where the argument starts in {@link #request}, or request.len when there is none. */
    int argOff;
    FtpCommand command;
    boolean requestTruncated;
    final ByteBuilder replies = new ByteBuilder();
    int[] lineOff = new int[4];
    int[] lineLen = new int[4];
    int[] lineCode = new int[4];
    int lines;
    int linesSeen;
    int code = -1;
    boolean replyReceived;
    boolean done;
    int dynamicPort;
    /** 0 none, 1 active, 2 passive. */
    int mode;
    long events;

    void reset(long id) {
        this.id = id;
        request.clear();
        hasRequest = false;
        verbLen = 0;
        argOff = 0;
        command = null;
        requestTruncated = false;
        replies.clear();
        lines = 0;
        linesSeen = 0;
        code = -1;
        replyReceived = false;
        done = false;
        dynamicPort = 0;
        mode = 0;
        events = 0;
    }

    void addLine(byte[] b, int off, int len, int lineCodeOrMinus, int max) {
        linesSeen++;
        if (lines == max) {
            return;
        }
        if (lines == lineOff.length) {
            lineOff = Arrays.copyOf(lineOff, lines * 2);
            lineLen = Arrays.copyOf(lineLen, lines * 2);
            lineCode = Arrays.copyOf(lineCode, lines * 2);
        }
        lineOff[lines] = replies.len;
        lineLen[lines] = len;
        lineCode[lines] = lineCodeOrMinus;
        lines++;
        replies.add(b, off, len);
    }

    /**
     * Points {@code out} at buffer {@code b}.
     *
     * @return whether the transaction has it (only known commands have either; command_data only when not empty)
     */
    public boolean fill(FtpBuffer b, Slice out) {
        if (command == null) {
            return false;
        }
        if (b == FtpBuffer.COMMAND) {
            out.set(command.bytes(), 0, command.bytes().length);
            return true;
        }
        int from = command == FtpCommand.AUTH_TLS ? Math.min(request.len, 9) : argOff;
        if (from >= request.len) {
            return false;
        }
        out.set(request.a, from, request.len - from);
        return true;
    }

    /** @return the transaction's number in its connection, from 0 */
    public long id() {
        return id;
    }

    /** @return whether a client command opened the transaction (false: an unsolicited reply such as the greeting) */
    public boolean hasRequest() {
        return hasRequest;
    }

    /** @return the known command, or null (unknown verb, or no command) */
    public FtpCommand command() {
        return command;
    }

    /** @return the verb as sent (its case kept), or null without a command */
    public String verb() {
        return hasRequest ? new String(request.a, 0, verbLen, StandardCharsets.ISO_8859_1) : null;
    }

    /** @return the argument as ftp.command_data reads it, or null when empty or the verb is unknown */
    public String commandData() {
        Slice s = new Slice();
        return fill(FtpBuffer.COMMAND_DATA, s) ? s.toString() : null;
    }

    /**
     * @return the IPv4 address a PORT command names (its first four numbers, the command's reply aside), or null
     *     for another command or an argument that does not parse
     */
    public byte[] portAddress() {
        if (command != FtpCommand.PORT) {
            return null;
        }
        FtpDataChannel c = FtpPorts.port(request.a, argOff, request.len);
        return c == null ? null : c.address;
    }

    /** @return the whole command line (trailing white space removed), or null without a command */
    public String requestLine() {
        return hasRequest ? new String(request.a, 0, request.len, StandardCharsets.ISO_8859_1) : null;
    }

    /** @return whether the command line was longer than the line limit */
    public boolean requestTruncated() {
        return requestTruncated;
    }

    /** @return the reply lines kept, each without its code and separator when it has one */
    public List<String> replyLines() {
        List<String> r = new ArrayList<>(lines);
        for (int i = 0; i < lines; i++) {
            int skip = lineCode[i] >= 0 ? Math.min(4, lineLen[i]) : 0;
            r.add(new String(replies.a, lineOff[i] + skip, lineLen[i] - skip, StandardCharsets.ISO_8859_1));
        }
        return r;
    }

    /** @return per reply line kept, its code, or -1 for a line without one (inside a multi-line reply) */
    public int[] lineCodes() {
        return Arrays.copyOf(lineCode, lines);
    }

    /** @return reply lines seen, kept or not */
    public int replyLinesSeen() {
        return linesSeen;
    }

    /** @return the code of the last whole reply, or -1 */
    public int code() {
        return code;
    }

    /** @return whether a final reply came (Suricata's reply_received) */
    public boolean replyReceived() {
        return replyReceived;
    }

    /** @return the data port this command announced (PORT, EPRT, PASV, EPSV), or 0 */
    public int dynamicPort() {
        return dynamicPort;
    }

    /** @return "active", "passive", or null when the command announced no data channel */
    public String mode() {
        return mode == 1 ? "active" : mode == 2 ? "passive" : null;
    }

    /** @param e an event @return whether it was raised in this transaction */
    public boolean hasEvent(FtpEvent e) {
        return (events & 1L << e.ordinal()) != 0;
    }

    /** @return the events raised in this transaction, a bit per {@link FtpEvent} ordinal */
    public long events() {
        return events;
    }
}
