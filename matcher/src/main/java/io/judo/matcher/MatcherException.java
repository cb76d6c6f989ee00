package io.judo.matcher;

/**
 * A pattern the matcher cannot compile, naming the pattern id and, where known, the column of the construct.
 */
public final class MatcherException extends RuntimeException {
    private final String detail;
    private static final long serialVersionUID = 1L;

    private final int patternId;
    private final int column;

    public MatcherException(int patternId, int column, String message) {
        super("pattern " + patternId + (column > 0 ? ", column " + column : "") + ": " + message);
        this.detail = message;
        this.patternId = patternId;
        this.column = column;
    }

    /** The message without the pattern id and column. */
    public String detail() {
        return detail;
    }

    public int patternId() {
        return patternId;
    }

    public int column() {
        return column;
    }
}
