package io.judo.engine.output;

import io.judo.applayer.tls.TlsSession;
import io.judo.engine.detect.AppLayer;
import io.judo.engine.detect.TlsFields;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import java.util.function.Consumer;

/**
 * EVE {@code tls} records: one per TLS session, from the client to the server, when the handshake is over (both
 * sides encrypted) or the flow ends, as Suricata's eve-log {@code tls} type writes it ({@link EveWriter#tlsLine}); on
 * the partition's thread, timed by the flow's last packet. A session in which no hello was seen is not logged.
 */
public final class TlsLog extends EveRecordLog {
    /** @param out receives each EVE line (without a line end) */
    public TlsLog(Consumer<String> out) {
        super(out);
    }

    @Override
    public void tls(Flow f, TlsSession s, AppLayer.TlsProgress progress) {
        if (progress != AppLayer.TlsProgress.DONE || !s.client().present() && !s.server().present()) {
            return;
        }
        emit(EveWriter.tlsLine(f.lastSeen(), f.id(), Addresses.format(f.clientAddress()), f.clientPort(),
                Addresses.format(f.serverAddress()), f.serverPort(), f.protocol(), TlsFields.of(s)));
    }
}
