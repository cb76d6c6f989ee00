package io.judo.rules.judo;

/**
 * One token of the judo language: a word (keywords, names, addresses, numbers, port ranges), a quoted string (its
 * unescaped bytes in {@link #text()} as Latin-1), or a symbol ({@code { } < > ! , = != <= >= >< <>}).
 *
 * @param column 1-based column of the token's first character on its line
 */
record Token(Kind kind, String text, int line, int column) {
    enum Kind { WORD, STRING, SYMBOL, END }

    boolean is(String s) {
        return kind != Kind.STRING && kind != Kind.END && text.equals(s);
    }
}
