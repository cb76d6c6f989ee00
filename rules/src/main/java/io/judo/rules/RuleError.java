package io.judo.rules;

/**
 * A rule the front end cannot accept, located in its file: {@link #display()} prints {@code file:line:column:
 * message}, the line, and a caret under the column, as compilers do.
 */
public final class RuleError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final int column;
    private final String text;

    /**
     * @param file the file name as the user gave it
     * @param line 1-based line of the rule's first character; 0 when the text is not from a file
     * @param column 1-based column in {@code text}
     * @param text the rule as one line
     */
    public RuleError(String file, int line, int column, String text, String message) {
        super(message);
        this.file = file;
        this.line = line;
        this.column = column;
        this.text = text;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** {@code file:line:column: message}, or {@code source: message} for text that has no line (a command-line value). */
    public String location() {
        return line > 0 ? file + ":" + line + ":" + column + ": " + getMessage() : file + ": " + getMessage();
    }

    /** The location line, the rule text and a caret under the column (long rules are cut around it). */
    public String display() {
        int from = 0;
        int to = text.length();
        if (to > 120) {
            from = Math.max(0, column - 1 - 60);
            to = Math.min(text.length(), from + 120);
        }
        String shown = (from > 0 ? "..." : "") + text.substring(from, to) + (to < text.length() ? "..." : "");
        int caret = column - 1 - from + (from > 0 ? 3 : 0);
        return location() + "\n    " + shown + "\n    " + " ".repeat(Math.max(0, caret)) + "^";
    }
}
