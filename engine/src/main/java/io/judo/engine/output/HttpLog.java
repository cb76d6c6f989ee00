package io.judo.engine.output;

import io.judo.applayer.Slice;
import io.judo.applayer.http.HttpBuffer;
import io.judo.applayer.http.HttpTransaction;
import io.judo.engine.detect.AppLayer;
import io.judo.engine.detect.HttpFields;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import java.util.function.Consumer;

/**
 * EVE {@code http} and {@code fileinfo} records: one {@code http} line per HTTP transaction when it is done (both
 * sides complete, or its flow ended), with the client as source, as Suricata's eve-log {@code http} type writes them,
 * and one {@code fileinfo} line per body it carried, from the body's sender. The line goes to {@code out} on
 * the partition's thread. Its time is the flow's last packet: the one that completed the transaction, or the last
 * one before the flow timed out or the input ended (so the line is the same however flows are spread over workers).
 */
public final class HttpLog implements AppLayer.Transactions {
    private final Consumer<String> out;
    private final boolean http;
    private final boolean files;
    private final Slice body = new Slice();
    private final FileDigest digest = new FileDigest();
    private long logged;

    /**
     * @param out receives each EVE line (without a line end)
     * @param http write an {@code http} line per transaction
     * @param files write a {@code fileinfo} line per body (request or response) a transaction carried
     */
    public HttpLog(Consumer<String> out, boolean http, boolean files) {
        this.out = out;
        this.http = http;
        this.files = files;
    }

    @Override
    public void http(Flow f, HttpTransaction tx, AppLayer.HttpProgress progress) {
        if (progress != AppLayer.HttpProgress.DONE) {
            return;
        }
        logged++;
        HttpFields h = HttpFields.of(tx);
        String client = Addresses.format(f.clientAddress());
        String server = Addresses.format(f.serverAddress());
        if (http) {
            out.accept(EveWriter.httpLine(f.lastSeen(), f.id(), client, f.clientPort(), server, f.serverPort(), h));
        }
        if (files) {
            for (int dir = 0; dir < 2; dir++) {
                long size = dir == 0 ? tx.requestBodyLength() : tx.responseBodyLength();
                if (size <= 0) {
                    continue;
                }
                boolean complete = dir == 0 ? tx.requestComplete() : tx.responseComplete();
                boolean whole = complete && !tx.truncated(dir);
                String sha256 = whole && tx.fill(HttpBuffer.FILE_DATA, dir, body) ? digest.sha256(body) : null;
                out.accept(EveWriter.fileinfoLine(f.lastSeen(), f.id(), dir == 0 ? client : server,
                        dir == 0 ? f.clientPort() : f.serverPort(), dir == 0 ? server : client,
                        dir == 0 ? f.serverPort() : f.clientPort(), h, tx.filename(),
                        whole ? "CLOSED" : "TRUNCATED", size, sha256));
            }
        }
    }

    /** Transactions logged. */
    public long logged() {
        return logged;
    }
}
