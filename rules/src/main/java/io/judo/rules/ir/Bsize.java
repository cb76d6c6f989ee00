package io.judo.rules.ir;

/** {@code bsize}: the length of the inspected buffer, compared as {@code test} says. */
public record Bsize(UintTest test) implements Inspect {
    @Override
    public boolean relative() {
        return false;
    }
}
