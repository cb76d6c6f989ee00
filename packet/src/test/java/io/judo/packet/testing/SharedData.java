package io.judo.packet.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * The project's shared read-only data ({@code ../shared/data} beside the checkout). Tests that need it skip with a
 * printed reason where it is absent.
 */
public final class SharedData {
    private SharedData() {
    }

    /** The shared/data directory, or a skip with the reason printed. */
    public static Path dir() {
        Path data = locate();
        if (!Files.isDirectory(data)) {
            String reason = "shared data not found at " + data.toAbsolutePath();
            Assumptions.assumeTrue(false, reason);
        }
        return data;
    }

    /** Stands for "the shared captures" in a parameterized test when they are absent; see {@link #present}. */
    public static final Path ABSENT = Path.of("shared-data-absent");

    /**
     * Every capture in shared/data/pcaps, sorted by name; where the data is absent, the single {@link #ABSENT}
     * placeholder, so that a parameterized test still runs once and reports the skip with its reason (an empty or
     * aborted argument source would hide it).
     */
    public static List<Path> captures() throws IOException {
        Path pcaps = locate().resolve("pcaps");
        if (!Files.isDirectory(pcaps)) {
            return List.of(ABSENT);
        }
        try (Stream<Path> s = Files.list(pcaps)) {
            return s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted()
                    .collect(Collectors.toList());
        }
    }

    /** Skips the current test, with the reason, when {@code capture} is the {@link #ABSENT} placeholder. */
    public static void present(Path capture) {
        if (capture.equals(ABSENT)) {
            String reason = "shared data not found at " + locate().toAbsolutePath();
            Assumptions.assumeTrue(false, reason);
        }
    }

    /** {@code judo.shared.dir} (set by the build to the shared folder beside the checkout), else ../shared. */
    private static Path locate() {
        String configured = System.getProperty("judo.shared.dir");
        return (configured != null ? Path.of(configured) : Path.of("..", "shared")).resolve("data").normalize();
    }
}
