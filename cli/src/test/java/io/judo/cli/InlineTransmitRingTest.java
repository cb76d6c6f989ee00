package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo inline} sending through its transmit rings between real TCP stacks (see {@link BridgeLab}), where a
 * ring slot is reused while the data it carried may still wait in a slow receiver's socket: the kernel hands the
 * frame's pages to the receiving stack without a copy, and veth across namespaces frees the slot (marks it
 * available) on delivery, not when the receiver has read the data. One client reads slowly (its receive queue
 * stays full) while a fast transfer in the same direction cycles every slot of the ring many times over; both
 * files must arrive byte for byte. Skipped with the reason where network namespaces cannot be made.
 */
class InlineTransmitRingTest {
    @TempDir
    Path www;

    @Test
    void aSlowReceiverKeepsItsBytesWhileAFastFlowCyclesTheRing() throws Exception {
        String why = BridgeLab.unavailable();
        Assumptions.assumeTrue(why == null, () -> "network namespaces unavailable: " + why);
        byte[] slow = random(1, 12_000_000);
        byte[] fast = random(2, 60_000_000);
        Files.write(www.resolve("slow.bin"), slow);
        Files.write(www.resolve("fast.bin"), fast);
        Path policy = www.resolve("pass.judo");
        Files.writeString(policy, "pass all\n");
        try (BridgeLab lab = new BridgeLab("t")) {
            lab.httpServer(www, 8080);
            BridgeLab.Bridge bridge = lab.judo("--rules", policy.toString());
            Path gotSlow = www.resolve("got-slow.bin");
            String summary;
            BridgeLab.Curl s;
            try {
                CompletableFuture<BridgeLab.Curl> slowly = CompletableFuture.supplyAsync(() -> {
                    try {
                        return lab.curl("http://" + BridgeLab.SERVER_IP + ":8080/slow.bin", gotSlow, 120, "3M");
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                Thread.sleep(1_000); // the slow client's receive queue fills
                for (int i = 0; i < 3; i++) {
                    Path gotFast = www.resolve("got-fast.bin");
                    BridgeLab.Curl f = lab.curl("http://" + BridgeLab.SERVER_IP + ":8080/fast.bin", gotFast, 120);
                    assertEquals(0, f.exit(), f.report());
                    assertTrue(Arrays.equals(digest(fast), digest(Files.readAllBytes(gotFast))),
                            "fast transfer " + i + " arrived altered");
                }
                s = slowly.get();
            } finally {
                summary = bridge.stop();
                System.out.println("judo inline summary:\n" + summary);
            }
            assertEquals(0, s.exit(), s.report());
            byte[] got = Files.readAllBytes(gotSlow);
            assertEquals(slow.length, got.length);
            assertEquals(-1, Arrays.mismatch(slow, got), "the slow transfer's first altered byte");
        }
    }

    private static byte[] random(long seed, int size) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] digest(byte[] b) throws Exception {
        return MessageDigest.getInstance("SHA-256").digest(b);
    }
}
