package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.judo.matcher.hyperscan.HyperscanDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code judo scan --cache DIR}: the first run compiles the Hyperscan databases and keeps them, the second loads every
 * one of them and alerts exactly as the first; {@code --no-cache} keeps nothing.
 */
class ScanCacheTest {
    @TempDir
    Path dir;

    @Test
    void aSecondRunLoadsTheDatabasesFromTheCacheAndAlertsTheSame() throws Exception {
        Assumptions.assumeTrue(HyperscanDatabase.available(), "Hyperscan does not load here");
        Path pcap = dir.resolve("g.pcap");
        assertEquals(0, Run.judo("generate", "--packets", "3000", "--seed", "7", "--out", pcap.toString()).status());
        Path rules = Files.writeString(dir.resolve("c.rules"), String.join("\n",
                "alert tcp any any -> any any (msg:\"GET\"; content:\"GET \"; sid:1;)",
                "alert tcp any any -> any any (msg:\"http\"; flow:established; content:\"HTTP/1.\"; sid:2;)",
                "alert http any any -> any any (msg:\"host\"; http.host; content:\".com\"; sid:3;)", ""));
        Path cache = dir.resolve("cache");
        Run first = scan(rules, pcap, "e1.json", "--cache", cache.toString());
        assertEquals(0, first.status(), first.err());
        assertFalse(first.err().contains("from the cache"), first.err());
        List<Path> kept;
        try (Stream<Path> files = Files.list(cache)) {
            kept = files.filter(f -> f.toString().endsWith(".hsdb")).toList();
        }
        assertFalse(kept.isEmpty());
        Run second = scan(rules, pcap, "e2.json", "--cache", cache.toString());
        assertEquals(0, second.status(), second.err());
        assertTrue(second.err().contains("(" + kept.size() + " of " + kept.size() + " databases from the cache)"),
                second.err());
        String alerts = Files.readString(dir.resolve("e1.json"));
        assertTrue(alerts.contains("\"signature_id\":1"), alerts);
        assertEquals(alerts, Files.readString(dir.resolve("e2.json")));

        Path unused = dir.resolve("unused");
        Run none = scan(rules, pcap, "e3.json", "--cache", unused.toString(), "--no-cache");
        assertEquals(0, none.status(), none.err());
        assertFalse(Files.exists(unused));
        assertEquals(alerts, Files.readString(dir.resolve("e3.json")));
    }

    @Test
    void suricataYamlsMpmCachingKeysChooseTheDirectoryOrTurnItOff() throws Exception {
        Assumptions.assumeTrue(HyperscanDatabase.available(), "Hyperscan does not load here");
        Path pcap = dir.resolve("g.pcap");
        assertEquals(0, Run.judo("generate", "--packets", "500", "--seed", "3", "--out", pcap.toString()).status());
        Path rules = Files.writeString(dir.resolve("c.rules"),
                "alert tcp any any -> any any (msg:\"GET\"; content:\"GET \"; sid:1;)\n");
        Path on = Files.writeString(dir.resolve("on.yaml"), "%YAML 1.1\n---\ndetect:\n  sgh-mpm-caching: yes\n"
                + "  sgh-mpm-caching-path: hs-cache\n");
        Run first = scan(rules, pcap, "y1.json", "-c", on.toString());
        assertEquals(0, first.status(), first.err());
        Path cache = dir.resolve("hs-cache"); // relative to the yaml's directory, as Suricata's paths are
        assertTrue(Files.isDirectory(cache), first.err());
        Run second = scan(rules, pcap, "y2.json", "-c", on.toString());
        assertTrue(second.err().contains("databases from the cache"), second.err());
        Path other = dir.resolve("other");
        Run flag = scan(rules, pcap, "y3.json", "-c", on.toString(), "--cache", other.toString());
        assertEquals(0, flag.status(), flag.err());
        assertTrue(Files.isDirectory(other), "--cache wins over the yaml");

        Path off = Files.writeString(dir.resolve("off.yaml"), "%YAML 1.1\n---\ndetect:\n  sgh-mpm-caching: no\n"
                + "  sgh-mpm-caching-path: off-cache\n");
        Run none = scan(rules, pcap, "y4.json", "-c", off.toString());
        assertEquals(0, none.status(), none.err());
        assertFalse(Files.exists(dir.resolve("off-cache")), none.err());
        assertEquals(Files.readString(dir.resolve("y1.json")), Files.readString(dir.resolve("y4.json")));
    }

    @Test
    void theDefaultCacheIsTheUsersCacheDirectory() {
        assertEquals(Path.of("/x/cache", "judo", "hyperscan"), PipelineOptions.defaultCache("/x/cache", "/home/u"));
        assertEquals(Path.of("/home/u", ".cache", "judo", "hyperscan"), PipelineOptions.defaultCache(null, "/home/u"));
        // XDG: a relative $XDG_CACHE_HOME is invalid and ignored
        assertEquals(Path.of("/home/u", ".cache", "judo", "hyperscan"),
                PipelineOptions.defaultCache("rel/cache", "/home/u"));
        assertNull(PipelineOptions.defaultCache("", ""));
    }

    private Run scan(Path rules, Path pcap, String eve, String... more) {
        List<String> args = new java.util.ArrayList<>(List.of("scan", "--rules", rules.toString(), "--eve",
                dir.resolve(eve).toString(), "--eve-types", "alert"));
        args.addAll(List.of(more));
        args.add(pcap.toString());
        return Run.judo(args.toArray(new String[0]));
    }
}
