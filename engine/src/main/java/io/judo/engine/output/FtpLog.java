package io.judo.engine.output;

import io.judo.applayer.ftp.FtpTransaction;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import java.util.function.Consumer;

/**
 * EVE {@code ftp} records: one per FTP command (and one for the greeting), from the client to the server, when it
 * got its final reply or the flow ended, as Suricata's eve-log {@code ftp} type writes it ({@link
 * EveWriter#ftpLine}); on the partition's thread, timed by the flow's last packet.
 */
public final class FtpLog extends EveRecordLog {
    /** @param out receives each EVE line (without a line end) */
    public FtpLog(Consumer<String> out) {
        super(out);
    }

    @Override
    public void ftp(Flow f, FtpTransaction tx, boolean done) {
        if (done) {
            emit(EveWriter.ftpLine(f.lastSeen(), f.id(), Addresses.format(f.clientAddress()), f.clientPort(),
                    Addresses.format(f.serverAddress()), f.serverPort(), f.protocol(), tx));
        }
    }
}
