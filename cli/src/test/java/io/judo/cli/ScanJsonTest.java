package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code scan --json} carries everything the text summary does. The bundled demo with --eve, --journal and --write
 * has every section (rules, checks, alerts by rule, policy with tags, queues and rewrites, written, journal,
 * streams); each section label of the text must be a key of the JSON, and each number the text prints must be in
 * the JSON too.
 */
class ScanJsonTest {
    @TempDir
    Path dir;

    private static final Pattern LABEL = Pattern.compile("^ {0,2}([a-z]+) {2,}\\S");
    private static final Pattern NUMBER = Pattern.compile("\\d[\\d,]*");

    private Run scan(boolean json, String run) {
        List<String> args = new ArrayList<>(List.of("scan", "--eve", dir.resolve(run + ".json").toString(),
                "--journal", dir.resolve(run + "-journal").toString(), "--write", dir.resolve(run + ".pcap").toString()));
        if (json) {
            args.add(1, "--json");
        }
        Run r = Run.judo(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        return r;
    }

    @Test
    void everyTextSectionAndNumberIsInTheJson() {
        // The same run directory names in both, so that paths printed in the text can be found in the JSON.
        String text = scan(false, "a").out();
        String json = scan(true, "a").out();
        Set<String> labels = new HashSet<>();
        List<String> missing = new ArrayList<>();
        Set<String> jsonNumbers = new HashSet<>();
        Matcher n = Pattern.compile("\\d+").matcher(json);
        while (n.find()) {
            jsonNumbers.add(n.group());
        }
        for (String line : text.lines().toList()) {
            Matcher m = LABEL.matcher(line);
            if (m.find()) {
                String label = m.group(1);
                labels.add(label);
                if (!Pattern.compile("\"" + label + "(s|_[a-z_]+)?\":").matcher(json).find()) {
                    missing.add("section '" + label + "'");
                }
                if (label.equals("elapsed")) {
                    continue; // timings differ between two runs
                }
            }
            Matcher d = NUMBER.matcher(line);
            while (d.find()) {
                String number = d.group().replace(",", "");
                if (!jsonNumbers.contains(number)) {
                    missing.add(number + " of: " + line.strip());
                }
            }
        }
        for (String section : new String[] {"rules", "checks", "alerts", "policy", "tags", "queues", "rewrites",
            "written", "journal", "streams"}) {
            assertTrue(labels.contains(section), "the run shows " + section + ":\n" + text);
        }
        assertTrue(missing.isEmpty(), "in the text summary but not in --json: " + missing + "\n" + text + "\n" + json);
    }

    @Test
    void alertCountsAgree() {
        Run text = scan(false, "b");
        Run json = scan(true, "b");
        Matcher m = Pattern.compile("(?m)^alerts +([\\d,]+)").matcher(text.out());
        assertTrue(m.find(), text.out());
        assertEquals(Long.parseLong(m.group(1).replace(",", "")), json.json("total"));
        assertTrue(json.out().contains("\"eve\":\"" + dir.resolve("b.json") + "\""), json.out());
        assertTrue(json.out().contains("\"sid\":9000002,\"rev\":1,\"msg\":\"JUDO DEMO Apache banner in a server "
                + "response stream\",\"alerts\":2"), json.out());
    }
}
