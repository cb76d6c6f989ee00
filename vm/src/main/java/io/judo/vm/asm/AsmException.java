package io.judo.vm.asm;

/**
 * An error in assembly text or in a program being built, with its source location. {@link #getMessage()} is the
 * one-line form ({@code file:line:column: message}); {@link #display()} adds the source line and a caret.
 */
public final class AsmException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String text;

    public AsmException(String source, int line, int column, String text, String message) {
        super((source != null ? source + ":" : "") + (line > 0 ? line + ":" + column + ": " : "") + message);
        this.source = source;
        this.line = line;
        this.column = column;
        this.text = text;
    }

    public AsmException(String message) {
        this(null, 0, 0, null, message);
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    /** The message, then the offending line with a caret under the column. */
    public String display() {
        if (text == null) {
            return getMessage();
        }
        return getMessage() + "\n    " + text + "\n    " + " ".repeat(Math.max(0, column - 1)) + "^";
    }

    String source() {
        return source;
    }
}
