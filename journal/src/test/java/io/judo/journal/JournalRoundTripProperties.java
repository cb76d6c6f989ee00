package io.judo.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/** Random records written to a journal read back field for field, in order, with bounded fields truncated. */
class JournalRoundTripProperties {
    static JournalEvent random(Random r) {
        JournalEvent e = new JournalEvent();
        EventType[] types = EventType.values();
        e.type = types[r.nextInt(types.length)];
        e.timeNanos = r.nextLong();
        e.flowId = r.nextLong();
        byte[] a = new byte[r.nextBoolean() ? 4 : 16];
        byte[] b = new byte[a.length];
        r.nextBytes(a);
        r.nextBytes(b);
        e.addresses(a, b);
        e.protocol = r.nextInt(256);
        e.direction = r.nextInt(2);
        e.srcPort = r.nextInt(65536);
        e.dstPort = r.nextInt(65536);
        e.streamOffset = r.nextLong();
        e.gid = r.nextInt();
        e.sid = r.nextLong();
        e.rev = r.nextInt();
        e.patternId = r.nextInt();
        e.matchStart = r.nextLong();
        e.matchEnd = r.nextLong();
        e.delta = r.nextLong();
        e.beforeLength = r.nextInt(JournalEvent.MAX_EDIT + 1);
        r.nextBytes(e.before);
        e.afterLength = r.nextInt(JournalEvent.MAX_EDIT + 1);
        r.nextBytes(e.after);
        byte[] payload = new byte[r.nextInt(600)];
        r.nextBytes(payload);
        e.excerpt(payload, 0, payload.length);
        StringBuilder sb = new StringBuilder();
        for (int i = r.nextInt(40); i > 0; i--) {
            sb.append((char) (32 + r.nextInt(200)));
        }
        e.text(sb.toString());
        if (r.nextBoolean()) {
            e.category("x".repeat(r.nextInt(JournalEvent.MAX_CATEGORY + 40)));
            e.severity = r.nextInt(256);
        }
        if (r.nextBoolean()) {
            StringBuilder json = new StringBuilder("{\"hostname\":\"");
            for (int i = r.nextInt(JournalEvent.MAX_HTTP - 20); i > 0; i--) {
                json.append((char) ('a' + r.nextInt(26)));
            }
            assertTrue(e.http(json.append("\"}").toString()));
        }
        return e;
    }

    @Property(tries = 20)
    void recordsReadBackAsWritten(@ForAll long seed) throws Exception {
        Random r = new Random(seed);
        Path dir = Files.createTempDirectory("journal");
        List<JournalEvent> written = new ArrayList<>();
        try (JournalWriter w = JournalWriter.open(dir, JournalWriter.Roll.DAILY, JournalWriter.Retention.KEEP_ALL)) {
            for (int i = 0; i < 1 + r.nextInt(200); i++) {
                JournalEvent e = random(r);
                w.append(e);
                written.add(e);
            }
        }
        try (JournalReader reader = JournalReader.open(dir)) {
            JournalEvent e = new JournalEvent();
            for (JournalEvent expected : written) {
                assertTrue(reader.next(e), "seed " + seed);
                assertTrue(expected.sameAs(e), "seed " + seed);
            }
            assertFalse(reader.next(e));
            assertEquals(0, reader.unreadable());
        }
    }
}
