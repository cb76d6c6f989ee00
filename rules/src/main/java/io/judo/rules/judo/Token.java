package io.judo.rules.judo;

/**
 * One token of the judo language: a word (keywords, names, addresses, numbers, port ranges), a quoted string (its
 * unescaped bytes in {@link #text()} as Latin-1), a symbol ({@code { } ( ) < > ! , = != <= >= >< <>}), the end of a
 * logical line, or the end of the file.
 *
 * @param line the 1-based number of the first physical line of the token's logical line
 * @param column 1-based column of the token's first character in its logical line (for a token a macro produced,
 *     the column of the {@code $} that expanded it)
 */
record Token(Kind kind, String text, int line, int column) {
    enum Kind { WORD, STRING, SYMBOL, NEWLINE, END }

    boolean is(String s) {
        return (kind == Kind.WORD || kind == Kind.SYMBOL) && text.equals(s);
    }

    /** A word, or a quoted string standing where pf takes a word ({@code on "em0"}, {@code anchor "x"}). */
    boolean wordLike() {
        return kind == Kind.WORD || kind == Kind.STRING;
    }

    /** The end of a statement: a line end or the end of the file. */
    boolean ends() {
        return kind == Kind.NEWLINE || kind == Kind.END;
    }
}
