package io.judo.rules.ir;

/**
 * {@code byte_jump}: the number read, times {@code multiplier}, rounded up to a multiple of 4 when {@code align},
 * moves the cursor: from the end of the bytes read, from the buffer start ({@code fromBeginning}) or from the buffer
 * end ({@code fromEnd}), plus {@code postOffset}. Fails when the new cursor is outside the buffer.
 */
public record ByteJump(ByteRead read, long multiplier, boolean align, boolean fromBeginning, boolean fromEnd,
        long postOffset) implements Inspect {
    @Override
    public boolean relative() {
        return read.relative();
    }
}
