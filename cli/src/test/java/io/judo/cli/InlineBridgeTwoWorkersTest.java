package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every {@link InlineBridgeTest} with {@code judo inline --workers 2}: two bridge threads, each with a socket per
 * interface in that interface's fanout group, rewriting both ways; the policies that remap or queue must say they run
 * on one worker and still pass. Plus the sharding itself: the two workers see disjoint flows whose union is all the
 * traffic, each flow both ways on one worker.
 */
class InlineBridgeTwoWorkersTest extends InlineBridgeTest {
    @Override
    int workers() {
        return 2;
    }

    /**
     * Thirty-two HTTP transfers (IPv4 and IPv6, each its own connection): the EVE flow log of the run must name each
     * connection exactly once (a flow split between workers would be two records, each with one direction's
     * packets), with packets both ways and both FINs seen by the one worker that logged it; every transfer arrives
     * whole; and both workers bridged frames of both interfaces (a fanout that paired worker 0's socket on one side
     * with worker 1's on the other would split every flow).
     */
    @Test
    void twoWorkersSeeDisjointFlowsWhoseUnionIsAllTraffic() throws Exception {
        byte[] file = new byte[64_000];
        new java.util.Random(5).nextBytes(file);
        Files.createDirectories(www.resolve("flows"));
        Files.write(www.resolve("flows").resolve("f.bin"), file);
        byte[] digest = MessageDigest.getInstance("SHA-256").digest(file);
        Path eve = www.resolve("flows-eve.json");
        Path rules = Files.createTempFile(www, "pass", ".judo");
        Files.writeString(rules, "pass all\n");
        BridgeLab.Bridge bridge = judo("--rules", rules.toString(), "--eve", eve.toString(), "--eve-types", "flow");
        Path got = www.resolve("got-flows.bin");
        int transfers = 32;
        String summary;
        try {
            for (int i = 0; i < transfers; i++) {
                String host = i % 4 == 3 ? "[" + BridgeLab.SERVER_IP6 + "]" : BridgeLab.SERVER_IP;
                BridgeLab.Curl c = lab.curl("http://" + host + ":8080/flows/f.bin", got, 20);
                assertEquals(0, c.exit(), "transfer " + i + " over " + host + ": " + c.report() + "; bridge: "
                        + bridge.err());
                assertArrayEquals(digest, MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(got)));
            }
        } finally {
            summary = bridge.stop();
            System.out.println("judo inline summary:\n" + summary + "\nstderr:\n" + bridge.err());
        }
        Pattern flow = Pattern.compile("\"src_ip\":\"([^\"]+)\",\"src_port\":(\\d+),\"dest_ip\":\"[^\"]+\","
                + "\"dest_port\":8080,\"proto\":\"TCP\".*\"pkts_toserver\":(\\d+),\"pkts_toclient\":(\\d+).*"
                + "\"state\":\"([a-z]+)\"");
        Map<String, Integer> seen = new HashMap<>();
        List<String> lines = Files.readAllLines(eve);
        for (String line : lines) {
            Matcher m = flow.matcher(line);
            if (!line.contains("\"event_type\":\"flow\"") || !m.find()) {
                continue;
            }
            String client = m.group(1) + " " + m.group(2);
            seen.merge(client, 1, Integer::sum);
            assertTrue(Long.parseLong(m.group(3)) > 0 && Long.parseLong(m.group(4)) > 0,
                    "a flow record with one direction only (split between workers?): " + line);
            assertEquals("closed", m.group(5), "both FINs seen by one worker: " + line);
        }
        assertEquals(transfers, seen.size(), "one flow record per transfer: " + seen + "\n" + String.join("\n",
                lines));
        seen.forEach((client, records) -> assertEquals(1, records, client + ": logged by more than one worker"));
        Matcher w = Pattern.compile("worker (\\d+)\\s+received ([0-9,]+) frames from \\S+, ([0-9,]+) from")
                .matcher(summary);
        int workersSeen = 0;
        while (w.find()) {
            workersSeen++;
            assertTrue(count(w.group(2)) > 0 && count(w.group(3)) > 0, "worker " + w.group(1) + " bridged both "
                    + "interfaces' frames: " + summary);
        }
        assertEquals(2, workersSeen, summary);
        assertTrue(summary.contains("workers    2"), summary);
    }

    private static long count(String figure) {
        return Long.parseLong(figure.replace(",", ""));
    }
}
