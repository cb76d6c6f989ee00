package io.judo.vm;

/** Conditional jumps, in code order: unsigned and signed comparisons and a bit test ({@code set}: a &amp; b != 0). */
public enum JumpOp {
    JEQ, JNE, JGT, JGE, JLT, JLE, JSGT, JSGE, JSLT, JSLE, JSET;

    public String mnemonic() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
