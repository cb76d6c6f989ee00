package io.judo.engine.output;

import io.judo.applayer.dns.DnsMessage;
import io.judo.engine.detect.AppLayer;
import io.judo.engine.detect.DnsFields;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import java.util.function.Consumer;

/**
 * EVE {@code dns} records: per DNS message, from its sender to its receiver, the {@code query} lines of a request
 * or the {@code answer} line of a response ({@link EveWriter#dnsLines}), as Suricata's eve-log {@code dns} type
 * writes them; on the partition's thread, timed by the flow's last packet (the one that carried the message).
 */
public final class DnsLog implements AppLayer.Transactions {
    private final Consumer<String> out;
    private long logged;

    /** @param out receives each EVE line (without a line end) */
    public DnsLog(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void dns(Flow f, DnsMessage m, long txId) {
        if (!m.hasHeader()) {
            return; // nothing to log: the anomaly is the whole of it
        }
        logged++;
        boolean fromClient = m.direction() == 0;
        String client = Addresses.format(f.clientAddress());
        String server = Addresses.format(f.serverAddress());
        for (String line : EveWriter.dnsLines(f.lastSeen(), f.id(), fromClient ? client : server,
                fromClient ? f.clientPort() : f.serverPort(), fromClient ? server : client,
                fromClient ? f.serverPort() : f.clientPort(), f.protocol(), DnsFields.of(m, txId))) {
            out.accept(line);
        }
    }

    /** Messages logged. */
    public long logged() {
        return logged;
    }
}
