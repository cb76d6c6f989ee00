package io.judo.rules;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads the text files rules come in (rule files, variable files) and refuses, in one line, a file that is not text:
 * a capture given to {@code --rules} must not be parsed line by line into dozens of errors that echo binary data.
 */
public final class TextFiles {
    private TextFiles() {
    }

    /** The file is not text; the message says what it looks like. */
    public static final class NotText extends IOException {
        private static final long serialVersionUID = 1L;

        NotText(String message) {
            super(message);
        }
    }

    /**
     * Reads a rules file as Latin-1 (rules are bytes; Suricata reads them the same way).
     *
     * @throws NotText when the file holds binary data
     */
    public static String readRules(Path file) throws IOException {
        byte[] b = Files.readAllBytes(file);
        String kind = binaryKind(b);
        if (kind != null) {
            throw new NotText("not a text rules file (looks like " + kind + ")");
        }
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    /**
     * Reads a UTF-8 text file (a YAML variables file).
     *
     * @throws NotText when the file holds binary data or a byte sequence that is not UTF-8, naming its line and column
     */
    public static String readUtf8(Path file, String what) throws IOException {
        byte[] b = Files.readAllBytes(file);
        String kind = binaryKind(b);
        if (kind != null) {
            throw new NotText("not a text " + what + " file (looks like " + kind + ")");
        }
        CharsetDecoder d = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(b);
        CharBuffer out = CharBuffer.allocate(b.length);
        CoderResult r = d.decode(in, out, true);
        if (r.isError()) {
            int at = in.position();
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < at; i++) {
                if (b[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            throw new NotText(String.format("line %d, column %d: byte 0x%02x is not UTF-8 (save the file as UTF-8)",
                    line, at - lineStart + 1, b[at] & 0xff));
        }
        d.flush(out);
        return out.flip().toString();
    }

    /**
     * What {@code data} looks like when it is not text ("a pcap capture", "binary data (starts with 0x...)"), or null
     * for text: the one sniffer for every command that reads a text file (rules, variables, assembly). Text may hold
     * Latin-1 or UTF-8 bytes; a known file signature, a NUL byte or many control bytes make it binary.
     */
    public static String binaryKind(byte[] data) {
        int n = Math.min(data.length, 8192);
        if (n >= 4) {
            int magic = (data[0] & 0xff) << 24 | (data[1] & 0xff) << 16 | (data[2] & 0xff) << 8 | data[3] & 0xff;
            switch (magic) {
                case 0xa1b2c3d4, 0xd4c3b2a1, 0xa1b23c4d, 0x4d3cb2a1:
                    return "a pcap capture";
                case 0x0a0d0d0a:
                    return "a pcapng capture";
                case 0x504b0304:
                    return "a zip or jar archive";
                case 0x7f454c46:
                    return "an ELF executable";
                case 0xcafebabe:
                    return "a Java class file";
                case 0x25504446:
                    return "a PDF document";
                default:
                    break;
            }
        }
        if (n >= 2 && (data[0] & 0xff) == 0x1f && (data[1] & 0xff) == 0x8b) {
            return "a gzip archive";
        }
        int control = 0;
        boolean nul = false;
        for (int i = 0; i < n; i++) {
            int c = data[i] & 0xff;
            nul |= c == 0;
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                control++;
            }
        }
        if (!nul && control * 20 <= n) {
            return null;
        }
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(4, data.length); i++) {
            hex.append(String.format("%02x", data[i] & 0xff));
        }
        return "binary data (starts with 0x" + hex + ")";
    }
}
