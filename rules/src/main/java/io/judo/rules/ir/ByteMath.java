package io.judo.rules.ir;

/**
 * {@code byte_math}: the number read combined with {@code rvalue} by {@code operator} ({@code +}, {@code -},
 * {@code *}, {@code /}, {@code <<}, {@code >>}), stored in variable {@code variable} ({@code name} in the rule). Does
 * not move the cursor.
 */
public record ByteMath(ByteRead read, String operator, Value rvalue, int variable, String name) implements Inspect {
    @Override
    public boolean relative() {
        return read.relative();
    }
}
