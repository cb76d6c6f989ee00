package io.judo.rules.ir;

import java.util.List;

/**
 * One inspection of a rule: a chain of items over one named buffer of the VM's buffer table ({@code payload} for a
 * packet's payload, {@code stream} for a reassembled stream chunk; the application layers add theirs).
 */
public record Inspection(String buffer, List<Inspect> items) {
    public Inspection {
        items = List.copyOf(items);
    }
}
