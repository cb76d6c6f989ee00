package io.judo.vm.interp;

import java.util.List;

/**
 * A helper's id, name and argument types: arguments in r1..r5, result in r0. A call clobbers r1..r5 (the verifier
 * treats them as unwritten afterwards), as in eBPF.
 */
public record HelperPrototype(int id, String name, List<ArgType> args, String doc) {
    public HelperPrototype {
        args = List.copyOf(args);
        if (args.size() > 5) {
            throw new IllegalArgumentException("at most 5 helper arguments");
        }
    }
}
