package io.judo.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.capture.Captures;
import io.judo.packet.decode.Malformed;
import io.judo.packet.decode.Protocol;
import io.judo.packet.testing.SharedData;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Sharded scanners (each reads every record, takes its own packets) add up to one scanner: the same packets, bytes,
 * protocols, malformed reasons and distinct flows, each packet given to exactly one shard's listener.
 */
class CaptureScannerShardTest {
    private static void assertShardsAddUp(String name, CaptureScanner.Opener opener, int shards) {
        CaptureScanner whole = new CaptureScanner(ChecksumMode.AUTO);
        long[] seen = new long[1];
        whole.listener((v, t) -> seen[0]++).scan(name, opener, ScanProgress.NONE);
        List<CaptureScanner> parts = new ArrayList<>();
        long[] given = new long[1];
        for (int i = 0; i < shards; i++) {
            CaptureScanner s = new CaptureScanner(ChecksumMode.AUTO).shard(i, shards);
            s.listener((v, t) -> given[0]++).scan(name, opener, ScanProgress.NONE);
            parts.add(s);
        }
        CaptureScanner sum = parts.get(0);
        for (int i = 1; i < shards; i++) {
            sum.absorb(parts.get(i));
        }
        assertEquals(whole.counters().packets(), sum.counters().packets(), name);
        assertEquals(whole.counters().bytes(), sum.counters().bytes(), name);
        assertEquals(whole.counters().malformedPackets(), sum.counters().malformedPackets(), name);
        for (Protocol p : Protocol.values()) {
            assertEquals(whole.counters().count(p), sum.counters().count(p), name + " " + p);
        }
        for (Malformed m : Malformed.values()) {
            assertEquals(whole.counters().count(m), sum.counters().count(m), name + " " + m);
        }
        assertEquals(whole.flows(), sum.flows(), name + " flows");
        assertEquals(seen[0], given[0], name + ": every packet to one shard's listener");
        assertEquals(whole.outcomes().get(0).packets(), sum.outcomes().get(0).packets(), "each shard read them all");
    }

    @Test
    void generatedTrafficAddsUp() throws Exception {
        byte[] capture = PartitionFixture.traffic(5, 20_000);
        assertShardsAddUp("mix", () -> Captures.open(capture), 3);
    }

    static List<Path> captures() throws Exception {
        return SharedData.captures();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("captures")
    void sharedCapturesAddUp(Path capture) {
        SharedData.present(capture);
        assertTrue(Files.exists(capture));
        assertShardsAddUp(capture.getFileName().toString(), () -> Captures.open(capture), 2);
    }
}
