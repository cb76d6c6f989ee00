package io.judo.rules.ir;

import java.util.List;

/**
 * {@code base64_decode[:bytes N][, offset M][, relative]} with the {@code base64_data} chain after it: decodes at most
 * {@code bytes} bytes of the buffer from {@code offset} (counted from the buffer's start, or with {@code relative}
 * from the cursor) and runs {@code data} over the decoded bytes, with its own cursor from 0. As in Suricata the
 * decode ends its buffer's chain: it is the chain's last item, it holds when something decoded and {@code data}
 * matched, and nothing after it is evaluated.
 *
 * @param bytes the most input bytes read (Suricata's limit and default: {@link #MAX_BYTES})
 * @param offset bytes skipped first (up to 2^32 - 1)
 * @param data the {@code base64_data} keywords, never empty
 */
public record Base64Decode(int bytes, long offset, boolean relative, List<Inspect> data) implements Inspect {
    /** Suricata's most bytes one decode reads (its {@code BASE64_DECODE_MAX}), and the default. */
    public static final int MAX_BYTES = 65535;

    public Base64Decode {
        data = List.copyOf(data);
        if (bytes < 1 || bytes > MAX_BYTES || offset < 0 || offset > 0xffffffffL || data.isEmpty()) {
            throw new IllegalArgumentException("base64_decode bytes " + bytes + ", offset " + offset + ", "
                    + data.size() + " base64_data keywords");
        }
    }
}
