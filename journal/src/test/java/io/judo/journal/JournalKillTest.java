package io.judo.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A writer process is killed with SIGKILL at random moments, 20 times, always into the same journal: every record
 * it reported as written is readable afterwards, every record read is intact and in sequence, and the next writer
 * appends after the last complete record.
 */
class JournalKillTest {
    @TempDir
    Path dir;

    private Process start(long from) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String flag : System.getProperty("judo.chronicle.flags", "").split(" ")) {
            if (!flag.isBlank()) {
                cmd.add(flag);
            }
        }
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(KillWriter.class.getName());
        cmd.add(dir.toString());
        cmd.add(Long.toString(from));
        return new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    @Test
    void everyAcknowledgedRecordSurvivesSigkill() throws Exception {
        Random random = new Random(20261126L);
        long next = 0; // the sequence number the next writer starts from
        for (int run = 0; run < 20; run++) {
            Process p = start(next);
            long acked = next - 1;
            int stopAfter = 1 + random.nextInt(run % 2 == 0 ? 50 : 3000);
            try (BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(),
                    StandardCharsets.US_ASCII))) {
                String line;
                int seen = 0;
                while ((line = out.readLine()) != null) {
                    acked = Long.parseLong(line.substring("acked ".length()));
                    if (++seen >= stopAfter) {
                        p.destroyForcibly(); // SIGKILL on Linux: no shutdown hooks, no close
                        break;
                    }
                }
            }
            p.waitFor();
            assertTrue(acked >= next, "run " + run + ": the writer process acknowledged nothing (did it start?)");
            long last = verify(run);
            assertTrue(last >= acked, "run " + run + ": acknowledged " + acked + " but only " + last + " readable");
            next = last + 1;
        }
        // A writer in this process appends after the last complete record.
        JournalEvent marker = new JournalEvent();
        KillWriter.fill(marker, next);
        try (JournalWriter w = JournalWriter.open(dir, JournalWriter.Roll.DAILY, JournalWriter.Retention.KEEP_ALL)) {
            w.append(marker);
        }
        assertEquals(next, verify(-1));
    }

    /** Reads everything: records 0, 1, 2, ... each intact. Returns the last sequence number read. */
    private long verify(int run) throws Exception {
        try (JournalReader r = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            JournalEvent expected = new JournalEvent();
            long i = 0;
            while (r.next(e)) {
                KillWriter.fill(expected, i);
                assertTrue(expected.sameAs(e), "run " + run + ": record " + i + " is not intact");
                i++;
            }
            assertEquals(0, r.unreadable(), "run " + run);
            return i - 1;
        }
    }
}
