package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.packet.build.PacketBuilder;
import io.judo.packet.build.TcpConversation;
import io.judo.packet.capture.PcapWriter;
import io.judo.packet.decode.LinkType;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** pf.conf files from the command line: rules show, rules check, scan with a .conf policy, and bad input. */
class PfConfCommandTest {
    @TempDir
    Path dir;

    @Test
    void rulesShowPrintsOpenBsdsExampleAsPfctlWould() throws Exception {
        Path conf = Files.writeString(dir.resolve("pf.conf"), String.join("\n", "set skip on lo", "",
                "block return\t# block stateless traffic", "pass\t\t# establish keep-state", "",
                "# By default, do not permit remote connections to X11",
                "block return in on ! lo0 proto tcp to port 6000:6010", "",
                "# Port build user does not need network", "block return out log proto {tcp udp} user _pbuild", ""));
        Run r = Run.judo("rules", "show", conf.toString());
        assertEquals(0, r.status(), r.err());
        assertEquals(String.join("\n", "set skip on { lo }", "@0 block return all", "@1 pass all flags S/SA",
                "@2 block return in on ! lo0 proto tcp from any to any port 6000:6010",
                "@3 block return out log proto tcp all user _pbuild",
                "@4 block return out log proto udp all user _pbuild", ""), r.out());
        assertTrue(r.err().contains("judo: warning: " + conf + ":10:38: user: pf matches it only on the sockets"),
                r.err());
        Run check = Run.judo("rules", "check", conf.toString());
        assertEquals(0, check.status(), check.err());
        assertTrue(check.out().contains("pf.conf: 4 rules, 0 queues, 0 tags, 0 errors, 1 warnings"), check.out());
    }

    @Test
    void interfaceAddressesComeFromTheOption() throws Exception {
        Path conf = Files.writeString(dir.resolve("gw.pf"), "ext_if = \"em0\"\n"
                + "pass in on $ext_if proto tcp from any to ($ext_if) port ssh\n"
                + "antispoof for $ext_if inet\n");
        Run r = Run.judo("rules", "show", "--interface", "em0=192.0.2.1/24", conf.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("@0 pass in on em0 proto tcp from any to (em0) port = 22 flags S/SA\n"), r.out());
        assertTrue(r.out().contains("@1 block drop in on ! em0 inet from 192.0.2.0/24 to any\n"), r.out());
        assertTrue(r.out().contains("@2 block drop in inet from 192.0.2.1 to any\n"), r.out());
        Run none = Run.judo("rules", "show", conf.toString());
        assertEquals(0, none.status(), none.err());
        assertTrue(none.err().contains("interface em0 has no address here (give --interface em0=ADDR/N)"),
                none.err());
        Run bad = Run.judo("rules", "show", "--interface", "em0", conf.toString());
        assertEquals(2, bad.status());
        assertTrue(bad.err().contains("judo: --interface em0: expected NAME=ADDR/N"), bad.err());
    }

    @Test
    void badPfConfIsReportedWithACaretAndNotLoaded() throws Exception {
        Path conf = Files.writeString(dir.resolve("bad.conf"), "ext_if = \"em0\"\npass in on $int_if\n"
                + "table <t> { 10.0.0.1\npass all\n");
        Run r = Run.judo("rules", "show", conf.toString());
        assertEquals(1, r.status());
        assertTrue(r.err().contains(conf + ":2:12: macro 'int_if' is not defined\n    pass in on $int_if\n"
                + "               ^"), r.err());
        assertTrue(r.err().contains(conf + ":3:11: missing '}': this list is not closed before line 4"), r.err());
        assertTrue(r.err().contains("2 errors; policy not loaded"), r.err());
    }

    @Test
    void scanTakesAConfPolicyAndKeepsState() throws Exception {
        Path pcap = dir.resolve("c.pcap");
        TcpConversation web = new TcpConversation(PacketBuilder::ethernet, "10.0.0.5", 40000, "198.51.100.1", 80,
                1000, 5000);
        web.handshake().clientSends("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII))
                .serverSends("HTTP/1.1 200 OK\r\n\r\n".getBytes(StandardCharsets.US_ASCII)).close();
        int frames = 0;
        try (OutputStream out = Files.newOutputStream(pcap);
             PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535, false)) {
            long t = 1_700_000_000_000_000_000L;
            for (TcpConversation.Frame f : web.frames()) {
                w.write(t += 1_000_000, f.bytes(), 0, f.bytes().length, f.bytes().length);
                frames++;
            }
            byte[] dns = PacketBuilder.ethernet().ipv4("10.0.0.5", "192.0.2.53").udp(40001, 53).payload("q").build();
            w.write(t + 1_000_000, dns, 0, dns.length, dns.length);
        }
        Path conf = Files.writeString(dir.resolve("fw.conf"), "block all\npass proto tcp to port 80\n");
        Run r = Run.judo("scan", "--rules", conf.toString(), pcap.toString());
        assertEquals(0, r.status(), r.err());
        // every packet of the connection passes (replies through its state), the DNS query is blocked
        assertTrue(r.out().contains("fw.conf: 2 rules; " + frames + " passed, 1 blocked, 0 rejected"), r.out());
    }

    @Test
    void scanEnforcesAnOverloadByCaptureTimeAndReportsTheTable() throws Exception {
        Path pcap = dir.resolve("storm.pcap");
        try (OutputStream out = Files.newOutputStream(pcap);
             PcapWriter w = new PcapWriter(out, LinkType.ETHERNET, 65535, false)) {
            long t = 1_700_000_000_000_000_000L;
            for (int i = 0; i < 8; i++) { // eight connections in well under a second
                TcpConversation c = new TcpConversation(PacketBuilder::ethernet, "10.0.0.5", 40000 + i,
                        "198.51.100.1", 22, 1000, 5000);
                for (TcpConversation.Frame f : c.handshake().close().frames()) {
                    w.write(t += 1_000_000, f.bytes(), 0, f.bytes().length, f.bytes().length);
                }
            }
            byte[] dns = PacketBuilder.ethernet().ipv4("10.0.0.5", "192.0.2.53").udp(40001, 53).payload("q").build();
            w.write(t + 1_000_000, dns, 0, dns.length, dns.length);
            byte[] inside = PacketBuilder.ethernet().ipv4("192.168.1.9", "192.0.2.53").udp(40002, 53).payload("q")
                    .build();
            w.write(t + 2_000_000, inside, 0, inside.length, inside.length);
        }
        Path conf = Files.writeString(dir.resolve("ssh.conf"), String.join("\n", "table <bruteforce> persist",
                "block quick from <bruteforce>", "block all", "pass out proto udp",
                "pass proto tcp to port ssh keep state (max-src-conn-rate 3/30, overload <bruteforce> flush global)",
                ""));
        Run r = Run.judo("scan", "--inside", "192.168.0.0/16", "--rules", conf.toString(), pcap.toString());
        assertEquals(0, r.status(), r.err());
        assertTrue(r.out().contains("limits    1 packet(s) dropped by state limits (max-src-conn-rate 1)"), r.out());
        assertTrue(r.out().contains("overload  <bruteforce>: 1 address 10.0.0.5"), r.out());
        // six frames a connection: three pass whole; the fourth's SYN and SYN+ACK pass, its last handshake ACK is
        // past 3 in 30 s and the rest of it meets "block quick from <bruteforce>" or "block all"; connections 5 to 8
        // and the outside host's query are blocked; the inside host's query goes out and passes
        assertTrue(r.out().contains("ssh.conf: 4 rules; 21 passed, 29 blocked, 0 rejected"), r.out());
        Run json = Run.judo("scan", "--json", "--inside", "192.168.0.0/16", "--rules", conf.toString(),
                pcap.toString());
        assertEquals(0, json.status(), json.err());
        String text = json.out();
        assertTrue(text.contains("\"overload\":{\"bruteforce\":[\"10.0.0.5\"]}"), text);
        assertTrue(text.contains("\"max_src_conn_rate\":1"), text);
    }
}
