package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole-process figures for docs/BENCHMARKS.md: one bulk TCP transfer and TCP round-trip times between real stacks
 * (see {@link BridgeLab}) through the Linux kernel bridge (the peer: forwarding with no inspection), judo inline
 * passing everything, and judo inline rewriting. Run on demand (timing is no test):
 * {@code ./mvnw -pl cli test -Dtest=InlineBenchmark -Djudo.bench=true}; it still checks every transfer's size.
 */
class InlineBenchmark {
    @TempDir
    Path www;

    @Test
    void bulkTransferAndRoundTrips() throws Exception {
        Assumptions.assumeTrue(Boolean.getBoolean("judo.bench"), "benchmark: run with -Djudo.bench=true");
        String why = BridgeLab.unavailable();
        Assumptions.assumeTrue(why == null, why);
        int size = Integer.getInteger("judo.bench.bytes", 200_000_000);
        byte[] file = new byte[size];
        Random r = new Random(1);
        for (int i = 0; i < size; i++) {
            file[i] = (byte) ('a' + r.nextInt(26));
        }
        byte[] marker = "ALPHA".getBytes(StandardCharsets.US_ASCII);
        long occurrences = 0;
        for (int i = 1_000; i + marker.length < size; i += 3_000) { // an occurrence every 3 KB
            System.arraycopy(marker, 0, file, i, marker.length);
            occurrences++;
        }
        Files.write(www.resolve("bulk.bin"), file);
        Path rules = www.resolve("pass.judo");
        Files.writeString(rules, "pass all\n");
        Path rewrite = www.resolve("rewrite.judo");
        Files.writeString(rewrite, "pass all\nmatch proto tcp from any port 8080 replace \"ALPHA\" with "
                + "\"alpha-grown\"\n");
        int rounds = Integer.getInteger("judo.bench.rounds", 3);
        try (BridgeLab lab = new BridgeLab("b")) {
            lab.httpServer(www, 8080);
            lab.tcpEcho(7777);
            lab.kernelBridge(true);
            measure(lab, "kernel bridge", size, rounds);
            lab.kernelBridge(false);
            for (Path policy : new Path[] {rules, rewrite}) {
                BridgeLab.Bridge b = lab.judo("--rules", policy.toString());
                measure(lab, "judo inline " + policy.getFileName(), policy == rules ? size
                        : size + occurrences * 6, rounds);
                System.out.println(b.stop());
            }
        }
    }

    private static void measure(BridgeLab lab, String what, long expected, int rounds) throws Exception {
        Path sink = Files.createTempFile("bulk", ".bin");
        StringBuilder line = new StringBuilder(String.format("%-32s", what));
        for (int i = 0; i < rounds; i++) {
            BridgeLab.Curl c = lab.curlTimed("http://" + BridgeLab.SERVER_IP + ":8080/bulk.bin", sink, 300);
            String[] f = c.report().split(" ");
            assertEquals(0, c.exit(), c.report());
            assertEquals(expected, Long.parseLong(f[1]), "bytes received");
            double seconds = Double.parseDouble(f[2]);
            line.append(String.format("  %.0f Mbit/s", expected * 8 / seconds / 1e6));
        }
        Files.delete(sink);
        Histogram h = new Histogram(3_600_000_000L, 3);
        lab.roundTrips(BridgeLab.SERVER_IP, 7777, 1_000); // warm-up (the bridge's JIT, ARP, caches)
        for (long rtt : lab.roundTrips(BridgeLab.SERVER_IP, 7777, 20_000)) {
            h.recordValue(rtt);
        }
        line.append(String.format("  | RTT us p50 %.1f p90 %.1f p99 %.1f p99.9 %.1f max %.1f",
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(90) / 1e3,
                h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3, h.getMaxValue() / 1e3));
        System.out.println("BENCH " + line);
    }
}
