package io.judo.vm;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Reads the golden case files: {@code === name}, program lines, {@code --- expectation}; {@code #} lines are comments. */
final class GoldenCases {
    record Case(String name, String program, String expectation) {
        @Override
        public String toString() {
            return name;
        }
    }

    private GoldenCases() {
    }

    static String resource(String name) throws IOException {
        try (InputStream in = GoldenCases.class.getResourceAsStream("/golden/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource golden/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static List<Case> read(String file) throws IOException {
        List<Case> cases = new ArrayList<>();
        String name = null;
        StringBuilder program = new StringBuilder();
        for (String line : resource(file).split("\n")) {
            if (line.startsWith("#") && name == null) {
                continue;
            }
            if (line.startsWith("=== ")) {
                name = line.substring(4).trim();
                program.setLength(0);
            } else if (line.startsWith("--- ")) {
                cases.add(new Case(name, program.toString(), line.substring(4).trim()));
                name = null;
            } else if (name != null) {
                program.append(line).append('\n');
            }
        }
        return cases;
    }
}
