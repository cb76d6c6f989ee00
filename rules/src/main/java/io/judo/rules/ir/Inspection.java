package io.judo.rules.ir;

import io.judo.vm.Buffer;
import io.judo.vm.Transform;
import java.util.List;

/**
 * One inspection of a rule: a chain of items over one buffer of the VM's buffer table, after the buffer's transforms
 * (applied in order). {@link Buffer#PAYLOAD} stands for the rule's packet data: the packet's payload when the rule
 * runs per packet, the stream window when it runs on the reassembled stream. The other buffers are the application
 * layer's (per transaction). All of a rule's inspections must hold; each is evaluated on its own (a later one never
 * retries an earlier one, as Suricata inspects its buffers independently).
 */
public record Inspection(Buffer buffer, List<Transform> transforms, List<Inspect> items) {
    public Inspection {
        transforms = List.copyOf(transforms);
        items = List.copyOf(items);
    }

    /** The packet or stream data, untransformed (where {@code pkt_data} and content without a buffer go). */
    public boolean raw() {
        return buffer == Buffer.PAYLOAD && transforms.isEmpty();
    }

    /** The buffer as a rule names it, with its transforms ({@code http.uri; to_lowercase}). */
    public String describe() {
        StringBuilder sb = new StringBuilder(buffer == Buffer.PAYLOAD ? "pkt_data" : buffer.text());
        for (Transform t : transforms) {
            sb.append("; ").append(t.keyword());
        }
        return sb.toString();
    }
}
