package io.judo.engine.output;

import io.judo.applayer.http.HttpTransaction;
import io.judo.engine.detect.AppLayer;
import io.judo.engine.detect.HttpFields;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * EVE {@code http} records: one line per HTTP transaction when it is done (both sides complete, or its flow ended),
 * with the client as source, as Suricata's eve-log {@code http} type writes them. The line goes to {@code out} on
 * the partition's thread; the time is the partition's clock (the packet that completed the transaction).
 */
public final class HttpLog implements AppLayer.Transactions {
    private final LongSupplier clock;
    private final Consumer<String> out;
    private long logged;

    /**
     * @param clock the capture time of the packet being processed, ns since the epoch
     * @param out receives each EVE line (without a line end)
     */
    public HttpLog(LongSupplier clock, Consumer<String> out) {
        this.clock = clock;
        this.out = out;
    }

    @Override
    public void http(Flow f, HttpTransaction tx, AppLayer.HttpProgress progress) {
        if (progress != AppLayer.HttpProgress.DONE) {
            return;
        }
        logged++;
        out.accept(EveWriter.httpLine(clock.getAsLong(), f.id(), Addresses.format(f.clientAddress()), f.clientPort(),
                Addresses.format(f.serverAddress()), f.serverPort(), HttpFields.of(tx)));
    }

    /** Transactions logged. */
    public long logged() {
        return logged;
    }
}
