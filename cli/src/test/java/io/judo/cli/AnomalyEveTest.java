package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.PacketBuilder.TcpFlags;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.decode.LinkType;
import io.judo.packet.testing.ExternalTools;
import io.judo.packet.testing.Frames;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * EVE {@code anomaly} records with Suricata's event names: one per decoder event a packet raised (the frames tshark
 * reports as malformed, with the events worked out by hand from each corruption) and one per stream event with a
 * Suricata name (an overlap with different data), each on the packet that raised it.
 */
class AnomalyEveTest {
    @TempDir
    Path dir;

    private static final int IP = 14;

    @Test
    @SuppressWarnings("unchecked")
    void decoderAndStreamEventsAreAnomalyRecords() throws Exception {
        ExternalTools.require("tshark");
        List<byte[]> frames = new ArrayList<>();
        frames.add(PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(40001, 40002).payload("hello").build());
        byte[] ihl = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(40001, 40002).payload("hello")
                .build();
        ihl[IP] = 0x44; // frame 2: IHL 4 words, below the 20-byte minimum
        frames.add(ihl);
        byte[] length = PacketBuilder.ethernet().ipv4("10.0.0.1", "10.0.0.2").udp(40001, 40002).payload("hello")
                .build();
        length[IP + 2] = 0;
        length[IP + 3] = (byte) 200; // frame 3: total length 200, past the frame
        frames.add(length);
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "192.168.1.10", 40000, "203.0.113.80", 80,
                1000, 5000);
        c.handshake().frames().forEach(f -> frames.add(f.bytes())); // frames 4-6
        for (String[] s : new String[][] {{"0", "GET /a HTTP/1.0\r\n"}, {"4", "/b"}}) { // frame 8 overlaps "/a"
            frames.add(PacketBuilder.ethernet().ipv4("192.168.1.10", "203.0.113.80").tcp(40000, 80)
                    .seq(1001 + Long.parseLong(s[0])).ack(5001).flags(TcpFlags.ACK | TcpFlags.PSH).payload(s[1])
                    .build());
        }
        Path pcap = Frames.writePcap(dir.resolve("anomalies.pcap"), LinkType.ETHERNET, frames);
        // tshark: which frames are malformed (expert errors), by their capture time
        Map<String, String> timeOfFrame = new TreeMap<>();
        for (String line : ExternalTools.run("tshark", "-n", "-r", pcap.toString(), "-T", "fields", "-e",
                "frame.number", "-e", "frame.time_epoch").strip().split("\n")) {
            String[] f = line.split("\t");
            timeOfFrame.put(f[0], f[1].substring(0, f[1].indexOf('.') + 7));
        }
        List<String> malformed = List.of(ExternalTools.run("tshark", "-n", "-r", pcap.toString(), "-Y",
                "_ws.expert.severity == error", "-T", "fields", "-e", "frame.number").strip().split("\n"));
        assertEquals(List.of("2", "3"), malformed);

        Path eve = dir.resolve("eve.json");
        Run r = Run.judo("scan", "--eve", eve.toString(), pcap.toString());
        assertEquals(0, r.status(), r.err());
        List<String> got = new ArrayList<>();
        for (String line : Files.readAllLines(eve)) {
            Map<String, Object> e = (Map<String, Object>) Json.parse(line);
            if (!"anomaly".equals(e.get("event_type"))) {
                continue;
            }
            Map<String, Object> a = (Map<String, Object>) e.get("anomaly");
            String time = (String) e.get("timestamp");
            String frame = timeOfFrame.entrySet().stream().filter(t -> secondsOf(time).equals(t.getValue()))
                    .map(Map.Entry::getKey).findFirst().orElse("?");
            got.add(frame + " " + a.get("type") + " " + a.get("event"));
        }
        assertEquals(List.of("2 decode decoder.ipv4.hlen_too_small", "3 decode decoder.ipv4.trunc_pkt",
                "8 stream stream.reassembly_overlap_different_data"), got);
    }

    /** An EVE timestamp as epoch seconds with six decimals, as tshark's frame.time_epoch cut to microseconds. */
    private static String secondsOf(String eveTime) {
        java.time.OffsetDateTime t = java.time.OffsetDateTime.parse(eveTime,
                java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxx"));
        return t.toEpochSecond() + "." + String.format("%06d", t.getNano() / 1000);
    }
}
