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

    /** The shared/data directory, or a skip. */
    public static Path dir() {
        String configured = System.getProperty("judo.shared.dir");
        Path base = configured != null ? Path.of(configured) : Path.of("..", "shared");
        Path data = base.resolve("data").normalize();
        if (!Files.isDirectory(data)) {
            // Surefire runs each module in its own directory; also try from the repository root.
            Path alt = Path.of("..", "..", "shared", "data").toAbsolutePath().normalize();
            if (Files.isDirectory(alt)) {
                return alt;
            }
            String reason = "shared data not found at " + data.toAbsolutePath();
            System.err.println("SKIPPED: " + reason);
            Assumptions.assumeTrue(false, reason);
        }
        return data;
    }

    /** Every capture in shared/data/pcaps, sorted by name. */
    public static List<Path> captures() throws IOException {
        try (Stream<Path> s = Files.list(dir().resolve("pcaps"))) {
            return s.filter(p -> p.toString().endsWith(".pcap") || p.toString().endsWith(".pcapng")).sorted()
                    .collect(Collectors.toList());
        }
    }
}
