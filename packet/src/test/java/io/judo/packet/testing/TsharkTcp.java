package io.judo.packet.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * tshark as the oracle for captures Judo writes or rewrites: fields with every IP, TCP and UDP checksum verified, the
 * TCP analysis findings, and one TCP stream as tshark reassembles it ("follow tcp raw").
 */
public final class TsharkTcp {
    private TsharkTcp() {
    }

    /**
     * One line per frame (matching {@code displayFilter}, or every frame when it is null) with the tab-separated
     * {@code fields}; checksum status fields read 1 for good, 0 for bad.
     */
    public static List<String> fields(Path capture, String displayFilter, String... fields)
            throws IOException, InterruptedException {
        ExternalTools.require("tshark");
        List<String> command = new ArrayList<>(List.of("tshark", "-n", "-r", capture.toString(), "-o",
                "ip.check_checksum:TRUE", "-o", "tcp.check_checksum:TRUE", "-o", "udp.check_checksum:TRUE"));
        if (displayFilter != null) {
            command.add("-Y");
            command.add(displayFilter);
        }
        command.add("-T");
        command.add("fields");
        for (String f : fields) {
            command.add("-e");
            command.add(f);
        }
        return ExternalTools.run(command).lines().toList();
    }

    /** Frames with a TCP analysis finding (retransmission, lost segment, ack of a lost segment, out of order). */
    public static List<String> analysisFlags(Path capture, String displayFilter)
            throws IOException, InterruptedException {
        return fields(capture, "tcp.analysis.flags" + (displayFilter == null ? "" : " && " + displayFilter),
                "frame.number", "tcp.analysis.retransmission", "tcp.analysis.lost_segment",
                "tcp.analysis.ack_lost_segment", "tcp.analysis.out_of_order");
    }

    /**
     * The bytes of tshark's TCP stream {@code index} in {@code capture}: [0] from the node that spoke first (Node 0),
     * [1] from the other. tshark leaves retransmitted bytes out.
     */
    public static byte[][] follow(Path capture, int index) throws IOException, InterruptedException {
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
