package io.judo.rules.ir;

/**
 * A number in a byte keyword: a constant, or a variable a {@code byte_extract} or {@code byte_math} earlier in the
 * same rule set ({@code variable} is its index in the rule, -1 for a constant).
 */
public record Value(long constant, int variable) {
    public static Value of(long constant) {
        return new Value(constant, -1);
    }

    public static Value variable(int index) {
        return new Value(0, index);
    }

    public boolean isVariable() {
        return variable >= 0;
    }
}
