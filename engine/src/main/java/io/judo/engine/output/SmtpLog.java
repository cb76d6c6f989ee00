package io.judo.engine.output;

import io.judo.applayer.smtp.SmtpTransaction;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import java.util.function.Consumer;

/**
 * EVE {@code smtp} records: one per mail (SMTP transaction), from the client to the server, when it is over, as
 * Suricata's eve-log {@code smtp} type writes it ({@link EveWriter#smtpLine}); on the partition's thread, timed by
 * the flow's last packet. A transaction with neither envelope nor message (the commands after the last mail) is not
 * logged.
 */
public final class SmtpLog extends EveRecordLog {
    /** @param out receives each EVE line (without a line end) */
    public SmtpLog(Consumer<String> out) {
        super(out);
    }

    @Override
    public void smtp(Flow f, SmtpTransaction tx) {
        if (tx.mailFrom() != null || tx.hasMessage() || tx.rcptCount() > 0) {
            emit(EveWriter.smtpLine(f.lastSeen(), f.id(), Addresses.format(f.clientAddress()), f.clientPort(),
                    Addresses.format(f.serverAddress()), f.serverPort(), f.protocol(), tx));
        }
    }
}
