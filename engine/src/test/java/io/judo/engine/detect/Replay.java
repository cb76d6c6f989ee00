package io.judo.engine.detect;

import io.judo.packet.capture.CaptureReader;
import io.judo.packet.capture.Captures;
import io.judo.packet.capture.PacketRecord;
import io.judo.packet.capture.ReadStatus;
import io.judo.packet.decode.LinkType;
import io.judo.packet.decode.PacketDecoder;
import io.judo.packet.decode.PacketView;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;

/** Feeds decoded packets to a test's engine: from a capture file, or from built Ethernet frames 1 ms apart. */
final class Replay {
    /** Receives one decoded packet. */
    interface Sink {
        void packet(PacketView v, long timeNanos);
    }

    private Replay() {
    }

    /** Writes the seeded generator's mix of {@code packets} packets to {@code dir/mix.pcap}. */
    static Path generated(Path dir, long seed, int packets) throws IOException {
        Path capture = dir.resolve("mix.pcap");
        try (java.io.OutputStream out = java.nio.file.Files.newOutputStream(capture)) {
            new io.judo.packet.build.TrafficGenerator(seed).write(out, packets, Long.MAX_VALUE);
        }
        return capture;
    }

    static void capture(Path file, boolean checksums, Sink sink) throws IOException {
        try (CaptureReader reader = Captures.open(file)) {
            PacketDecoder decoder = new PacketDecoder(checksums);
            PacketView v = new PacketView();
            PacketRecord r = new PacketRecord();
            while (reader.next(r) == ReadStatus.RECORD) {
                sink.packet(decoder.decode(r, v), r.timestampNanos());
            }
        }
    }

    static void frames(List<byte[]> frames, Sink sink) {
        PacketDecoder decoder = new PacketDecoder(true);
        PacketView v = new PacketView();
        long t = 1_700_000_000_000_000_000L;
        for (byte[] f : frames) {
            decoder.decode(ByteBuffer.wrap(f), 0, f.length, f.length, LinkType.ETHERNET, v);
            sink.packet(v, t += 1_000_000);
        }
    }

    /** Built frames at their own times (a conversation's clock). */
    static void timed(List<io.judo.packet.build.TcpConversation.Frame> frames, Sink sink) {
        PacketDecoder decoder = new PacketDecoder(true);
        PacketView v = new PacketView();
        for (io.judo.packet.build.TcpConversation.Frame f : frames) {
            byte[] b = f.bytes();
            decoder.decode(ByteBuffer.wrap(b), 0, b.length, b.length, LinkType.ETHERNET, v);
            sink.packet(v, f.timestampNanos());
        }
    }

    /**
     * The alerts {@code rules} (every one must load) raise over {@code frames} through a Suricata stage of its own,
     * with the DFA prefilter.
     */
    static List<Alert> alerts(String rules, String name, List<byte[]> frames) {
        return alerts(rules, name, sink -> frames(frames, sink));
    }

    /** The alerts {@code rules} raise over the packets of capture {@code file} (checksums not checked). */
    static List<Alert> alerts(String rules, String name, Path file) {
        return alerts(rules, name, sink -> {
            try {
                capture(file, false, sink);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }

    /** The alerts {@code rules} raise over the packets {@code feed} gives a sink. */
    static List<Alert> alerts(String rules, String name, java.util.function.Consumer<Sink> feed) {
        io.judo.rules.suricata.RuleLoader loader = new io.judo.rules.suricata.RuleLoader(
                io.judo.rules.suricata.Variables.defaults(), null, true).load(rules, name);
        org.junit.jupiter.api.Assertions.assertTrue(loader.errors().isEmpty(), () -> loader.errors().get(0).display());
        org.junit.jupiter.api.Assertions.assertEquals(rules.lines().filter(l -> !l.isBlank()).count(),
                loader.rules().size(), "every rule loads");
        io.judo.rules.suricata.CompiledRuleSet set = io.judo.rules.suricata.RuleSetCompiler.compile(loader.rules());
        List<Alert> alerts = new java.util.ArrayList<>();
        try (Detector d = new Detector(set, io.judo.matcher.Engine.DFA, io.judo.reassembly.StreamConfig.defaults(),
                true, alerts::add)) {
            feed.accept(d::packet);
            d.finish();
        }
        return alerts;
    }

    /** Alerts counted by rule sid, in sid order. */
    static java.util.Map<Long, Integer> bySid(List<Alert> alerts) {
        java.util.Map<Long, Integer> m = new java.util.TreeMap<>();
        alerts.forEach(a -> m.merge(a.rule().sid(), 1, Integer::sum));
        return m;
    }

    /** The shared ET Open rule set beside the checkout. */
    static final Path ET_OPEN = Path.of("../../shared/data/rules/et-open");

    /** The enabled ET Open rule with this sid, as its file has it (the test is skipped without the shared rules). */
    static String etRule(long sid) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isDirectory(ET_OPEN),
                "the shared ET Open rules are beside the checkout");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(ET_OPEN)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".rules")).sorted().toList()) {
                for (String line : java.nio.file.Files.readAllLines(f, java.nio.charset.StandardCharsets.UTF_8)) {
                    if (line.startsWith("alert") && line.contains("sid:" + sid + ";")) {
                        return line;
                    }
                }
            }
        }
        throw new AssertionError("no ET Open rule " + sid);
    }
}
