package io.judo.rules.ir;

/**
 * {@code content} with its modifiers. {@code depth} counts from {@code offset}; {@code within} counts from the
 * cursor plus {@code distance}. Unset modifiers are {@link Inspect#UNSET}. {@code replace} is null or the replacement
 * bytes (Suricata's {@code replace}, an action on the matched bytes). {@code variables} is null when every modifier
 * is a constant (or unset); otherwise it says which modifiers take their value from a {@code byte_extract} or
 * {@code byte_math} variable (those modifiers hold 0 here).
 */
public record Content(byte[] bytes, boolean negated, boolean nocase, int offset, int depth, int distance,
        int within, boolean startsWith, boolean endsWith, boolean fastPattern, byte[] replace,
        ContentVariables variables) implements Inspect {
    /** Measured from the previous match rather than from the buffer start. */
    @Override
    public boolean relative() {
        return distance != UNSET || within != UNSET;
    }
}
