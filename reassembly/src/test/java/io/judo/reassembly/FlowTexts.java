package io.judo.reassembly;

import io.judo.packet.Addresses;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A sink for tests with several flows: each direction's text (a gap as {@code <gap N>}) and every event, keyed
 * {@code "SERVER CLIENTPORT DIRECTION"} (test helper; {@link Collect} serves single-flow tests).
 */
final class FlowTexts implements StreamSink {
    final Map<String, StringBuilder> texts = new TreeMap<>();
    final List<String> events = new ArrayList<>();

    static String key(String server, int clientPort, int direction) {
        return server + " " + clientPort + " " + direction;
    }

    private static String key(Flow flow, int direction) {
        return key(Addresses.format(flow.serverAddress()), flow.clientPort(), direction);
    }

    @Override
    public void data(Flow flow, int direction, long offset, byte[] data, int from, int length) {
        texts.computeIfAbsent(key(flow, direction), k -> new StringBuilder())
                .append(new String(data, from, length, StandardCharsets.ISO_8859_1));
    }

    @Override
    public void gap(Flow flow, int direction, long offset, long length) {
        texts.computeIfAbsent(key(flow, direction), k -> new StringBuilder()).append("<gap ").append(length)
                .append('>');
    }

    @Override
    public void event(Flow flow, int direction, StreamEvent event, long offset) {
        events.add(key(flow, direction) + ":" + event.label());
    }

    /** The direction's text, or null when it delivered nothing. */
    String text(String server, int clientPort, int direction) {
        StringBuilder sb = texts.get(key(server, clientPort, direction));
        return sb == null ? null : sb.toString();
    }
}
