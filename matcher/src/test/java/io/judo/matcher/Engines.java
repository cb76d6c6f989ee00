package io.judo.matcher;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/** Runs a database over inputs, whole or in chunks, collecting sorted hits (test helper). */
final class Engines {
    private Engines() {
    }

    static ByteBuffer direct(byte[] bytes) {
        ByteBuffer b = ByteBuffer.allocateDirect(Math.max(1, bytes.length));
        b.put(bytes).flip();
        return b;
    }

    static List<Oracle.Hit> block(PatternDatabase db, byte[] input) {
        List<Oracle.Hit> hits = new ArrayList<>();
        try (Scanner s = db.scanner()) {
            s.scan(direct(input), 0, input.length, (id, start, end) -> hits.add(new Oracle.Hit(id, end)));
        }
        hits.sort(null);
        return hits;
    }

    /** Streams the input cut at the given offsets. */
    static List<Oracle.Hit> stream(PatternDatabase db, byte[] input, int... cuts) {
        List<Oracle.Hit> hits = new ArrayList<>();
        ByteBuffer buf = direct(input);
        try (Scanner s = db.scanner()) {
            StreamState st = s.openStream();
            int from = 0;
            for (int cut : cuts) {
                s.scan(st, buf, from, cut - from, (id, start, end) -> hits.add(new Oracle.Hit(id, end)));
                from = cut;
            }
            s.scan(st, buf, from, input.length - from, (id, start, end) -> hits.add(new Oracle.Hit(id, end)));
            s.close(st, (id, start, end) -> hits.add(new Oracle.Hit(id, end)));
        }
        hits.sort(null);
        return hits;
    }
}
