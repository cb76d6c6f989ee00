package io.judo.engine.output;

import io.judo.applayer.http.HttpTransaction;
import io.judo.engine.detect.AppLayer;
import io.judo.engine.detect.HttpFields;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import java.util.function.Consumer;

/**
 * EVE {@code http} records: one line per HTTP transaction when it is done (both sides complete, or its flow ended),
 * with the client as source, as Suricata's eve-log {@code http} type writes them. The line goes to {@code out} on
 * the partition's thread. Its time is the flow's last packet: the one that completed the transaction, or the last
 * one before the flow timed out or the input ended (so the line is the same however flows are spread over workers).
 */
public final class HttpLog implements AppLayer.Transactions {
    private final Consumer<String> out;
    private long logged;

    /** @param out receives each EVE line (without a line end) */
    public HttpLog(Consumer<String> out) {
        this.out = out;
    }

    @Override
    public void http(Flow f, HttpTransaction tx, AppLayer.HttpProgress progress) {
        if (progress != AppLayer.HttpProgress.DONE) {
            return;
        }
        logged++;
        out.accept(EveWriter.httpLine(f.lastSeen(), f.id(), Addresses.format(f.clientAddress()), f.clientPort(),
                Addresses.format(f.serverAddress()), f.serverPort(), HttpFields.of(tx)));
    }

    /** Transactions logged. */
    public long logged() {
        return logged;
    }
}
