package io.judo.vm;

/** Binary ALU operations, in code order. Division and modulo are unsigned; shifts past the width give 0. */
public enum AluOp {
    MOV, ADD, SUB, MUL, DIV, MOD, AND, OR, XOR, LSH, RSH, ARSH;

    /** The assembly mnemonic (64-bit form; the 32-bit form appends "32"). */
    public String mnemonic() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
