package io.judo.packet.testing;

import io.judo.packet.capture.PcapWriter;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Writes frames built in tests into capture files or byte arrays. */
public final class Frames {
    private Frames() {
    }

    public static Path writePcap(Path file, int linkType, List<byte[]> frames) throws IOException {
        try (OutputStream out = new BufferedOutputStream(Files.newOutputStream(file))) {
            write(out, linkType, frames, false);
        }
        return file;
    }

    public static byte[] pcap(int linkType, List<byte[]> frames, boolean nanos) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            write(out, linkType, frames, nanos);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static void write(OutputStream out, int linkType, List<byte[]> frames, boolean nanos) throws IOException {
        PcapWriter w = new PcapWriter(out, linkType, 262144, nanos);
        long t = 1_700_000_000_123_456_789L;
        for (byte[] f : frames) {
            w.write(t, f, 0, f.length, f.length);
            t += 1_000_001L;
        }
        w.close();
    }
}
