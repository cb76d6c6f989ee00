package io.judo.applayer.smtp;

import io.judo.applayer.Slice;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.TreeSet;

/**
 * A listener that snapshots every transaction when it is done (the parser reuses the object afterwards), checks that
 * the file callbacks agree with what the files keep, and summarizes everything for comparisons.
 */
final class Recorder implements SmtpListener {
    /** One file as it was at the end of its transaction. */
    record FileSnap(String name, byte[] data, long size, boolean truncated, boolean done, String contentType) {
    }

    /** One transaction as it was when done. */
    record TxSnap(long id, String helo, String mailFrom, List<String> rcpt, List<String> headers,
            List<FileSnap> files, TreeSet<String> events, boolean complete, boolean reset, boolean tls) {
    }

    final List<TxSnap> done = new ArrayList<>();
    final List<String> events = new ArrayList<>();
    final List<String> commands = new ArrayList<>();
    long tlsClient = -1;
    long tlsServer = -1;
    private final Slice slice = new Slice();
    private final java.io.ByteArrayOutputStream streamed = new java.io.ByteArrayOutputStream();
    int opened;
    int closed;

    @Override
    public void helo(SmtpTransaction tx) {
        tx.fill(SmtpBuffer.HELO, 0, slice);
        commands.add("helo " + slice);
    }

    @Override
    public void mailFrom(SmtpTransaction tx) {
        tx.fill(SmtpBuffer.MAIL_FROM, 0, slice);
        commands.add("mail_from " + slice);
    }

    @Override
    public void rcptTo(SmtpTransaction tx, int index) {
        tx.fill(SmtpBuffer.RCPT_TO, index, slice);
        commands.add("rcpt_to " + index + " " + slice);
    }

    @Override
    public void fileOpen(SmtpTransaction tx, SmtpFile file) {
        opened++;
        streamed.reset();
    }

    @Override
    public void fileData(SmtpTransaction tx, SmtpFile file, byte[] b, int off, int len) {
        streamed.write(b, off, len);
    }

    @Override
    public void fileDone(SmtpTransaction tx, SmtpFile file) {
        closed++;
        byte[] all = streamed.toByteArray();
        byte[] kept = file.data(slice).toBytes();
        if (all.length != file.size() || !java.util.Arrays.equals(all, 0, kept.length, kept, 0, kept.length)) {
            throw new AssertionError("streamed data and kept data differ for " + file.name());
        }
    }

    @Override
    public void startTls(long clientOffset, long serverOffset) {
        tlsClient = clientOffset;
        tlsServer = serverOffset;
    }

    /** Per direction, the bytes handed over as TLS's first ({@link SmtpListener#tlsData}). */
    final java.io.ByteArrayOutputStream[] tlsData = {new java.io.ByteArrayOutputStream(),
        new java.io.ByteArrayOutputStream()};

    @Override
    public void tlsData(int dir, byte[] b, int off, int len) {
        tlsData[dir].write(b, off, len);
    }

    @Override
    public void transactionDone(SmtpTransaction tx) {
        List<String> headers = new ArrayList<>();
        MimeHeaders h = tx.headers();
        for (int i = 0; i < h.count(); i++) {
            headers.add(h.name(i) + "|" + h.value(i));
        }
        List<FileSnap> files = new ArrayList<>();
        for (int i = 0; i < tx.fileCount(); i++) {
            SmtpFile f = tx.file(i);
            tx.fill(SmtpBuffer.FILE_DATA, i, slice);
            files.add(new FileSnap(f.name(), slice.toBytes(), f.size(), f.truncated(), f.done(),
                f.headers().value("Content-Type")));
        }
        TreeSet<String> ev = new TreeSet<>();
        for (SmtpEvent e : SmtpEvent.values()) {
            if (tx.hasEvent(e)) {
                ev.add(e.name());
            }
        }
        done.add(new TxSnap(tx.id(), tx.helo(), tx.mailFrom(), tx.rcptTo(), headers, files, ev,
            tx.messageComplete(), tx.wasReset(), tx.startedTls()));
    }

    @Override
    public void event(SmtpTransaction txOrNull, int dir, SmtpEvent e) {
        events.add(dir + ":" + e.name());
    }

    /** Everything extracted, as one comparable string (file bytes as base64). */
    String summary() {
        StringBuilder b = new StringBuilder();
        for (TxSnap t : done) {
            b.append("tx ").append(t.id).append(" helo=").append(t.helo).append(" from=").append(t.mailFrom)
                .append(" rcpt=").append(t.rcpt).append(" complete=").append(t.complete).append(" reset=")
                .append(t.reset).append(" tls=").append(t.tls).append(" events=").append(t.events).append('\n');
            b.append("  headers=").append(t.headers).append('\n');
            for (FileSnap f : t.files) {
                b.append("  file ").append(f.name).append(" size=").append(f.size).append(" trunc=")
                    .append(f.truncated).append(" done=").append(f.done).append(' ')
                    .append(Base64.getEncoder().encodeToString(f.data)).append('\n');
            }
        }
        b.append("commands=").append(commands).append('\n');
        b.append("events=").append(new TreeSet<>(events)).append(" tls=").append(tlsClient).append('/')
            .append(tlsServer).append(" files=").append(opened).append('/').append(closed);
        return b.toString();
    }

    static String text(byte[] b) {
        return new String(b, StandardCharsets.ISO_8859_1);
    }
}
