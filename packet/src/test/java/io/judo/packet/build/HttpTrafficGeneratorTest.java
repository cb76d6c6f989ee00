package io.judo.packet.build;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.testing.ExternalTools;
import io.judo.packet.testing.TsharkTcp;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The HTTP generator is deterministic, and tshark reads every transaction it writes, none malformed. */
class HttpTrafficGeneratorTest {
    @TempDir
    Path dir;

    private static byte[] capture(long seed, long packets) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        new HttpTrafficGenerator(seed).write(out, packets, Long.MAX_VALUE);
        return out.toByteArray();
    }

    @Test
    void sameSeedSameCaptureOtherSeedOther() throws Exception {
        assertArrayEquals(capture(9, 3000), capture(9, 3000));
        assertFalse(java.util.Arrays.equals(capture(9, 3000), capture(10, 3000)));
    }

    private static int count(List<String> lines, int column) {
        int n = 0;
        for (String line : lines) {
            String[] f = line.split("\t", -1);
            if (f.length > column && !f[column].isEmpty()) {
                n += f[column].split(",").length;
            }
        }
        return n;
    }

    @Test
    void tsharkDissectsEveryTransactionWithoutExpertWarnings() throws Exception {
        ExternalTools.require("tshark");
        for (long seed = 1; seed <= 3; seed++) {
            HttpTrafficGenerator g = new HttpTrafficGenerator(seed);
            Path file = dir.resolve("http" + seed + ".pcap");
            try (var out = Files.newOutputStream(file)) {
                g.write(out, 15_000, Long.MAX_VALUE);
            }
            assertTrue(g.transactions() > 200, "transactions: " + g.transactions());
            // every data segment's checksums good, nothing malformed, no warning or error in any dissector
            List<String> bad = TsharkTcp.fields(file, "_ws.malformed || _ws.expert.severity >= warning "
                    + "|| ip.checksum.status == 0 || tcp.checksum.status == 0", "frame.number", "_ws.col.Info");
            assertEquals(List.of(), bad, "seed " + seed);
            List<String> http = TsharkTcp.fields(file, "http", "http.request.method", "http.response.code",
                    "http.transfer_encoding", "http.content_encoding");
            assertEquals(g.transactions(), count(http, 0), "requests, seed " + seed);
            assertEquals(g.transactions(), count(http, 1), "responses, seed " + seed);
            assertTrue(count(http, 2) > 20, "chunked messages, seed " + seed);
            assertTrue(count(http, 3) > 20, "compressed bodies, seed " + seed);
        }
    }
}
