package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code disasm}, {@code verify} and {@code asm} given something else say what it is, without echoing its bytes. */
class NotAProgramTest {
    @TempDir
    Path dir;

    /** One line, exit 2, nothing but printable text (the terminal must not get raw bytes). */
    private static Run rejected(String command, Path file, String expected) {
        Run r = Run.judo(command, file.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, r.status(), r.out() + r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().contains(expected), "'" + expected + "' in " + r.err());
        assertTrue(r.err().chars().allMatch(c -> c == '\n' || c >= 0x20 && c < 0x7f), "printable: " + r.err());
        return r;
    }

    @Test
    void aCaptureIsNamed() throws Exception {
        Path pcap = Files.write(dir.resolve("x.pcap"), DemoCapture.bundled());
        for (String command : new String[] {"disasm", "verify", "asm"}) {
            rejected(command, pcap, pcap + " is a pcap capture, not a judo program");
        }
    }

    @Test
    void otherBinaryIsNamedByItsFirstBytes() throws Exception {
        byte[] bytes = new byte[300];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) (i * 37 + 11);
        }
        bytes[0] = (byte) 0xde;
        bytes[1] = (byte) 0xad;
        bytes[2] = 0;
        bytes[3] = 1;
        Path blob = Files.write(dir.resolve("blob"), bytes);
        rejected("disasm", blob, blob + " is binary data (starts with 0xdead0001), not a judo program");
        Path gz = Files.write(dir.resolve("x.gz"), new byte[] {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0});
        rejected("verify", gz, "is a gzip archive, not a judo program");
    }

    @Test
    void rulesAreNamedWithTheCommandThatCompilesThem() throws Exception {
        Path rules = Files.writeString(dir.resolve("web.rules"),
                "alert tcp any any -> any 80 (msg:\"GET\"; content:\"GET\"; sid:1;)\n");
        rejected("disasm", rules, rules + " is Suricata/Snort rules, not a judo program: judo compile --rules "
                + rules + " --disasm");
        Path policy = Files.writeString(dir.resolve("p.judo"), "block in proto tcp to any port 23\n");
        rejected("verify", policy, policy + " is a judo policy, not a judo program");
    }

    @Test
    void assemblyTextStillGetsTheAssemblersError() throws Exception {
        Path text = Files.writeString(dir.resolve("t.s"), "hello world\n");
        Run r = Run.judo("verify", text.toString());
        assertEquals(Judo.EXIT_BAD_INPUT, r.status());
        assertTrue(r.err().startsWith("judo: " + text + ":1:1: unknown instruction 'hello'"), r.err());
    }

    @Test
    void latin1CommentsAreStillAssembly() throws Exception {
        Path src = dir.resolve("f.s");
        Files.write(src, "; caf\u00e9 \u00bb port 80\n    mov r0, 1\n    ret pass\n"
                .getBytes(StandardCharsets.ISO_8859_1));
        Run r = Run.judo("verify", src.toString());
        assertEquals(0, r.status(), r.err());
    }
}
