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
     * What {@code data} looks like when it is not text ("a pcap capture", "binary data"), or null for text. Text may
     * hold Latin-1 or UTF-8 bytes; a NUL byte, a known file signature or many control bytes make it binary.
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
                    return "an executable";
                case 0xcafebabe:
                    return "a Java class file";
                default:
                    break;
            }
            if ((magic >>> 16) == 0x1f8b) {
                return "a gzip file (decompress it first)";
            }
        }
        int control = 0;
        for (int i = 0; i < n; i++) {
            int c = data[i] & 0xff;
            if (c == 0) {
                return "binary data";
            }
            if (c < 0x20 && c != '\n' && c != '\r' && c != '\t' && c != '\f') {
                control++;
            }
        }
        return control * 20 > n ? "binary data" : null;
    }
}
