package io.judo.packet.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Random;

/**
 * The payload shape of issue 15's long-transfer rewriting case, shared by the simulated and the namespace tests of
 * judo inline: random pieces of {@code ORIGINAL}, {@code shrinkme-please}, runs of 1-200 {@code x} and 1-300 random
 * bytes without {@code O} or {@code s} (so the two texts occur only where a piece put them), until {@code size}
 * bytes.
 */
public final class RewritePieces {
    private static final byte[] ORIGINAL = "ORIGINAL".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] SHRINK = "shrinkme-please".getBytes(StandardCharsets.US_ASCII);

    private RewritePieces() {
    }

    /** At least {@code size} bytes of pieces drawn from {@code r}. */
    public static byte[] of(Random r, int size) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(size + 300);
        while (out.size() < size) {
            switch (r.nextInt(4)) {
                case 0 -> out.writeBytes(ORIGINAL);
                case 1 -> out.writeBytes(SHRINK);
                case 2 -> {
                    for (int n = 1 + r.nextInt(200); n > 0; n--) {
                        out.write('x');
                    }
                }
                default -> {
                    for (int n = 1 + r.nextInt(300); n > 0; n--) {
                        int b;
                        do {
                            b = r.nextInt(256);
                        } while (b == 'O' || b == 's');
                        out.write(b);
                    }
                }
            }
        }
        return out.toByteArray();
    }
}
