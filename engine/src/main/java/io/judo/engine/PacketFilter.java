package io.judo.engine;

import io.judo.packet.capture.PacketRecord;
import io.judo.vm.Program;
import io.judo.vm.Verdict;
import io.judo.vm.interp.HelperTable;
import io.judo.vm.interp.Interpreter;
import io.judo.vm.interp.PacketContext;
import io.judo.vm.verify.Verifier;
import io.judo.vm.verify.VerifyException;
import java.util.HashMap;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * Selects packets with a VM program run on the raw frame, as a capture filter does. Filter languages compile per
 * link type (offsets differ), so the program for a link type is made, verified and cached the first time a packet
 * of that link type arrives. One instance per thread.
 */
public final class PacketFilter {
    private final IntFunction<Program> compiler;
    private final Map<Integer, Interpreter> byLinkType = new HashMap<>();
    private final PacketContext ctx = new PacketContext();
    private final HelperTable helpers = new HelperTable();
    private int lastLinkType = -1;
    private Interpreter last;

    /**
     * @param compiler makes the program for a link type; may throw the front end's syntax error, which reaches the
     *     caller of {@link #matches} for the first packet of that link type
     */
    public PacketFilter(IntFunction<Program> compiler) {
        this.compiler = compiler;
    }

    /** A filter that runs one program whatever the link type (imported classic BPF, an assembled program). */
    public static PacketFilter of(Program program) {
        return new PacketFilter(linkType -> program);
    }

    /** True when the program passes the packet. */
    public boolean matches(PacketRecord record) {
        Interpreter interp = record.linkType() == lastLinkType ? last : interpreter(record.linkType());
        ctx.bind(record.buffer(), record.offset(), record.capturedLength(), record.originalLength());
        return interp.run(ctx) == Verdict.PASS;
    }

    private Interpreter interpreter(int linkType) {
        Interpreter interp = byLinkType.get(linkType);
        if (interp == null) {
            Program p = compiler.apply(linkType);
            try {
                interp = new Interpreter(Verifier.verify(p), helpers);
            } catch (VerifyException e) {
                throw new IllegalStateException("a compiled filter failed verification: " + e.getMessage(), e);
            }
            byLinkType.put(linkType, interp);
        }
        lastLinkType = linkType;
        last = interp;
        return interp;
    }
}
