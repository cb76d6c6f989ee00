package io.judo.rules.suricata;

import java.util.ArrayList;
import java.util.List;

/**
 * The list syntax Suricata's address and port fields share: {@code any}, {@code $VARIABLE}, {@code !negation} and
 * nested {@code [lists]}. A list is the union of its positive items minus the union of its negated ones (everything
 * when it has no positive item); a top-level {@code !x} is everything minus {@code x}. Leaves are the caller's.
 *
 * @param <S> the set type, treated as immutable
 */
final class ListSpec<S> {
    /** The set operations and the leaf parser of one field type. */
    interface Algebra<S> {
        S any();

        /** @throws IllegalArgumentException naming the bad leaf */
        S leaf(String word);

        S union(S a, S b);

        S minus(S a, S b);
    }

    /** A bad part of a field: {@code at} is its offset in the field text; {@code nested} when inside a variable. */
    static final class SpecError extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;

        final int at;
        final boolean nested;

        SpecError(String message, int at, boolean nested) {
            super(message);
            this.at = at;
            this.nested = nested;
        }
    }

    private final String text;
    private final int lead;
    private final Variables vars;
    private final String what;
    private final Algebra<S> algebra;
    private final int depth;
    private int pos;

    private ListSpec(String text, Variables vars, String what, Algebra<S> algebra, int depth) {
        this.text = text.trim();
        this.lead = text.indexOf(this.text.isEmpty() ? "" : this.text.substring(0, 1));
        this.vars = vars;
        this.what = what;
        this.algebra = algebra;
        this.depth = depth;
    }

    /**
     * Parses {@code text}, a field of kind {@code what} ("address", "port").
     *
     * @throws IllegalArgumentException with a message naming the bad part
     */
    static <S> S parse(String text, Variables vars, String what, Algebra<S> algebra) {
        return new ListSpec<>(text, vars, what, algebra, 0).top();
    }

    private S top() {
        S s = item();
        if (pos != text.length()) {
            throw fail("unexpected '" + text.substring(pos) + "' in " + what + " '" + text + "'", pos);
        }
        return s;
    }

    private S item() {
        skipSpace();
        if (pos >= text.length()) {
            throw fail("missing " + what + " in '" + text + "'", pos);
        }
        char c = text.charAt(pos);
        if (c == '!') {
            pos++;
            return algebra.minus(algebra.any(), item());
        }
        if (c == '[') {
            pos++;
            List<S> plus = new ArrayList<>();
            List<S> minus = new ArrayList<>();
            while (true) {
                skipSpace();
                boolean negated = pos < text.length() && text.charAt(pos) == '!';
                if (negated) {
                    pos++;
                }
                (negated ? minus : plus).add(item());
                skipSpace();
                if (pos < text.length() && text.charAt(pos) == ',') {
                    pos++;
                    continue;
                }
                if (pos < text.length() && text.charAt(pos) == ']') {
                    pos++;
                    break;
                }
                throw fail("unclosed '[' in " + what + " '" + text + "'", pos);
            }
            S result = plus.isEmpty() ? algebra.any() : plus.get(0);
            for (int i = 1; i < plus.size(); i++) {
                result = algebra.union(result, plus.get(i));
            }
            for (S m : minus) {
                result = algebra.minus(result, m);
            }
            return result;
        }
        int start = pos;
        while (pos < text.length() && ",]".indexOf(text.charAt(pos)) < 0 && !Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        if (word.equals("any")) {
            return algebra.any();
        }
        if (word.startsWith("$")) {
            String value = vars.get(word.substring(1));
            if (value == null) {
                throw fail("undefined variable " + word, start);
            }
            if (depth > 16) {
                throw fail("variable " + word + " refers to itself", start);
            }
            try {
                return new ListSpec<>(value, vars, what, algebra, depth + 1).top();
            } catch (SpecError e) {
                throw e.nested ? e : new SpecError(e.getMessage(), lead + start, true);
            }
        }
        try {
            return algebra.leaf(word);
        } catch (SpecError e) {
            throw e;
        } catch (IllegalArgumentException e) {
            throw fail(e.getMessage(), start);
        }
    }

    private SpecError fail(String message, int at) {
        return new SpecError(message, lead + at, false);
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }
}
