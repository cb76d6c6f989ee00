package io.judo.rules.ir;

/**
 * {@code byte_test}: the number read, compared with {@code value} by {@code operator} ({@code <}, {@code >},
 * {@code =}, {@code <=}, {@code >=}, {@code &} (any common bit), {@code ^} (bitwise exclusive or non-zero));
 * {@code negated} inverts the result. Does not move the cursor.
 */
public record ByteTest(ByteRead read, String operator, boolean negated, Value value) implements Inspect {
    @Override
    public boolean relative() {
        return read.relative();
    }
}
