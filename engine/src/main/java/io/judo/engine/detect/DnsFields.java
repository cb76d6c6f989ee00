package io.judo.engine.detect;

import io.judo.applayer.Slice;
import io.judo.applayer.dns.DnsMessage;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What Suricata's EVE {@code dns} object says of one DNS message, taken when an alert fires or the message is logged
 * (the message itself is the parser's and is reused).
 *
 * @param txId the message's transaction number in its flow
 * @param response the QR bit
 * @param queries the questions, in message order
 * @param answers the answer section's records (authority and additional records are not logged, as in Suricata's
 *     default)
 */
public record DnsFields(long txId, boolean response, int id, int flags, int opcode, int rcode, List<Query> queries,
        List<Answer> answers) {

    /** One question: its name as Suricata presents it and its type number. */
    public record Query(String rrname, int rrtype) {
    }

    /** One answer record; {@code rdata} is null for a type whose data EVE does not print. */
    public record Answer(String rrname, int rrtype, long ttl, String rdata) {
    }

    /** The fields of {@code m} (allocates: for alerts and logs, not the per-message path). */
    public static DnsFields of(DnsMessage m, long txId) {
        Slice s = new Slice();
        List<Query> q = new ArrayList<>(m.questionCount());
        for (int i = 0; i < m.questionCount(); i++) {
            q.add(new Query(text(m.questionName(i, s)), m.questionType(i)));
        }
        List<Answer> a = new ArrayList<>();
        for (int i = 0; i < m.recordCount(); i++) {
            if (m.recordSection(i) == DnsMessage.ANSWER) {
                a.add(new Answer(text(m.recordName(i, s)), m.recordType(i), m.recordTtl(i), m.recordDataText(i)));
            }
        }
        return new DnsFields(txId, m.isResponse(), m.id(), m.flags(), m.opcode(), m.rcode(), List.copyOf(q),
                List.copyOf(a));
    }

    private static String text(Slice s) {
        return new String(s.array, s.offset, s.length, StandardCharsets.ISO_8859_1);
    }
}
