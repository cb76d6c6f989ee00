package io.judo.matcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.judo.matcher.hyperscan.HyperscanDatabase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Many scanners at once, of several databases and on several threads, each see exactly their own matches: a run with
 * eight workers and an HTTP hook holds hundreds of scanners (one per hook and buffer per partition). With a native
 * callback per scanner, JavaCPP's ten callback thunks ran out and the eleventh scanner's matches went elsewhere.
 */
class HyperscanScannersTest {
    @Test
    void everyScannerOfManyDatabasesSeesItsOwnMatches() throws Exception {
        assumeTrue(HyperscanDatabase.available() || "true".equals(System.getenv("CI")),
                "Hyperscan does not load here: " + HyperscanDatabase.unavailableReason());
        List<HyperscanDatabase> dbs = new ArrayList<>();
        List<Scanner> scanners = new ArrayList<>();
        try {
            for (int d = 0; d < 8; d++) {
                HyperscanDatabase db = HyperscanDatabase.compile(List.of(new Pattern(d, "word" + d, Set.of()),
                        new Pattern(100 + d, "both", Set.of())));
                dbs.add(db);
                for (int k = 0; k < 6; k++) {
                    scanners.add(db.scanner());
                }
            }
            byte[] input = "word3 both word5 word3".getBytes(StandardCharsets.ISO_8859_1);
            List<Thread> threads = new ArrayList<>();
            List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
            for (int t = 0; t < 4; t++) {
                int first = t;
                Thread th = new Thread(() -> {
                    for (int round = 0; round < 50; round++) {
                        for (int i = first; i < scanners.size(); i += 4) {
                            int db = i / 6;
                            List<Long> ids = new ArrayList<>();
                            scanners.get(i).scan(ByteBuffer.wrap(input), 0, input.length,
                                    (id, start, end) -> ids.add((long) id));
                            List<Long> expected = new ArrayList<>();
                            if (db == 3) {
                                expected.add(3L);
                            }
                            expected.add(100L + db);
                            if (db == 5) {
                                expected.add(5L);
                            }
                            if (db == 3) {
                                expected.add(3L);
                            }
                            if (!ids.equals(expected)) {
                                failures.add("scanner " + i + " of database " + db + ": " + ids + " not " + expected);
                            }
                        }
                    }
                });
                threads.add(th);
                th.start();
            }
            for (Thread th : threads) {
                th.join();
            }
            assertEquals(List.of(), failures.subList(0, Math.min(5, failures.size())));
        } finally {
            scanners.forEach(Scanner::close);
            dbs.forEach(HyperscanDatabase::close);
        }
    }
}
