package io.judo.cli;

import io.judo.engine.output.JsonWriter;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import io.judo.reassembly.StreamEvent;
import io.judo.reassembly.StreamSink;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Writes each reassembled flow direction to its own file, named as tcpflow names them
 * ({@code SRCIP.SRCPORT-DSTIP.DSTPORT}, IPv4 octets to three digits, ports to five; a reused name gets
 * {@code -c2}, {@code -c3}...), with gaps left as zero bytes so that a file offset is the stream offset, and collects
 * the manifest entries. At most {@link #MAX_OPEN} files are open at once (a capture may hold far more concurrent
 * flows than the process may open files): the least recently written one is closed and reopened when it gets data
 * again, as tcpflow does.
 */
final class StreamFiles implements StreamSink {
    /** Open stream files at most; well under the usual 1,024-descriptor limit. */
    static final int MAX_OPEN = 512;

    /** One manifest entry. */
    static final class Entry {
        String file;
        String src;
        int sport;
        String dst;
        int dport;
        long bytes;
        final List<long[]> gaps = new ArrayList<>();
        final Map<String, Long> events = new LinkedHashMap<>();
        MessageDigest sha;
        FileChannel channel;
        String sha256;
    }

    private final Path dir;
    private final Map<Flow, Entry[]> open = new HashMap<>();
    private final Map<String, Integer> names = new HashMap<>();
    /** Entries whose channel is open, least recently written first. */
    private final LinkedHashMap<Entry, Boolean> openFiles = new LinkedHashMap<>(MAX_OPEN * 2, 0.75f, true);
    final List<Entry> finished = new ArrayList<>();

    StreamFiles(Path dir) {
        this.dir = dir;
    }

    private Entry entry(Flow f, int direction) {
        Entry[] pair = open.computeIfAbsent(f, k -> new Entry[2]);
        if (pair[direction] == null) {
            Entry e = new Entry();
            boolean fromClient = direction == 0;
            byte[] src = fromClient ? f.clientAddress() : f.serverAddress();
            byte[] dst = fromClient ? f.serverAddress() : f.clientAddress();
            e.src = Addresses.format(src);
            e.dst = Addresses.format(dst);
            e.sport = fromClient ? f.clientPort() : f.serverPort();
            e.dport = fromClient ? f.serverPort() : f.clientPort();
            String name = endpoint(src, e.sport) + "-" + endpoint(dst, e.dport);
            int seen = names.merge(name, 1, Integer::sum);
            e.file = seen == 1 ? name : name + "-c" + seen;
            try {
                e.sha = MessageDigest.getInstance("SHA-256");
            } catch (NoSuchAlgorithmException ex) {
                throw new IllegalStateException(ex);
            }
            open(e, StandardOpenOption.TRUNCATE_EXISTING);
            pair[direction] = e;
        }
        return pair[direction];
    }

    /** Opens (or reopens) an entry's file, closing the least recently written one when too many are open. */
    private void open(Entry e, StandardOpenOption mode) {
        try {
            if (openFiles.size() >= MAX_OPEN) {
                Entry oldest = openFiles.keySet().iterator().next();
                openFiles.remove(oldest);
                oldest.channel.close();
                oldest.channel = null;
            }
            e.channel = FileChannel.open(dir.resolve(e.file), StandardOpenOption.CREATE, mode,
                    StandardOpenOption.WRITE);
            openFiles.put(e, Boolean.TRUE);
        } catch (IOException ex) {
            throw written(ex);
        }
    }

    /** The entry's channel, reopened if it was closed to stay under {@link #MAX_OPEN}. */
    private FileChannel channel(Entry e) {
        if (e.channel == null) {
            open(e, StandardOpenOption.WRITE);
        } else {
            openFiles.get(e); // access order: now the most recently used
        }
        return e.channel;
    }

    /** A failed write of a stream file (disk full, no permission...): the user's problem to fix, said in one line. */
    private UserError written(IOException ex) {
        return new UserError(dir + ": cannot write a stream file: " + RuleOptions.describe(ex));
    }

    static String endpoint(byte[] address, int port) {
        if (address.length == 4) {
            return String.format("%03d.%03d.%03d.%03d.%05d", address[0] & 0xff, address[1] & 0xff, address[2] & 0xff,
                    address[3] & 0xff, port);
        }
        return Addresses.format(address) + "." + String.format("%05d", port);
    }

    @Override
    public void data(Flow flow, int direction, long offset, byte[] data, int from, int length) {
        Entry e = entry(flow, direction);
        try {
            ByteBuffer b = ByteBuffer.wrap(data, from, length);
            long at = offset;
            FileChannel channel = channel(e);
            while (b.hasRemaining()) {
                at += channel.write(b, at);
            }
        } catch (IOException ex) {
            throw written(ex);
        }
        e.sha.update(data, from, length);
        e.bytes = offset + length;
    }

    @Override
    public void gap(Flow flow, int direction, long offset, long length) {
        Entry e = entry(flow, direction);
        e.gaps.add(new long[] {offset, length});
        byte[] zeros = new byte[(int) Math.min(length, 65536)];
        for (long left = length; left > 0; left -= zeros.length) {
            e.sha.update(zeros, 0, (int) Math.min(left, zeros.length));
        }
        e.bytes = offset + length;
    }

    @Override
    public void event(Flow flow, int direction, StreamEvent event, long offset) {
        Entry[] pair = open.get(flow);
        if (pair != null && pair[direction] != null) {
            pair[direction].events.merge(event.label(), 1L, Long::sum);
        } else if (event != StreamEvent.FIN && event != StreamEvent.RST) {
            // An anomaly before any data (say every segment was a refused decoy) still gets its manifest entry,
            // with an empty file; a plain FIN or RST on a direction that sent nothing does not.
            entry(flow, direction).events.merge(event.label(), 1L, Long::sum);
        }
    }

    /** The flow ended: close its files and keep their manifest entries. */
    void end(Flow flow) {
        Entry[] pair = open.remove(flow);
        if (pair == null) {
            return;
        }
        for (Entry e : pair) {
            if (e == null) {
                continue;
            }
            try {
                FileChannel channel = channel(e);
                if (channel.size() < e.bytes) {
                    channel.write(ByteBuffer.wrap(new byte[1]), e.bytes - 1); // a trailing gap still has its zeros
                }
                channel.close();
                e.channel = null;
                openFiles.remove(e);
            } catch (IOException ex) {
                throw written(ex);
            }
            e.sha256 = HexFormat.of().formatHex(e.sha.digest());
            finished.add(e);
        }
    }

    /** The manifest as JSON. */
    String manifest() {
        return manifest(Map.of());
    }

    /** The manifest, with the defragmenter's counters under "fragments" when given. */
    String manifest(Map<String, Long> fragments) {
        return manifest(List.of(this), fragments);
    }

    /**
     * The manifest of several workers' stream files (each worker wrote its own flows'), with the defragmenters'
     * summed counters under "fragments" when given. Streams are listed by file name, so the manifest is the same
     * whichever worker wrote a stream and in whatever order the streams ended.
     */
    static String manifest(List<StreamFiles> parts, Map<String, Long> fragments) {
        List<Entry> finished = new ArrayList<>();
        parts.forEach(p -> finished.addAll(p.finished));
        finished.sort(java.util.Comparator.comparing(e -> e.file));
        StringBuilder sb = new StringBuilder();
        JsonWriter j = new JsonWriter(sb);
        j.beginObject();
        if (!fragments.isEmpty()) {
            j.name("fragments").beginObject();
            for (Map.Entry<String, Long> c : fragments.entrySet()) {
                j.name(c.getKey()).value(c.getValue());
            }
            j.endObject();
        }
        j.name("streams").beginArray();
        for (Entry e : finished) {
            j.beginObject();
            j.name("file").value(e.file);
            j.name("src").value(e.src);
            j.name("sport").value(e.sport);
            j.name("dst").value(e.dst);
            j.name("dport").value(e.dport);
            j.name("bytes").value(e.bytes);
            j.name("gaps").beginArray();
            for (long[] g : e.gaps) {
                j.beginArray().value(g[0]).value(g[1]).endArray();
            }
            j.endArray();
            j.name("sha256").value(e.sha256);
            j.name("events").beginObject();
            for (Map.Entry<String, Long> ev : e.events.entrySet()) {
                j.name(ev.getKey()).value(ev.getValue());
            }
            j.endObject();
            j.endObject();
        }
        j.endArray().endObject();
        return sb.append('\n').toString();
    }
}
