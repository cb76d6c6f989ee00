package io.judo.journal;

import java.nio.file.Path;

/**
 * A writer process for {@link JournalKillTest}: appends records whose every field follows from their sequence number,
 * printing "acked N" after record N has been appended, until killed.
 */
public final class KillWriter {
    private KillWriter() {
    }

    static void fill(JournalEvent e, long i) {
        e.clear();
        e.type = EventType.ALERT;
        e.timeNanos = 1_700_000_000_000_000_000L + i;
        e.flowId = i;
        e.sid = i * 7;
        e.srcPort = (int) (i & 0xffff);
        e.addresses(new byte[] {10, 0, (byte) (i >>> 8), (byte) i}, new byte[] {10, 1, 0, 1});
        byte[] payload = new byte[(int) (i % 300)];
        for (int k = 0; k < payload.length; k++) {
            payload[k] = (byte) (i + k);
        }
        e.excerpt(payload, 0, payload.length);
    }

    public static void main(String[] args) throws Exception {
        try (JournalWriter w = JournalWriter.open(Path.of(args[0]), JournalWriter.Roll.DAILY,
                JournalWriter.Retention.KEEP_ALL)) {
            JournalEvent e = new JournalEvent();
            long start = Long.parseLong(args[1]);
            for (long i = start; ; i++) {
                fill(e, i);
                w.append(e);
                System.out.println("acked " + i);
                System.out.flush();
            }
        }
    }
}
