package io.judo.reassembly;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** A sink that rebuilds each direction's bytes (gaps as zeros) and records events and gaps (test helper). */
final class Collect implements StreamSink {
    final ByteArrayOutputStream[] out = {new ByteArrayOutputStream(), new ByteArrayOutputStream()};
    final List<String> events = new ArrayList<>();
    final List<long[]> gaps = new ArrayList<>();

    @Override
    public void data(Flow flow, int direction, long offset, byte[] data, int from, int length) {
        if (offset != out[direction].size()) {
            throw new AssertionError("data at " + offset + " but " + out[direction].size() + " delivered");
        }
        out[direction].write(data, from, length);
    }

    @Override
    public void gap(Flow flow, int direction, long offset, long length) {
        gaps.add(new long[] {direction, offset, length});
        out[direction].write(new byte[(int) length], 0, (int) length);
    }

    @Override
    public void event(Flow flow, int direction, StreamEvent event, long offset) {
        events.add(direction + ":" + event.label() + "@" + offset);
    }

    String text(int direction) {
        return out[direction].toString(java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
