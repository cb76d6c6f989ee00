package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An output directory that cannot be made is one line that says why, not just its name. */
class OutputDirectoryTest {
    @TempDir
    Path dir;

    private static void oneLine(Run r, String... words) {
        assertEquals(Judo.EXIT_BAD_INPUT, r.status(), r.err());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        for (String w : words) {
            assertTrue(r.err().contains(w), "'" + w + "' in " + r.err());
        }
    }

    @Test
    void journalThatIsAFile() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "notes\n");
        oneLine(Run.judo("scan", "--journal", notes.toString()), "--journal", notes + " is a file, not a directory");
        assertEquals("notes\n", Files.readString(notes));
    }

    @Test
    void journalUnderAFile() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "notes\n");
        Path j = notes.resolve("j");
        oneLine(Run.judo("scan", "--journal", j.toString()), "cannot create directory " + j,
                notes + " is a file, not a directory");
    }

    @Test
    void journalInProc() throws Exception {
        assumeTrue(Files.isDirectory(Path.of("/proc/self")), "no /proc here");
        oneLine(Run.judo("scan", "--journal", "/proc/x"), "cannot create directory /proc/x", "proc file system");
    }

    @Test
    void journalWithoutPermission() throws Exception {
        Path locked = Files.createDirectory(dir.resolve("locked"));
        assumeTrue(locked.toFile().setWritable(false, false), "cannot change permissions here");
        try {
            assumeTrue(!Files.isWritable(locked), "running as root: permissions do not apply");
            oneLine(Run.judo("scan", "--journal", locked.resolve("j").toString()), "permission denied");
        } finally {
            locked.toFile().setWritable(true, false);
        }
    }

    @Test
    void streamsOutThatIsAFile() throws Exception {
        Path capture = dir.resolve("demo.pcap");
        Files.write(capture, DemoCapture.bundled());
        Path notes = Files.writeString(dir.resolve("notes.txt"), "notes\n");
        oneLine(Run.judo("streams", "--out", notes.toString(), capture.toString()), "--out",
                notes + " is a file, not a directory");
    }
}
