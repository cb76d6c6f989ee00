package io.judo.rules.ir;

/**
 * {@code isdataat:[!]N[,relative]}: relative, at least N bytes remain after the cursor; absolute, byte N exists.
 */
public record DataAt(int at, boolean relative, boolean negated) implements Inspect {
}
