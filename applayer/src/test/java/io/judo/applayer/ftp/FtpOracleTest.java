package io.judo.applayer.ftp;

import static io.judo.applayer.TestSupport.run;
import static io.judo.applayer.TestSupport.works;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.judo.applayer.TestSupport;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A real client as the oracle's subject: sessions.py makes Python's ftplib log in, list, download and upload in
 * passive (PASV, EPSV) and active (PORT) mode against a small socketserver FTP server, with real data connections.
 * The parser, fed the recorded control connection in random segments, must read the commands and arguments tshark
 * reads from a pcap of the same bytes ({@code ftp.request.command}, {@code ftp.request.arg}), announce the data
 * ports tshark finds ({@code ftp.passive.port}, {@code ftp.epsv.port}, {@code ftp.active.port}) in the same order,
 * pair every command with a reply and raise no event.
 */
class FtpOracleTest {
    @TempDir
    static Path dir;

    static final List<byte[]> flights = new ArrayList<>();
    static final List<Integer> dirs = new ArrayList<>();
    static Path pcap;

    @BeforeAll
    static void record() throws Exception {
        assumeTrue(works("python3", "-c", "import ftplib, socketserver"), "python3 with ftplib is needed");
        assumeTrue(works("tshark", "-v"), "tshark is needed for the FTP oracle");
        Path script = TestSupport.script(FtpOracleTest.class, "sessions.py", dir);
        for (String line : run(dir, "python3", script.toString(), dir.toString()).split("\n")) {
            String[] w = line.split(" ", 3);
            if (w[0].equals("CASE")) {
                pcap = Path.of(w[2]);
            } else if (w[0].equals("FLIGHT")) {
                dirs.add(Integer.parseInt(w[1]));
                flights.add(Base64.getDecoder().decode(w[2]));
            }
        }
        assertTrue(flights.size() > 40, "the session was recorded");
    }

    private static List<String> tshark(String filter, String... fields) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("tshark", "-r", pcap.toString(), "-Y", filter, "-T", "fields"));
        for (String f : fields) {
            cmd.add("-e");
            cmd.add(f);
        }
        List<String> out = new ArrayList<>();
        for (String l : run(cmd.toArray(String[]::new)).split("\n")) {
            if (!l.isBlank()) {
                out.add(l);
            }
        }
        return out;
    }

    private static Recorder parse(Random rnd) {
        Recorder r = new Recorder();
        FtpParser p = new FtpParser(FtpConfig.defaults(), r);
        for (int i = 0; i < flights.size(); i++) {
            byte[] f = flights.get(i);
            int d = dirs.get(i);
            TestSupport.cut(f.length, rnd, 3, 4, 200, (at, n) -> p.data(d, f, at, n));
        }
        p.end(0);
        p.end(1);
        return r;
    }

    @Test
    void commandsArgumentsAndDataPortsAreTsharks() throws Exception {
        List<String> want = new ArrayList<>();
        for (String l : tshark("ftp.request.command", "ftp.request.command", "ftp.request.arg")) {
            want.add(l.endsWith("\t") ? l.substring(0, l.length() - 1) : l);
        }
        List<String> ports = tshark("ftp.passive.port || ftp.epsv.port || ftp.active.port", "ftp.passive.port",
            "ftp.epsv.port", "ftp.active.port");
        assertTrue(want.contains("STOR\tupload one.bin") && want.contains("PASS\tsecret pass"), want::toString);
        for (long seed = 0; seed < 20; seed++) {
            Recorder r = parse(new Random(seed));
            List<String> got = new ArrayList<>();
            List<String> announced = new ArrayList<>();
            for (String l : r.log) {
                if (l.startsWith("tx ") && !l.contains(" null cmd=")) { // a command's transaction, not the greeting
                    String line = l.substring(l.indexOf(' ', 3) + 1, l.indexOf(" cmd="));
                    got.add(line.replaceFirst(" ", "\t"));
                    assertTrue(l.contains("received=true"), l);
                } else if (l.startsWith("channel ")) {
                    announced.add(l.substring(l.lastIndexOf(':') + 1, l.indexOf(" by ")));
                }
                assertTrue(!l.startsWith("event"), l);
            }
            assertEquals(want, got, "seed " + seed);
            assertEquals(ports.stream().map(String::trim).toList(), announced, "seed " + seed);
        }
    }

    @Test
    void buffersAreSuricatasReadingOfTheSameCommands() {
        Recorder r = parse(new Random(7));
        assertTrue(r.commands.contains("USER|judo"), r.commands::toString);
        assertTrue(r.commands.contains("CWD|/pub dir"), r.commands::toString);
        assertTrue(r.commands.contains("PORT|" + r.channels.stream().filter(FtpDataChannel::active).findFirst()
            .map(c -> "127,0,0,1," + (c.port() >> 8) + "," + (c.port() & 255)).orElse("?")), r.commands::toString);
        assertTrue(r.commands.contains("-|-"), "XNOTACMD is no command of Suricata's table");
        assertTrue(r.commands.contains("SIZE|readme.txt") && !r.commands.contains("FEAT|-"), r.commands::toString);
        // the transfers: RETR and NLST after PASV, STOR after PASV (the EPSV before it replaced), LIST and RETRs after
        // PORT
        assertEquals(List.of("RETR readme.txt down", "NLST down", "STOR upload one.bin up", "LIST down",
            "RETR data.bin down", "RETR missing.txt down"), r.channels.stream().map(c -> c.transferCommand()
            + (c.fileName() == null ? "" : " " + new String(c.fileName(), java.nio.charset.StandardCharsets.ISO_8859_1))
            + (c.upload() ? " up" : " down")).toList());
    }
}
