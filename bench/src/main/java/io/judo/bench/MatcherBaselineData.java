package io.judo.bench;

import io.judo.matcher.Pattern;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Writes MatcherBench's pattern set (one expression per line, exactly as the Java side compiles them) and its corpus
 * to a directory, for the native baseline in bench/native.
 */
public final class MatcherBaselineData {
    private MatcherBaselineData() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args[0]);
        MatcherBench b = new MatcherBench();
        b.engine = "dfa";
        b.size = 64;
        b.patterns = 1000;
        List<byte[]> contents = RuleContents.load(MatcherBench.rulesDir(), 4);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < b.patterns && i < contents.size(); i++) {
            lines.add(Pattern.literal(i, contents.get(i), Set.of()).expression());
        }
        Files.write(out.resolve("patterns.txt"), lines, StandardCharsets.ISO_8859_1);
        Files.write(out.resolve("corpus.bin"), MatcherBench.corpus(contents, b.patterns));
    }
}
