package io.judo.rules.ir;

import java.util.List;

/**
 * {@code flowbits:CMD[,NAMES]}: set, unset, toggle, isset, isnotset, noalert; for isset/isnotset, names joined by
 * {@code |} (any) or {@code &} (all). Bits live in per-flow state the VM reads and writes.
 */
public record Flowbit(String command, List<String> names, boolean any) {
    public Flowbit {
        names = List.copyOf(names);
    }
}
