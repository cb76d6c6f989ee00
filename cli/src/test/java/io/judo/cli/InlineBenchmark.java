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
 * {@code -Djudo.bench.workers=1,2} measures judo with each of those {@code --workers}, and
 * {@code -Djudo.bench.parallel=P} runs P transfers at once (the kernel hands each flow to one worker).
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
            for (String workers : System.getProperty("judo.bench.workers", "1").split(",")) {
                for (Path policy : new Path[] {rules, rewrite}) {
                    BridgeLab.Bridge b = lab.judo("--workers", workers, "--rules", policy.toString());
                    measure(lab, "judo inline -w" + workers + " " + policy.getFileName(), policy == rules ? size
                            : size + occurrences * 6, rounds);
                    System.out.println(b.stop());
                }
            }
        }
    }

    /**
     * Bulk throughput: {@code rounds} times, {@code judo.bench.parallel} transfers of the file at once (1 by default:
     * one flow, which one worker carries however many run; more flows are what several workers can share), the bytes
     * of all of them over the time from the first start to the last end.
     */
    private static void measure(BridgeLab lab, String what, long expected, int rounds) throws Exception {
        int parallel = Integer.getInteger("judo.bench.parallel", 1);
        StringBuilder line = new StringBuilder(String.format("%-40s", what + (parallel > 1 ? " x" + parallel : "")));
        for (int i = 0; i < rounds; i++) {
            java.util.List<java.util.concurrent.Future<BridgeLab.Curl>> runs = new java.util.ArrayList<>();
            java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(parallel);
            Path[] sinks = new Path[parallel];
            long start = System.nanoTime();
            for (int p = 0; p < parallel; p++) {
                Path sink = Files.createTempFile("bulk", ".bin");
                sinks[p] = sink;
                runs.add(pool.submit(() -> lab.curlTimed("http://" + BridgeLab.SERVER_IP + ":8080/bulk.bin", sink,
                        300)));
            }
            double curlSeconds = 0;
            for (java.util.concurrent.Future<BridgeLab.Curl> run : runs) {
                BridgeLab.Curl c = run.get();
                assertEquals(0, c.exit(), c.report());
                assertEquals(expected, Long.parseLong(c.report().split(" ")[1]), "bytes received");
                curlSeconds = Double.parseDouble(c.report().split(" ")[2]);
            }
            // one transfer: curl's own time, as before; several: the wall time they took together
            double seconds = parallel == 1 ? curlSeconds : (System.nanoTime() - start) / 1e9;
            pool.shutdown();
            for (Path sink : sinks) {
                Files.delete(sink);
            }
            line.append(String.format("  %.0f Mbit/s", parallel * expected * 8 / seconds / 1e6));
        }
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
