package io.judo.cli;

import io.judo.engine.output.JsonWriter;
import io.judo.engine.CaptureScanner;
import io.judo.engine.ChecksumDecision;
import io.judo.engine.ChecksumMode;
import io.judo.engine.FileOutcome;
import io.judo.packet.decode.DecodeCounters;
import io.judo.packet.decode.Malformed;
import io.judo.packet.decode.Protocol;
import java.util.Locale;

/** Formats a scanner's results as the text summary or the JSON object of {@code judo scan}. */
final class ScanReport {
    private final CaptureScanner scanner;
    private final DecodeCounters c;
    private final double seconds;

    ScanReport(CaptureScanner scanner) {
        this(scanner, 0);
    }

    /** {@code drainNanos}: the time workers took, after the last packet was read, to finish the ones handed over. */
    ScanReport(CaptureScanner scanner, long drainNanos) {
        this.scanner = scanner;
        this.c = scanner.counters();
        this.seconds = Math.max(scanner.elapsedNanos() + drainNanos, 1) / 1e9;
    }

    double packetsPerSecond() {
        return c.packets() / seconds;
    }

    double gbitsPerSecond() {
        return c.bytes() * 8 / seconds / 1e9;
    }

    String text() {
        StringBuilder sb = new StringBuilder();
        for (FileOutcome o : scanner.outcomes()) {
            line(sb, "file", o.name() + (o.format() != null ? "  " + o.format() : "") + "  " + o.packets()
                    + " packets" + (o.complete() ? "" : o.failed() ? "  (not read)"
                            : o.interrupted() ? "  (interrupted)" : "  (ended early)"));
        }
        line(sb, "packets", String.format(Locale.ROOT, "%,d", c.packets()));
        line(sb, "bytes", String.format(Locale.ROOT, "%,d captured, %,d on the wire", c.bytes(), c.wireBytes()));
        line(sb, "flows", String.format(Locale.ROOT, "%,d", scanner.flows()));
        StringBuilder protocols = new StringBuilder();
        for (Protocol p : Protocol.values()) {
            long n = c.count(p);
            if (n > 0) {
                protocols.append(protocols.length() == 0 ? "" : "  ").append(p.label()).append(' ').append(n);
            }
        }
        line(sb, "protocols", protocols.length() == 0 ? "none" : protocols.toString());
        StringBuilder malformed = new StringBuilder(String.format(Locale.ROOT, "%,d packets", c.malformedPackets()));
        for (Malformed m : Malformed.values()) {
            long n = c.count(m);
            if (n > 0) {
                malformed.append("  ").append(m.label()).append(' ').append(n);
            }
        }
        line(sb, "malformed", malformed.toString());
        checksumsText(sb);
        line(sb, "elapsed", String.format(Locale.ROOT, "%.3f s  %s packets/s  %.3f Gbit/s", seconds,
                humane(packetsPerSecond()), gbitsPerSecond()));
        return sb.toString();
    }

    /**
     * The checksum decision: for one capture {@code auto: off after 1,000 packets, 412 bad (offloading)}; for
     * several, how many were validated and one line per capture where auto turned validation off.
     */
    private void checksumsText(StringBuilder sb) {
        java.util.List<ChecksumDecision> d = scanner.checksums();
        if (d.isEmpty()) {
            return;
        }
        if (d.size() == 1 || scanner.checksumMode() != ChecksumMode.AUTO) {
            line(sb, "checksums", d.get(0).text());
            return;
        }
        long on = d.stream().filter(ChecksumDecision::validate).count();
        long sampled = d.stream().filter(ChecksumDecision::validate).mapToLong(ChecksumDecision::sampled).sum();
        long bad = d.stream().filter(ChecksumDecision::validate).mapToLong(ChecksumDecision::bad).sum();
        line(sb, "checksums", String.format(Locale.ROOT, "auto: on for %d of %d captures (%,d bad of %,d packets "
                + "sampled), off for %d (offloading)%s", on, d.size(), bad, sampled, d.size() - on,
                on == d.size() ? "" : ":"));
        for (int i = 0; i < d.size(); i++) {
            if (!d.get(i).validate()) {
                line(sb, "", "  " + scanner.checksumCaptures().get(i) + ": " + d.get(i).counts());
            }
        }
    }

    /** The checksum mode and, per capture, the decision and its counts. */
    private void checksumsJson(JsonWriter j) {
        j.name("checksums").beginObject();
        j.name("mode").value(scanner.checksumMode().text());
        j.name("captures").beginArray();
        for (int i = 0; i < scanner.checksums().size(); i++) {
            ChecksumDecision d = scanner.checksums().get(i);
            j.beginObject();
            j.name("name").value(scanner.checksumCaptures().get(i));
            j.name("validated").value(d.validate());
            if (d.mode() == ChecksumMode.AUTO) {
                j.name("sampled").value(d.sampled());
                j.name("bad").value(d.bad());
            }
            j.endObject();
        }
        j.endArray();
        j.endObject();
    }

    private static void line(StringBuilder sb, String label, String value) {
        sb.append(String.format(Locale.ROOT, "%-10s %s%n", label, value));
    }

    private static String humane(double v) {
        if (v >= 1e6) {
            return String.format(Locale.ROOT, "%.2f M", v / 1e6);
        }
        if (v >= 1e3) {
            return String.format(Locale.ROOT, "%.1f k", v / 1e3);
        }
        return String.format(Locale.ROOT, "%.0f", v);
    }

    String json() {
        return json(j -> { });
    }

    /** The JSON object, {@code more} adding members after the scan's own (detection's sections). */
    String json(java.util.function.Consumer<JsonWriter> more) {
        StringBuilder sb = new StringBuilder();
        JsonWriter j = new JsonWriter(sb);
        j.beginObject();
        j.name("packets").value(c.packets());
        j.name("bytes").value(c.bytes());
        j.name("wire_bytes").value(c.wireBytes());
        j.name("flows").value(scanner.flows());
        j.name("protocols").beginObject();
        for (Protocol p : Protocol.values()) {
            j.name(p.label()).value(c.count(p));
        }
        j.endObject();
        j.name("malformed_packets").value(c.malformedPackets());
        j.name("malformed").beginObject();
        for (Malformed m : Malformed.values()) {
            if (c.count(m) > 0) {
                j.name(m.label()).value(c.count(m));
            }
        }
        j.endObject();
        checksumsJson(j);
        j.name("elapsed_seconds").value(seconds);
        j.name("packets_per_second").value(Math.round(packetsPerSecond()));
        j.name("gbits_per_second").value(gbitsPerSecond());
        j.name("files").beginArray();
        for (FileOutcome o : scanner.outcomes()) {
            j.beginObject();
            j.name("name").value(o.name());
            j.name("format").value(o.format());
            j.name("packets").value(o.packets());
            j.name("status").value(o.failed() ? "unreadable" : o.complete() ? "complete"
                    : o.interrupted() ? "interrupted" : o.ending().name().toLowerCase(Locale.ROOT));
            if (o.problem() != null) {
                j.name("problem").value(o.problem());
            }
            if (o.problemOffset() >= 0) {
                j.name("problem_offset").value(o.problemOffset());
            }
            j.endObject();
        }
        j.endArray();
        more.accept(j);
        j.endObject();
        sb.append('\n');
        return sb.toString();
    }
}
