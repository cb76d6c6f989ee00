package io.judo.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.stream.Stream;

/**
 * The {@code content:"..."} strings of a Suricata/Snort rule set ({@code |hex|} blocks and backslash escapes
 * decoded), distinct, in file order: a real literal set for matcher benchmarks. Only the content option is read; the
 * rule parser proper belongs to the rules module.
 */
final class RuleContents {
    private static final java.util.regex.Pattern CONTENT =
            java.util.regex.Pattern.compile("content:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private RuleContents() {
    }

    /** Distinct contents of at least {@code minLength} bytes from every *.rules file in {@code dir}. */
    static List<byte[]> load(Path dir, int minLength) throws IOException {
        Set<String> seen = new LinkedHashSet<>();
        List<byte[]> out = new ArrayList<>();
        List<Path> files;
        try (Stream<Path> s = Files.list(dir)) {
            files = s.filter(p -> p.toString().endsWith(".rules")).sorted().toList();
        }
        for (Path f : files) {
            for (String line : Files.readAllLines(f, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("#")) {
                    continue;
                }
                Matcher m = CONTENT.matcher(line);
                while (m.find()) {
                    byte[] b = decode(m.group(1));
                    if (b != null && b.length >= minLength && seen.add(new String(b, StandardCharsets.ISO_8859_1))) {
                        out.add(b);
                    }
                }
            }
        }
        return out;
    }

    /** Decodes {@code |41 42|} hex blocks and backslash escapes; null when malformed. */
    static byte[] decode(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        boolean hex = false;
        StringBuilder digits = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '|') {
                hex = !hex;
                continue;
            }
            if (hex) {
                if (Character.digit(c, 16) >= 0) {
                    digits.append(c);
                    if (digits.length() == 2) {
                        out.write(Integer.parseInt(digits.toString(), 16));
                        digits.setLength(0);
                    }
                } else if (c != ' ') {
                    return null;
                }
                continue;
            }
            if (c == '\\' && i + 1 < s.length()) {
                c = s.charAt(++i);
            }
            out.write(c & 0xff);
        }
        return hex ? null : out.toByteArray();
    }
}
