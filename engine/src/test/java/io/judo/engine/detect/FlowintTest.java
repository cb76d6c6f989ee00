package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * flowint counts per flow (hand-checked expectations from Suricata's documented semantics): a rule adds to an
 * integer on each matching request, others compare it, to a number and to another integer, and a second flow starts
 * from nothing.
 */
class FlowintTest {
    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static TcpConversation requests(int port, int count) {
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "10.0.0.1", port, "10.0.0.2", 80, 100, 900)
                .handshake().clientSends(ascii("LIMIT\r\n")).serverSends(ascii("OK\r\n"));
        for (int i = 0; i < count; i++) {
            c.clientSends(ascii("GET /sqlite3.dll\r\n")).serverSends(ascii("OK\r\n"));
        }
        return c.close();
    }

    @Test
    void countsPerFlowAndComparesWithNumbersAndIntegers() {
        String rules = String.join("\n",
                "alert tcp any any -> any any (msg:\"count\"; flow:to_server; content:\"sqlite3.dll\"; "
                        + "flowint:dll,+,1; noalert; sid:1;)",
                "alert tcp any any -> any any (msg:\"limit\"; flow:to_server; content:\"LIMIT\"; flowint:limit,=,2; "
                        + "noalert; sid:2;)",
                "alert tcp any any -> any any (msg:\"third\"; flow:to_client; content:\"OK\"; flowint:dll,==,3; sid:3;)",
                "alert tcp any any -> any any (msg:\"over limit\"; flow:to_client; content:\"OK\"; flowint:dll,>,limit; "
                        + "sid:4;)",
                "alert tcp any any -> any any (msg:\"none yet\"; flow:to_client; content:\"OK\"; flowint:dll,notset; "
                        + "sid:5;)",
                "alert tcp any any -> any any (msg:\"down\"; flow:to_client; content:\"OK\"; flowint:dll,>=,4; "
                        + "flowint:dll,-,10; sid:6;)",
                "alert tcp any any -> any any (msg:\"wrapped\"; flow:to_server; content:\"GET\"; "
                        + "flowint:dll,>,4000000000; sid:7;)") + "\n";
        // responses after 0, 1, 2, 3, 4 and 5 requests: ==3 once; > limit (2) at 3, 4 and 5; notset before the first;
        // >=4 after 4 and 5 (4 - 10 wraps to 4294967290), so the 5th request's count, 4294967291, is past 4,000,000,000
        Map<Long, Integer> got = Replay.bySid(Replay.alerts(rules, "flowint.rules",
                requests(40001, 5).frames().stream().map(TcpConversation.Frame::bytes).toList()));
        assertEquals(Map.of(3L, 1, 4L, 3, 5L, 1, 6L, 2, 7L, 1), got);
        assertEquals(Map.of(5L, 1), Replay.bySid(Replay.alerts(rules, "flowint.rules",
                requests(40002, 0).frames().stream().map(TcpConversation.Frame::bytes).toList())), "a flow of its own");
    }
}
