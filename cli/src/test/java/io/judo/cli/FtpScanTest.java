package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo scan} over one FTP command connection: the summary's ftp line and the {@code --json} member count its
 * commands, {@code --eve-types ftp} writes one EVE ftp line per command and one for the greeting, and
 * {@code --eve-types alert} leaves them out.
 */
class FtpScanTest {
    @TempDir
    Path dir;

    private Path capture() throws Exception {
        TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "10.3.0.1", 40100, "10.3.0.2", 21, 100, 900)
                .handshake();
        c.serverSends(bytes("220 judo ftp\r\n"));
        c.clientSends(bytes("USER anonymous\r\n"));
        c.serverSends(bytes("331 password please\r\n"));
        c.clientSends(bytes("PASS a@b\r\n"));
        c.serverSends(bytes("230-welcome\r\n230 in\r\n"));
        c.clientSends(bytes("PASV\r\n"));
        c.serverSends(bytes("227 Entering Passive Mode (10,3,0,2,195,81)\r\n"));
        c.clientSends(bytes("RETR secret.txt\r\n"));
        c.serverSends(bytes("550 no\r\n"));
        c.close();
        List<byte[]> frames = new ArrayList<>();
        c.frames().forEach(f -> frames.add(f.bytes()));
        return Frames.writePcap(dir.resolve("ftp.pcap"), LinkType.ETHERNET, frames);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void summaryJsonAndEveFtpLines() throws Exception {
        Path pcap = capture();
        Path rules = Files.writeString(dir.resolve("f.rules"), "alert ftp any any -> any any (msg:\"retr\"; "
                + "ftp.command; content:\"RETR\"; ftp.command_data; content:\"secret.txt\"; sid:1;)\n");
        Path eve = dir.resolve("eve.json");
        Run r = Run.judo("scan", "--rules", rules.toString(), "--eve", eve.toString(), "--eve-types", "ftp,alert",
                pcap.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("ftp        1 flows, 4 commands, 0 events"), r.out());
        assertTrue(r.out().contains("alerts     1"), r.out());
        List<String> lines = Files.readAllLines(eve);
        List<String> ftp = lines.stream().filter(l -> l.contains("\"event_type\":\"ftp\"")).toList();
        assertEquals(5, ftp.size(), String.join("\n", lines));
        assertEquals(1, lines.stream().filter(l -> l.contains("\"event_type\":\"alert\"")).count());
        assertTrue(ftp.get(0).contains("\"ftp\":{\"reply\":[\"judo ftp\"],\"completion_code\":[\"220\"],"
                + "\"reply_received\":\"yes\"}"), ftp.get(0));
        assertTrue(ftp.get(2).contains("\"command\":\"PASS\",\"command_data\":\"a@b\",\"reply\":[\"welcome\",\"in\"],"
                + "\"completion_code\":[\"230\",\"230\"]"), ftp.get(2));
        assertTrue(ftp.get(3).contains("\"command\":\"PASV\"") && ftp.get(3).contains("\"dynamic_port\":50001")
                && ftp.get(3).contains("\"mode\":\"passive\""), ftp.get(3));
        assertTrue(ftp.get(4).contains("\"command\":\"RETR\",\"command_data\":\"secret.txt\",\"reply\":[\"no\"],"
                + "\"completion_code\":[\"550\"],\"reply_received\":\"yes\""), ftp.get(4));

        Run j = Run.judo("scan", "--json", "--rules", rules.toString(), pcap.toString());
        assertEquals(0, j.status(), j.err());
        @SuppressWarnings("unchecked")
        Map<String, Object> member = (Map<String, Object>) ((Map<String, Object>) Json.parse(j.out())).get("ftp");
        assertEquals(1L, member.get("flows"), j.out());
        assertEquals(4L, member.get("commands"), j.out());

        Path alertsOnly = dir.resolve("alerts.json");
        Run a = Run.judo("scan", "--rules", rules.toString(), "--eve", alertsOnly.toString(), "--eve-types", "alert",
                pcap.toString());
        assertEquals(0, a.status(), a.err());
        assertEquals(1, Files.readAllLines(alertsOnly).size());
    }
}
