package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.decode.LinkType;
import io.judo.packet.testing.Frames;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --checksum-validation auto|on|off} (issue 15): auto, the default, keeps a capture taken with checksum
 * offload in reassembly and validates one whose bad checksums are rare, per capture; {@code judo streams} and
 * {@code judo grep --pcap} decide as {@code judo scan} does, so all three see the same streams.
 */
class ChecksumValidationTest {
    private static final String CLIENT = "192.168.1.10";
    private static final String REQUEST = "NICK tim\r\nUSER tim tim 127.0.0.1 :Tim\r\nJOIN #judo\r\nPRIVMSG #judo :"
            + "the quick brown fox jumps over the lazy dog\r\nQUIT :bye\r\n";
    private static final String RULES = "alert tcp any any -> any 6667 (msg:\"IRC JOIN\"; flow:to_server,established; "
            + "content:\"JOIN|20 23|\"; sid:1;)\n";

    @TempDir
    Path dir;

    /** Frames the client sent in the capture {@link #irc} made last. */
    private int clientFrames;

    /**
     * An IRC session in 8-byte segments. {@code offloaded}: captured on the client, whose NIC fills checksums in
     * after capture, so every client frame has a wrong TCP checksum; otherwise only the segment carrying "JOIN #"
     * is damaged (and never sent again).
     */
    private Path irc(String name, boolean offloaded) throws Exception {
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, CLIENT, 40000, "203.0.113.6", 6667, 1000,
                7_000_000L).mss(8);
        c.handshake().clientSends(REQUEST.getBytes(StandardCharsets.ISO_8859_1))
                .serverSends(":irc.example NOTICE * :hello\r\n".getBytes(StandardCharsets.ISO_8859_1)).close();
        int join = REQUEST.indexOf("JOIN #");
        List<byte[]> frames = new ArrayList<>();
        int sent = 0;
        clientFrames = 0;
        for (TcpConversation.Frame f : c.frames()) {
            byte[] b = f.bytes().clone();
            boolean fromClient = (b[26] & 0xff) == 192 && (b[27] & 0xff) == 168;
            int payload = b.length - 54; // Ethernet, IPv4 and TCP headers without options
            boolean damaged = offloaded ? fromClient
                    : fromClient && payload > 0 && sent <= join + 5 && sent + payload > join + 5;
            if (damaged) {
                b[50] ^= 0x5a; // the TCP checksum
            }
            if (fromClient) {
                sent += payload;
                clientFrames++;
            }
            frames.add(b);
        }
        return Frames.writePcap(dir.resolve(name), LinkType.ETHERNET, frames);
    }

    private Path rules() throws Exception {
        return Files.writeString(dir.resolve("irc.rules"), RULES);
    }

    private static long tcpPackets(Path capture) throws Exception {
        Run r = Run.judo("scan", "--json", capture.toString());
        return r.json("tcp");
    }

    @Test
    void anOffloadedCaptureScansWithAlertsByDefault() throws Exception {
        Path cap = irc("offloaded.pcap", true);
        Path rules = rules();
        Run auto = Run.judo("scan", "--rules", rules.toString(), cap.toString());
        assertEquals(0, auto.status(), auto.err());
        assertTrue(auto.out().contains("checksums  auto: off after " + tcpPackets(cap) + " packets, " + clientFrames
                + " bad (offloading)"), auto.out());
        assertTrue(auto.out().contains("[1:1:0] IRC JOIN"), auto.out());
        assertFalse(auto.out().contains("left out of stream reassembly"), auto.out());

        Run on = Run.judo("scan", "--checksum-validation", "on", "--rules", rules.toString(), cap.toString());
        assertEquals(0, on.status(), on.err());
        assertTrue(on.out().contains("checksums  on"), on.out());
        assertFalse(on.out().contains("IRC JOIN"), on.out());
        assertTrue(on.out().contains("left out of stream reassembly"), on.out());

        for (String[] off : new String[][] {{"--checksum-validation", "off"}, {"--no-checksum-validation"}}) {
            List<String> args = new ArrayList<>(List.of("scan", "--rules", rules.toString(), cap.toString()));
            args.addAll(1, List.of(off));
            Run r = Run.judo(args.toArray(String[]::new));
            assertTrue(r.out().contains("checksums  off") && r.out().contains("IRC JOIN"), r.out());
        }
    }

    @Test
    void theDecisionAndItsCountsAreInTheJsonSummary() throws Exception {
        Path cap = irc("offloaded.pcap", true);
        Run r = Run.judo("scan", "--json", cap.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("\"checksums\":{\"mode\":\"auto\",\"captures\":[{\"name\":\""
                + cap + "\",\"validated\":false,\"sampled\":" + r.json("tcp") + ",\"bad\":"), r.out());
    }

    @Test
    void theDemoWithOneDamagedChecksumStaysValidatedAndCountsIt() {
        Run r = Run.judo("scan");
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("checksums  auto: on after 95 packets, 1 bad"), r.out());
        assertTrue(r.out().contains("bad_tcp_checksum 1"), r.out());
        assertTrue(r.out().contains("(1 TCP segments with bad checksums were left out of stream reassembly"),
                r.out());
    }

    @Test
    void eachCaptureIsDecidedOnItsOwn() throws Exception {
        Path offloaded = irc("offloaded.pcap", true);
        Path damaged = irc("damaged.pcap", false);
        Run r = Run.judo("scan", "--rules", rules().toString(), offloaded.toString(), damaged.toString());
        assertEquals(0, r.status(), r.err());
        // the offloaded capture's JOIN alerts; the damaged capture's JOIN segment is left out, as its receiver did
        assertTrue(r.out().contains("1  [1:1:0] IRC JOIN"), r.out());
        assertTrue(r.out().contains("(1 TCP segments with bad checksums were left out"), r.out());
        assertTrue(r.out().contains("checksums  auto: on for 1 of 2 captures (1 bad of " + tcpPackets(damaged)
                + " packets sampled), off for 1 (offloading):"), r.out());
        assertTrue(r.out().contains(offloaded + ": off after " + tcpPackets(offloaded) + " packets"), r.out());
    }

    @Test
    void streamsAndGrepSeeWhatScanSees() throws Exception {
        Path offloaded = irc("offloaded.pcap", true);
        Path damaged = irc("damaged.pcap", false);
        String clientFile = "192.168.001.010.40000-203.000.113.006.06667";
        for (Path cap : List.of(offloaded, damaged)) {
            boolean kept = cap.equals(offloaded); // auto: the offloaded capture is not validated, the other is
            for (String mode : new String[] {null, "on", "off"}) {
                boolean sees = mode == null ? kept : mode.equals("off");
                List<String> modeArgs = mode == null ? List.of() : List.of("--checksum-validation", mode);
                String what = cap.getFileName() + " " + (mode == null ? "auto" : mode);

                List<String> scan = new ArrayList<>(List.of("scan", "--rules", rules().toString()));
                scan.addAll(modeArgs);
                scan.add(cap.toString());
                Run s = Run.judo(scan.toArray(String[]::new));
                assertEquals(sees, s.out().contains("IRC JOIN"), what + ": " + s.out());

                Path out = dir.resolve("streams-" + what.replace(' ', '-'));
                List<String> streams = new ArrayList<>(List.of("streams", "--out", out.toString()));
                streams.addAll(modeArgs);
                streams.add(cap.toString());
                Run st = Run.judo(streams.toArray(String[]::new));
                assertEquals(0, st.status(), st.err());
                Path client = out.resolve(clientFile);
                String bytes = Files.exists(client) ? Files.readString(client, StandardCharsets.ISO_8859_1) : "";
                assertEquals(sees, bytes.contains("JOIN #judo"), what + ": " + bytes);

                List<String> grep = new ArrayList<>(List.of("grep", "--pcap", "--count", "-e", "JOIN #"));
                grep.addAll(modeArgs);
                grep.add(cap.toString());
                Run g = Run.judo(grep.toArray(String[]::new));
                assertEquals(sees ? "0\t1" : "0\t0", g.out().strip(), what + ": " + g.out() + g.err());
            }
        }
    }

    @Test
    void aBadModeIsOneLineAndExitTwo() {
        for (String command : new String[] {"scan", "streams", "grep"}) {
            List<String> args = new ArrayList<>(List.of(command, "--checksum-validation", "maybe"));
            if (command.equals("streams")) {
                args.addAll(List.of("--out", dir.resolve("o").toString()));
            }
            if (command.equals("grep")) {
                args.addAll(List.of("--pcap", "-e", "x"));
            }
            args.add(dir.resolve("none.pcap").toString());
            Run r = Run.judo(args.toArray(String[]::new));
            assertEquals(2, r.status(), command + ": " + r.err());
            assertEquals("judo: --checksum-validation: 'maybe' is not one of auto, on, off (see judo " + command
                    + " --help)", r.err().strip(), command);
        }
    }
}
