package io.judo.engine.detect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.testing.ExternalTools;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code stream_size} reads each direction's next sequence number minus its initial one after the packet, as Suricata
 * does. The oracle is tshark's relative sequence numbers (the SYN is 0, so the next sequence number after a packet is
 * the size): a per-packet rule alerts on exactly the packets whose sizes, replayed in order from tshark's fields,
 * pass its test.
 */
class StreamSizeTest {
    private static final Path PCAPS = Path.of("..", "..", "shared", "data", "pcaps");

    /** sid, side (0 client, 1 server, 2 both, 3 either), operator, number. */
    private record Case(int sid, int side, String op, long n) {
        boolean test(long v) {
            return switch (op) {
                case "<" -> v < n;
                case "<=" -> v <= n;
                case ">" -> v > n;
                case ">=" -> v >= n;
                case "=" -> v == n;
                default -> v != n;
            };
        }

        boolean test(long client, long server) {
            return switch (side) {
                case 0 -> test(client);
                case 1 -> test(server);
                case 2 -> test(client) && test(server);
                default -> test(client) || test(server);
            };
        }

        String rule() {
            String word = new String[] {"client", "server", "both", "either"}[side];
            return "alert tcp-pkt any any -> any any (msg:\"" + sid + "\"; stream_size:" + word + "," + op + "," + n
                    + "; sid:" + sid + ";)\n";
        }
    }

    private static final List<Case> CASES = List.of(new Case(1, 0, ">", 40), new Case(2, 1, "<", 5),
            new Case(3, 2, ">=", 100), new Case(4, 3, "=", 1), new Case(5, 1, ">", 1000), new Case(6, 0, "!=", 1),
            new Case(7, 1, "<=", 1));

    /** One direction's in-order progress, replayed from tshark's relative sequence numbers. */
    private static final class Direction {
        long next = -1;
        final TreeMap<Long, Long> waiting = new TreeMap<>();

        void segment(long seq, long nxt, boolean syn) {
            if (next < 0) {
                next = syn ? 0 : seq; // mid-stream, the stream begins at the first byte seen
            }
            if (nxt > seq) {
                waiting.merge(seq, nxt, Math::max);
            }
            while (!waiting.isEmpty() && waiting.firstKey() <= next) {
                next = Math.max(next, waiting.pollFirstEntry().getValue());
            }
        }

        /** The size stream_size reads: tshark's relative numbers start at 0 at the SYN, or at the first byte seen. */
        long size(boolean sawSyn) {
            return next < 0 ? 0 : sawSyn ? next : next + 1;
        }
    }

    /** Per TCP packet, its time (ns) and the client's and server's stream sizes after it, from tshark's fields. */
    private static List<long[]> oracle(Path pcap) throws Exception {
        ExternalTools.require("tshark");
        String out = ExternalTools.run("tshark", "-n", "-r", pcap.toString(), "-o", "tcp.check_checksum:FALSE",
                "-o", "tcp.relative_sequence_numbers:TRUE", "-o", "tcp.analyze_sequence_numbers:TRUE", "-Y", "tcp",
                "-T", "fields", "-E", "separator=/t", "-e", "frame.time_epoch", "-e", "tcp.stream", "-e", "ip.src",
                "-e", "ipv6.src", "-e", "tcp.srcport", "-e", "tcp.seq", "-e", "tcp.nxtseq", "-e", "tcp.flags.syn",
                "-e", "tcp.flags.ack");
        Map<String, String> client = new HashMap<>();
        Map<String, Direction> dirs = new HashMap<>();
        Map<String, Boolean> synSeen = new HashMap<>();
        List<long[]> packets = new ArrayList<>();
        for (String line : out.lines().toList()) {
            String[] f = line.split("\t", -1);
            long time = new BigDecimal(f[0]).movePointRight(9).longValueExact();
            String stream = f[1];
            String sender = (f[2].isEmpty() ? f[3] : f[2]) + ":" + f[4];
            boolean syn = f[7].equals("1") || f[7].equals("True");
            boolean ack = f[8].equals("1") || f[8].equals("True");
            if (syn && !ack) {
                client.putIfAbsent(stream, sender);
            }
            client.putIfAbsent(stream, sender); // picked up mid-stream: the first sender is the client, as in Judo
            String key = stream + "/" + sender;
            synSeen.putIfAbsent(key, syn);
            long seq = Long.parseLong(f[5]);
            long nxt = f[6].isEmpty() ? seq : Long.parseLong(f[6]);
            dirs.computeIfAbsent(key, k -> new Direction()).segment(seq, nxt, syn);
            String clientKey = stream + "/" + client.get(stream);
            long c = 0;
            long s = 0;
            for (Map.Entry<String, Direction> e : dirs.entrySet()) {
                if (!e.getKey().startsWith(stream + "/")) {
                    continue;
                }
                long size = e.getValue().size(synSeen.get(e.getKey()));
                if (e.getKey().equals(clientKey)) {
                    c = size;
                } else {
                    s = size;
                }
            }
            packets.add(new long[] {time, c, s});
        }
        return packets;
    }

    private static Map<Integer, List<Long>> judo(Path pcap, List<Case> cases) {
        StringBuilder rules = new StringBuilder();
        cases.forEach(c -> rules.append(c.rule()));
        Map<Integer, List<Long>> seen = new TreeMap<>();
        for (Alert a : Replay.alerts(rules.toString(), "stream-size.rules", pcap)) {
            seen.computeIfAbsent((int) a.rule().sid(), x -> new ArrayList<>()).add(a.timeNanos());
        }
        seen.values().forEach(l -> l.sort(null));
        return seen;
    }

    @Test
    void perPacketRulesMatchTheSizesTsharkSequenceNumbersGive(@TempDir Path dir) throws Exception {
        List<Path> captures = new ArrayList<>(List.of(Replay.generated(dir, 20261204L, 3000)));
        for (String name : new String[] {"zeek_http_pipelined-requests.pcap", "zeek_ftp_cwd-navigation.pcap"}) {
            if (Files.isRegularFile(PCAPS.resolve(name))) {
                captures.add(PCAPS.resolve(name));
            }
        }
        for (Path pcap : captures) {
            List<long[]> packets = oracle(pcap);
            // the largest sizes are reached only with the FIN counted, as Suricata's next_seq counts it
            long maxClient = packets.stream().mapToLong(p -> p[1]).max().orElse(0);
            long maxServer = packets.stream().mapToLong(p -> p[2]).max().orElse(0);
            List<Case> cases = new ArrayList<>(CASES);
            cases.add(new Case(8, 0, "=", maxClient));
            cases.add(new Case(9, 1, ">=", maxServer));
            Map<Integer, List<Long>> judo = judo(pcap, cases);
            for (Case c : cases) {
                List<Long> expected = packets.stream().filter(p -> c.test(p[1], p[2])).map(p -> p[0]).sorted()
                        .toList();
                assertTrue(!expected.isEmpty() || c.sid() == 5, pcap.getFileName() + " exercises " + c.rule());
                assertEquals(expected, judo.getOrDefault(c.sid(), List.of()), pcap.getFileName() + ": " + c.rule());
            }
        }
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    /**
     * A content rule runs on the stream: the size it reads counts the chunk being inspected (hand-checked: SYN 1 plus
     * the bytes so far), so a rule for the first 20 bytes of a client sees the first request and not the second.
     */
    @Test
    void streamRulesCountTheChunkTheyInspect() {
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "10.0.0.1", 40001, "10.0.0.2", 8080, 7, 9);
        c.handshake().clientSends(ascii("HELLO 1\r\n")).serverSends(ascii("OK\r\n")).clientSends(ascii("HELLO 2\r\n"))
                .serverSends(ascii("OK\r\n"));
        String rules = "alert tcp any any -> any any (msg:\"early\"; flow:to_server; stream_size:client,<,11; "
                + "content:\"HELLO\"; sid:1;)\n"
                + "alert tcp any any -> any any (msg:\"exact\"; flow:to_server; stream_size:client,=,10; "
                + "content:\"HELLO 1\"; sid:2;)\n"
                + "alert tcp any any -> any any (msg:\"late\"; flow:to_server; stream_size:client,>,11; "
                + "content:\"HELLO 2\"; sid:3;)\n"
                + "alert tcp any any -> any any (msg:\"server quiet\"; flow:to_client; stream_size:server,<,5; "
                + "content:\"OK\"; sid:4;)\n"
                + "alert tcp any any -> any any (msg:\"server spoke\"; flow:to_client; stream_size:server,=,9; "
                + "content:\"OK\"; sid:5;)\n";
        Map<Long, Integer> counts = Replay.bySid(Replay.alerts(rules, "t.rules",
                c.frames().stream().map(TcpConversation.Frame::bytes).toList()));
        assertEquals(Map.of(1L, 1, 2L, 1, 3L, 1, 5L, 1), counts, "sizes 10 and 19 (client), 5 and 9 (server)");
    }

    @Test
    void aUdpFlowHasNoStreamSize() {
        String rules = "alert ip any any -> any any (msg:\"small\"; stream_size:either,<,1000; sid:1;)\n";
        List<byte[]> frames = List.of(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(5000, 53)
                .payload(ascii("payload")).build());
        assertEquals(List.of(), Replay.alerts(rules, "t.rules", frames));
    }
}
