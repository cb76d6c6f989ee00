package io.judo.engine.output;

import io.judo.applayer.Slice;
import io.judo.applayer.smtp.SmtpFile;
import io.judo.applayer.smtp.SmtpTransaction;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import java.util.function.Consumer;

/**
 * EVE {@code smtp} and {@code fileinfo} records of mail: one {@code smtp} record per mail (SMTP transaction), from the
 * client to the server, when it is over, as Suricata's eve-log {@code smtp} type writes it ({@link EveWriter#smtpLine}),
 * and one {@code fileinfo} record per file of the mail, from its sender (the client) with the mail's {@code smtp} and
 * {@code email} objects, as Suricata writes a mail's files; on the partition's thread, timed by the flow's last
 * packet. A transaction with neither envelope nor message (the commands after the last mail) is not logged.
 */
public final class SmtpLog extends EveRecordLog {
    private final boolean smtp;
    private final boolean files;
    private final Slice data = new Slice();
    private final FileDigest digest = new FileDigest();

    /** @param out receives each EVE line (without a line end); only {@code smtp} records */
    public SmtpLog(Consumer<String> out) {
        this(out, true, false);
    }

    /**
     * @param out receives each EVE line (without a line end)
     * @param smtp write an {@code smtp} record per mail
     * @param files write a {@code fileinfo} record per file of a mail
     */
    public SmtpLog(Consumer<String> out, boolean smtp, boolean files) {
        super(out);
        this.smtp = smtp;
        this.files = files;
    }

    @Override
    public void smtp(Flow f, SmtpTransaction tx) {
        if (tx.mailFrom() == null && !tx.hasMessage() && tx.rcptCount() == 0) {
            return;
        }
        String client = Addresses.format(f.clientAddress());
        String server = Addresses.format(f.serverAddress());
        if (smtp) {
            emit(EveWriter.smtpLine(f.lastSeen(), f.id(), client, f.clientPort(), server, f.serverPort(),
                    f.protocol(), tx));
        }
        if (files) {
            for (int i = 0; i < tx.fileCount(); i++) {
                emit(EveWriter.fileinfoLine(f.lastSeen(), f.id(), client, f.clientPort(), server, f.serverPort(),
                        tx.id(), "smtp", j -> EveWriter.smtp(j, tx), fields(tx.file(i))));
            }
        }
    }

    /** A file is CLOSED with its digest only when its end was seen and every byte of it kept, as HTTP's bodies. */
    private EveWriter.FileFields fields(SmtpFile file) {
        boolean whole = file.done() && !file.truncated();
        String name = file.name();
        return new EveWriter.FileFields(name.isEmpty() ? null : name, file.gap(), whole ? "CLOSED" : "TRUNCATED",
                file.size(), whole ? digest.sha256(file.data(data)) : null);
    }
}
