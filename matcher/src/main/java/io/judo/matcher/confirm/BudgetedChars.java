package io.judo.matcher.confirm;

/**
 * Bytes as Latin-1 characters for java.util.regex, counting reads: past the budget the next read throws, which
 * stops a backtracking search that would otherwise run for seconds on hostile input.
 */
final class BudgetedChars implements CharSequence {
    /** The search ran out of budget. */
    static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super(null, null, false, false);
        }
    }

    private final byte[] bytes;
    private final int start;
    private final int end;
    private long budget;

    BudgetedChars(byte[] bytes, long budget) {
        this(bytes, 0, bytes.length, budget);
    }

    BudgetedChars(byte[] bytes, int start, int end, long budget) {
        this.bytes = bytes;
        this.start = start;
        this.end = end;
        this.budget = budget;
    }

    @Override
    public int length() {
        return end - start;
    }

    @Override
    public char charAt(int index) {
        if (--budget < 0) {
            throw new Exhausted();
        }
        return (char) (bytes[start + index] & 0xff);
    }

    @Override
    public CharSequence subSequence(int from, int to) {
        return new BudgetedChars(bytes, start + from, start + to, budget);
    }

    @Override
    public String toString() {
        return new String(bytes, start, end - start, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
