package io.judo.rules.ir;

/**
 * {@code byte_extract}: the number read, times {@code multiplier}, rounded up to a multiple of {@code align} (0 for
 * none), stored in variable {@code variable} (named {@code name} in the rule) for later offsets and values; the
 * cursor moves to the end of the bytes read.
 */
public record ByteExtract(ByteRead read, int variable, String name, long multiplier, int align) implements Inspect {
    @Override
    public boolean relative() {
        return read.relative();
    }
}
