package io.judo.engine.output;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.applayer.dns.DnsMessage;
import io.judo.applayer.dns.DnsParser;
import io.judo.engine.detect.DnsFields;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The EVE {@code dns} records and the alert's {@code dns} members, pinned as whole lines for hand-built messages. */
class DnsEveTest {
    private static final long T = 1_700_000_000_123_456_000L;

    private static DnsFields parse(byte[] b, int dir, long tx) {
        DnsMessage m = new DnsMessage();
        DnsParser.parse(b, 0, b.length, dir, m);
        return DnsFields.of(m, tx);
    }

    /** Query id 0x1a2b, RD, two questions: twitter.com A, twitter.com AAAA (the second a pointer to the first). */
    private static final byte[] QUERY = {0x1a, 0x2b, 0x01, 0x00, 0, 2, 0, 0, 0, 0, 0, 0,
        7, 't', 'w', 'i', 't', 't', 'e', 'r', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
        (byte) 0xC0, 12, 0, 28, 0, 1};

    /** Its answer: 8180, the first question, a CNAME and an A record. */
    private static final byte[] ANSWER = {0x1a, 0x2b, (byte) 0x81, (byte) 0x80, 0, 1, 0, 2, 0, 0, 0, 0,
        7, 't', 'w', 'i', 't', 't', 'e', 'r', 3, 'c', 'o', 'm', 0, 0, 1, 0, 1,
        (byte) 0xC0, 12, 0, 5, 0, 1, 0, 0, 0, 8, 0, 6, 3, 'w', 'w', 'w', (byte) 0xC0, 12,
        (byte) 0xC0, 41, 0, 1, 0, 1, 0, 0, 0, 9, 0, 4, (byte) 199, 16, (byte) 156, 6};

    @Test
    void aRequestIsOneQueryLinePerQuestion() {
        List<String> lines = EveWriter.dnsLines(T, 42, "10.0.0.1", 5353, "10.0.0.53", 53, 17, parse(QUERY, 0, 0));
        assertEquals(List.of(
                "{\"timestamp\":\"2023-11-14T22:13:20.123456+0000\",\"flow_id\":42,\"event_type\":\"dns\","
                        + "\"src_ip\":\"10.0.0.1\",\"src_port\":5353,\"dest_ip\":\"10.0.0.53\",\"dest_port\":53,"
                        + "\"proto\":\"UDP\",\"dns\":{\"type\":\"query\",\"id\":6699,\"rrname\":\"twitter.com\","
                        + "\"rrtype\":\"A\",\"tx_id\":0,\"opcode\":0}}",
                "{\"timestamp\":\"2023-11-14T22:13:20.123456+0000\",\"flow_id\":42,\"event_type\":\"dns\","
                        + "\"src_ip\":\"10.0.0.1\",\"src_port\":5353,\"dest_ip\":\"10.0.0.53\",\"dest_port\":53,"
                        + "\"proto\":\"UDP\",\"dns\":{\"type\":\"query\",\"id\":6699,\"rrname\":\"twitter.com\","
                        + "\"rrtype\":\"AAAA\",\"tx_id\":0,\"opcode\":0}}"), lines);
    }

    @Test
    void aResponseIsOneAnswerLineWithItsRecords() {
        List<String> lines = EveWriter.dnsLines(T, 42, "10.0.0.53", 53, "10.0.0.1", 5353, 17, parse(ANSWER, 1, 1));
        assertEquals(List.of("{\"timestamp\":\"2023-11-14T22:13:20.123456+0000\",\"flow_id\":42,"
                + "\"event_type\":\"dns\",\"src_ip\":\"10.0.0.53\",\"src_port\":53,\"dest_ip\":\"10.0.0.1\","
                + "\"dest_port\":5353,\"proto\":\"UDP\",\"dns\":{\"version\":3,\"type\":\"answer\",\"id\":6699,"
                + "\"flags\":\"8180\",\"qr\":true,\"rd\":true,\"ra\":true,\"rrname\":\"twitter.com\","
                + "\"rrtype\":\"A\",\"opcode\":0,\"rcode\":\"NOERROR\",\"answers\":["
                + "{\"rrname\":\"twitter.com\",\"rrtype\":\"CNAME\",\"ttl\":8,\"rdata\":\"www.twitter.com\"},"
                + "{\"rrname\":\"www.twitter.com\",\"rrtype\":\"A\",\"ttl\":9,\"rdata\":\"199.16.156.6\"}]}}"),
                lines);
    }

    @Test
    void anAlertCarriesTheMessagesDnsObject() {
        assertEquals("\"tx_id\":0,\"app_proto\":\"dns\",\"dns\":{\"query\":[{\"type\":\"query\",\"id\":6699,"
                + "\"rrname\":\"twitter.com\",\"rrtype\":\"A\",\"tx_id\":0,\"opcode\":0},{\"type\":\"query\","
                + "\"id\":6699,\"rrname\":\"twitter.com\",\"rrtype\":\"AAAA\",\"tx_id\":0,\"opcode\":0}]}",
                EveWriter.dnsMembers(parse(QUERY, 0, 0)));
    }
}
