package io.judo.packet.testing;

import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.DecodeCounters;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import io.judo.packet.decode.Protocol;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/** Judo's own per-protocol counts of a capture, keyed like {@link TsharkCounts}. */
public final class Counted {
    private Counted() {
    }

    public static DecodeCounters counters(Path capture) throws IOException {
        DecodeCounters c = new DecodeCounters();
        PacketDecoder decoder = new PacketDecoder(true);
        PacketView view = new PacketView();
        PacketRecord record = new PacketRecord();
        try (CaptureReader r = Captures.open(capture)) {
            ReadStatus s;
            while ((s = r.next(record)) == ReadStatus.RECORD) {
                c.count(decoder.decode(record, view));
            }
            if (s != ReadStatus.END) {
                throw new IOException(capture + ": " + r.problem());
            }
        }
        return c;
    }

    /** Counts of the protocols tshark also names, zero counts left out (tshark's map has no zero entries). */
    public static Map<String, Long> of(Path capture) throws IOException {
        DecodeCounters c = counters(capture);
        Map<String, Long> m = new TreeMap<>();
        m.put("packets", c.packets());
        for (Protocol p : Protocol.values()) {
            if (p != Protocol.OTHER_L3 && p != Protocol.OTHER_L4 && c.count(p) > 0) {
                m.put(p.label(), c.count(p));
            }
        }
        return m;
    }
}
