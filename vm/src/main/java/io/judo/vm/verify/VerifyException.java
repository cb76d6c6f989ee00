package io.judo.vm.verify;

/** A program the verifier rejects: the instruction index (or -1 for the whole program) and the reason. */
public final class VerifyException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int pc;
    private final String reason;
    private final String insnText;

    public VerifyException(int pc, String reason, String insnText) {
        super((pc >= 0 ? "insn " + pc + ": " : "") + reason + (insnText != null ? "\n    " + insnText : ""));
        this.pc = pc;
        this.reason = reason;
        this.insnText = insnText;
    }

    /** The offending instruction's index, or -1. */
    public int pc() {
        return pc;
    }

    /** The reason alone, without location (what verifier tests compare). */
    public String reason() {
        return reason;
    }

    /** The offending instruction as disassembled text, or null. */
    public String insnText() {
        return insnText;
    }
}
