package io.judo.packet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HexFormat;

/** One TCP stream as tshark reassembles it ("follow tcp raw"): the oracle for rewritten and reassembled streams. */
public final class TsharkFollow {
    private TsharkFollow() {
    }

    /**
     * The bytes of tshark's TCP stream {@code index} in {@code capture}: [0] from the node that spoke first (Node 0),
     * [1] from the other. tshark leaves retransmitted bytes out.
     */
    public static byte[][] raw(Path capture, int index) throws IOException, InterruptedException {
        ExternalTools.require("tshark");
        String out = ExternalTools.run("tshark", "-n", "-r", capture.toString(), "-q", "-z", "follow,tcp,raw," + index);
        ByteArrayOutputStream first = new ByteArrayOutputStream();
        ByteArrayOutputStream second = new ByteArrayOutputStream();
        for (String line : out.lines().toList()) {
            if (line.isBlank() || line.startsWith("=") || line.startsWith("Follow") || line.startsWith("Filter")
                    || line.startsWith("Node")) {
                continue;
            }
            // the second node's lines are indented with a tab
            (line.startsWith("\t") ? second : first).writeBytes(HexFormat.of().parseHex(line.strip()));
        }
        return new byte[][] {first.toByteArray(), second.toByteArray()};
    }
}
