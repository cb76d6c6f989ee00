package io.judo.rules;

/**
 * A rule or filter the front end cannot accept, with the source text and the column of the problem.
 * {@link #display()} prints the text with a caret under the column.
 */
public final class SyntaxError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String text;
    private final int column;

    /** @param column 1-based column in {@code text} */
    public SyntaxError(String text, int column, String message) {
        super(message);
        this.text = text;
        this.column = column;
    }

    public int column() {
        return column;
    }

    /** "column N: message", the text, and a caret under the column. */
    public String display() {
        return "column " + column + ": " + getMessage() + "\n    " + text + "\n    "
                + " ".repeat(Math.max(0, column - 1)) + "^";
    }
}
