package io.judo.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/** Creates the output directories options name, saying why when it cannot. */
final class Directories {
    private Directories() {
    }

    /**
     * Creates {@code dir} and its parents, as {@link Files#createDirectories} does.
     *
     * @param option the option that named it, for the message ({@code --journal})
     * @throws UserError naming the reason: a file in the way, permission, a read-only or virtual file system
     */
    static void create(Path dir, String option) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UserError(option + ": " + why(dir, e));
        }
    }

    /** Why {@code dir} could not be created; the JDK's exceptions often carry only the path. */
    static String why(Path dir, IOException e) {
        if (Files.isSymbolicLink(dir) && !Files.exists(dir)) {
            return dir + " is a link to nothing, not a directory";
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            return dir + " is " + kind(dir) + ", not a directory";
        }
        String cannot = "cannot create directory " + dir + ": ";
        Path existing = dir.toAbsolutePath().getParent();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        if (existing != null && !Files.isDirectory(existing)) {
            return cannot + existing + " is " + kind(existing) + ", not a directory";
        }
        if (e instanceof AccessDeniedException) {
            return cannot + "permission denied" + (existing == null ? "" : " in " + existing);
        }
        String reason = e instanceof FileSystemException f && f.getReason() != null ? f.getReason() : null;
        if (reason != null && reason.toLowerCase(Locale.ROOT).contains("read-only")) {
            return cannot + "read-only file system";
        }
        String store = existing == null ? null : storeType(existing);
        if (store != null && (store.equals("proc") || store.equals("sysfs") || store.equals("devtmpfs"))) {
            return cannot + existing + " is on the kernel's " + store + " file system, which holds no user files";
        }
        if (reason != null) {
            return cannot + reason.toLowerCase(Locale.ROOT);
        }
        return cannot + (e instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                : String.valueOf(e.getMessage()));
    }

    /** "a file", "a link", ... for something that is not a directory. */
    private static String kind(Path p) {
        if (Files.isRegularFile(p)) {
            return "a file";
        }
        if (Files.isSymbolicLink(p)) {
            return "a link";
        }
        return "a special file";
    }

    private static String storeType(Path p) {
        try {
            return Files.getFileStore(p).type();
        } catch (IOException e) {
            return null;
        }
    }
}
