package io.judo.engine.output;

import io.judo.engine.detect.AppLayer;
import java.util.function.Consumer;

/**
 * What the EVE logs of the application layers share: a line sink and a count of the records written. Each subclass
 * hears its protocol's transactions and decides when a record is due and what it holds.
 */
abstract class EveRecordLog implements AppLayer.Transactions {
    private final Consumer<String> out;
    private long logged;

    /** @param out receives each EVE line (without a line end) */
    EveRecordLog(Consumer<String> out) {
        this.out = out;
    }

    /** Writes one record. */
    final void emit(String line) {
        logged++;
        out.accept(line);
    }

    /** Records logged. */
    public final long logged() {
        return logged;
    }
}
