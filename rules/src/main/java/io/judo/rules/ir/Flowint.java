package io.judo.rules.ir;

/**
 * {@code flowint:NAME,OP[,VALUE]}: an unsigned 32-bit integer kept per flow. The modifiers {@code =}, {@code +},
 * {@code -} run once the rest of the rule matched; the tests {@code ==}, {@code !=}, {@code <}, {@code >}, {@code <=},
 * {@code >=}, {@code isset}, {@code notset} are conditions. The operand is a number or, when {@code var} is not null,
 * another flow integer (0 while that one is unset, as in Suricata).
 *
 * @param op the operator as written ({@code isnotset} is read as {@code notset})
 */
public record Flowint(String name, String op, long value, String var) {
    /** Whether the operator changes the integer (then it runs only when the rest of the rule matched). */
    public boolean changes() {
        return op.equals("=") || op.equals("+") || op.equals("-");
    }
}
