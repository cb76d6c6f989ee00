package io.judo.rules.ir;

/**
 * {@code isdataat:[!]N[,relative]}: relative, at least N bytes remain after the cursor; absolute, byte N exists. N is
 * a constant or a {@code byte_extract}/{@code byte_math} variable.
 */
public record DataAt(Value at, boolean relative, boolean negated) implements Inspect {
}
