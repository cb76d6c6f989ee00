package io.judo.applayer.dns;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.applayer.Slice;
import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/**
 * Steady state allocates nothing per message: parsing a query and an answer into one reused {@link DnsMessage} and
 * framing them over TCP, measured with the JVM's per-thread allocation counter (the figure is printed for
 * applayer/DESIGN.md).
 */
class DnsMemoryTest {
    private static long allocated() {
        return ((com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean()).getCurrentThreadAllocatedBytes();
    }

    @Test
    void parsingAndFramingAllocateNothingPerMessage() {
        byte[] query = new DnsWire().header(0x2a, 0x0100, 1, 0, 0, 1).question("www.example.com", 1)
            .raw(0, 0, 41, 16, 0, 0, 0, 0, 0, 0, 0).bytes();
        byte[] answer = new DnsWire().header(0x2a, 0x8180, 1, 2, 0, 0).question("www.example.com", 1)
            .nameRecord("www.example.com", 5, 300, "edge.example.net")
            .record("edge.example.net", 1, 60, new byte[] {10, 0, 0, 1}).bytes();
        byte[] tcp = new DnsWire().header(1, 0x0100, 1, 0, 0, 0).question("mail.example.org", 15).tcp();
        DnsMessage m = new DnsMessage();
        Slice s = new Slice();
        long[] sum = new long[1];
        DnsTcpFramer framer = new DnsTcpFramer((dir, b, off, len) -> {
            DnsParser.parse(b, off, len, dir, m);
            sum[0] += m.questionName(0, s).length;
        });
        int n = 100_000;
        for (int round = 0; round < 2; round++) { // the first round warms up (JIT, scratch growth)
            long before = allocated();
            for (int i = 0; i < n; i++) {
                DnsParser.parse(query, 0, query.length, 0, m);
                sum[0] += m.questionName(0, s).length;
                DnsParser.parse(answer, 0, answer.length, 1, m);
                sum[0] += m.recordName(1, s).length;
                framer.data(0, tcp, 0, 7); // split: gathered in the framer's buffer
                framer.data(0, tcp, 7, tcp.length - 7);
            }
            long bytes = allocated() - before;
            if (round == 1) {
                System.out.printf("DNS steady state: %d bytes over %d x 3 messages%n", bytes, n);
                assertTrue(bytes < 4096, bytes + " bytes allocated over " + 3 * n + " messages");
            }
        }
        assertEquals(2L * n * (15 + 16 + 16), sum[0]);
    }
}
