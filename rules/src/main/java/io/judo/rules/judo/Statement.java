package io.judo.rules.judo;

import io.judo.rules.RuleError;
import java.util.ArrayList;
import java.util.List;

/**
 * A cursor over one statement's tokens (a statement may span lines inside {@code { }} and {@code ( )}), ending in an
 * {@code END} token. Errors are placed at a token's own line and column.
 */
final class Statement {
    final List<Token> tokens;
    final JudoLexer lexer;
    int pos;

    Statement(List<Token> tokens, JudoLexer lexer) {
        this.tokens = tokens;
        this.lexer = lexer;
    }

    /** The statement's first line number. */
    int line() {
        return tokens.get(0).line();
    }

    /** The statement as written: its logical lines joined by a space. */
    String text() {
        int first = tokens.get(0).line();
        int last = tokens.get(tokens.size() - 1).line();
        StringBuilder sb = new StringBuilder(lexer.text(first).strip());
        int previous = first;
        for (Token t : tokens) {
            if (t.line() != previous) {
                previous = t.line();
                sb.append(' ').append(lexer.text(previous).strip());
            }
        }
        return last == first ? lexer.text(first) : sb.toString();
    }

    Token peek() {
        return tokens.get(pos);
    }

    Token peek(int ahead) {
        return tokens.get(Math.min(pos + ahead, tokens.size() - 1));
    }

    Token previous() {
        return tokens.get(Math.max(0, pos - 1));
    }

    boolean atEnd() {
        return peek().kind() == Token.Kind.END;
    }

    Token next() {
        Token t = tokens.get(pos);
        if (t.kind() != Token.Kind.END) {
            pos++;
        }
        return t;
    }

    boolean accept(String s) {
        if (peek().is(s)) {
            pos++;
            return true;
        }
        return false;
    }

    Token expect(String s) {
        Token t = next();
        if (!t.is(s)) {
            throw error(t, "expected '" + s + "', found " + describe(t));
        }
        return t;
    }

    /** A word, or a quoted string (pf reads {@code "em0"} and {@code em0} alike). */
    Token word(String what) {
        Token t = next();
        if (!t.wordLike()) {
            throw error(t, "expected " + what + ", found " + describe(t));
        }
        return t;
    }

    String string(String what) {
        Token t = next();
        if (t.kind() != Token.Kind.STRING) {
            throw error(t, "expected " + what + " as a quoted string, found " + describe(t));
        }
        return t.text();
    }

    long number(String what, long min, long max) {
        Token t = word(what);
        try {
            long n = Long.parseLong(t.text());
            if (n >= min && n <= max) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw error(t, what + " must be a number from " + min + " to " + max + ", found '" + t.text() + "'");
    }

    /** Skips a {@code ,} between list items (pf lets commas and spaces both separate them). */
    void comma() {
        accept(",");
    }

    RuleError error(Token t, String message) {
        return new RuleError(lexer.file(), t.line(), t.column(), lexer.text(t.line()), message);
    }

    static String describe(Token t) {
        return switch (t.kind()) {
            case END -> "the end of the line";
            case STRING -> "a string";
            default -> "'" + t.text() + "'";
        };
    }

    /** The statement's tokens from {@code start} to where the cursor is, as pfctl would print them. */
    String joined(int start) {
        StringBuilder sb = new StringBuilder();
        for (int i = start; i < pos; i++) {
            Token t = tokens.get(i);
            String text = t.kind() == Token.Kind.STRING ? "\"" + t.text() + "\"" : t.text();
            if (t.is("<") && i + 2 < pos && tokens.get(i + 2).is(">")) {
                text = "<" + tokens.get(i + 1).text() + ">"; // a table name
                i += 2;
            }
            boolean tight = t.is(",") || t.is(")") || i > start && tokens.get(i - 1).is("(");
            if (sb.length() > 0 && !tight) {
                sb.append(' ');
            }
            sb.append(text);
        }
        return sb.toString();
    }

    /** A word or a {@code { list }} of words (interfaces, names), commas optional. */
    List<String> words(String what) {
        List<String> out = new ArrayList<>();
        if (accept("{")) {
            while (!peek().is("}")) {
                if (atEnd()) {
                    throw error(peek(), "missing '}' at the end of the list");
                }
                out.add(word(what).text());
                comma();
            }
            expect("}");
        } else {
            out.add(word(what).text());
        }
        return out;
    }

    /** Skips a {@code ( ... )} or {@code { ... }} group, nesting included (what Judo reads without using). */
    void skipGroup() {
        Token open = next();
        String close = open.is("(") ? ")" : "}";
        int depth = 1;
        while (depth > 0) {
            if (atEnd()) {
                throw error(peek(), "missing '" + close + "'");
            }
            Token t = next();
            depth += t.is(open.text()) ? 1 : t.is(close) ? -1 : 0;
        }
    }
}
