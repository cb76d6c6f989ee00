package io.judo.engine.output;

import io.judo.applayer.ssh.SshSession;
import io.judo.engine.detect.AppLayer;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import java.util.function.Consumer;

/**
 * EVE {@code ssh} records: one per SSH connection, from the client to the server, when both sides are encrypted or
 * the flow ends, as Suricata's eve-log {@code ssh} type writes it ({@link EveWriter#sshLine}); on the partition's
 * thread, timed by the flow's last packet. A connection in which no banner was seen is not logged.
 */
public final class SshLog extends EveRecordLog {
    /** @param out receives each EVE line (without a line end) */
    public SshLog(Consumer<String> out) {
        super(out);
    }

    @Override
    public void ssh(Flow f, SshSession s, AppLayer.SshProgress progress) {
        if (progress == AppLayer.SshProgress.DONE && (s.bannerSeen(0) || s.bannerSeen(1))) {
            emit(EveWriter.sshLine(f.lastSeen(), f.id(), Addresses.format(f.clientAddress()), f.clientPort(),
                    Addresses.format(f.serverAddress()), f.serverPort(), f.protocol(), s));
        }
    }
}
