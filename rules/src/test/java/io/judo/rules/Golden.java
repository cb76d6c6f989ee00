package io.judo.rules;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden text fixtures under {@code src/test/resources/golden}: {@link #pin} compares, or with
 * {@code -Djudo.golden.update=true} rewrites the fixture (review the diff before committing).
 */
public final class Golden {
    private Golden() {
    }

    /** The fixture's text, or "" when it does not exist yet. */
    public static String read(String path) {
        try (InputStream in = Golden.class.getResourceAsStream("/golden/" + path)) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static void pin(String path, String actual) {
        if (Boolean.getBoolean("judo.golden.update")) {
            try {
                Files.writeString(Path.of("src/test/resources/golden/" + path), actual);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        assertEquals(read(path), actual);
    }
}
