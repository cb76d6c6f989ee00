package io.judo.packet.capture;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Opens captures, choosing the reader from the file's first bytes. */
public final class Captures {
    private Captures() {
    }

    /**
     * Opens a pcap or pcapng file for streaming. A regular file is read through memory mappings (no copy per
     * record); anything else (a named pipe, a device) through a buffer as a stream.
     */
    public static CaptureReader open(Path path) throws IOException {
        FileChannel file = FileChannel.open(path, StandardOpenOption.READ);
        if (!Files.isRegularFile(path)) {
            return open(file);
        }
        CaptureInput input;
        try {
            input = new CaptureInput(file, CaptureInput.MAP_CHUNK);
        } catch (IOException | RuntimeException e) {
            file.close();
            throw e;
        }
        return open(input);
    }

    /** Opens a capture held in memory (the bundled demo, tests, benchmarks). */
    public static CaptureReader open(byte[] capture) throws IOException {
        return open(Channels.newChannel(new java.io.ByteArrayInputStream(capture)));
    }

    /**
     * Opens a capture from any channel. The channel is closed with the reader, or at once if the input is not a
     * capture.
     *
     * @throws CaptureFormatException when the input is neither pcap nor pcapng
     */
    public static CaptureReader open(ReadableByteChannel channel) throws IOException {
        return open(new CaptureInput(channel, CaptureInput.DEFAULT_CAPACITY));
    }

    /** Picks the reader for the input's first bytes; closes the input when it is not a capture. */
    private static CaptureReader open(CaptureInput input) throws IOException {
        try {
            if (!input.request(4)) {
                throw new CaptureFormatException(input.available() == 0 ? "empty file, not a capture"
                        : "file of " + input.available() + " bytes is too short to be a capture");
            }
            ByteBuffer b = input.buffer();
            int magic = b.order(ByteOrder.BIG_ENDIAN).getInt(input.cursor());
            CaptureReader reader;
            if (magic == PcapngReader.SHB) {
                reader = new PcapngReader(input);
            } else if (isPcapMagic(magic) || isPcapMagic(Integer.reverseBytes(magic))) {
                reader = new PcapReader(input);
            } else {
                throw new CaptureFormatException(String.format("not a pcap or pcapng capture (starts with 0x%08x)",
                        magic));
            }
            return reader;
        } catch (IOException | RuntimeException e) {
            input.close();
            throw e;
        }
    }

    private static boolean isPcapMagic(int magic) {
        return magic == PcapReader.MAGIC_MICROS || magic == PcapReader.MAGIC_NANOS;
    }
}
