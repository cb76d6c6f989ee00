package io.judo.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small strict JSON reader for the oracle tests (tshark's {@code -T json} output and {@code judo http --json}
 * lines): objects become ordered maps, arrays lists, numbers longs or doubles. A duplicate key keeps its last value.
 */
final class Json {
    private final String s;
    private int at;

    private Json(String s) {
        this.s = s;
    }

    /** The value of a whole JSON text; fails on trailing garbage. */
    static Object parse(String text) {
        Json j = new Json(text);
        Object v = j.value();
        j.space();
        if (j.at != text.length()) {
            throw j.error("trailing characters");
        }
        return v;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at " + at + ": "
                + s.substring(Math.max(0, at - 20), Math.min(s.length(), at + 20)));
    }

    private void space() {
        while (at < s.length() && Character.isWhitespace(s.charAt(at))) {
            at++;
        }
    }

    private void expect(char c) {
        space();
        if (at >= s.length() || s.charAt(at) != c) {
            throw error("expected '" + c + "'");
        }
        at++;
    }

    private Object value() {
        space();
        if (at >= s.length()) {
            throw error("unexpected end");
        }
        char c = s.charAt(at);
        switch (c) {
            case '{' -> {
                at++;
                Map<String, Object> m = new LinkedHashMap<>();
                space();
                if (s.charAt(at) == '}') {
                    at++;
                    return m;
                }
                do {
                    space();
                    String k = string();
                    expect(':');
                    m.put(k, value());
                    space();
                } while (s.charAt(at++) == ',');
                if (s.charAt(at - 1) != '}') {
                    throw error("expected '}'");
                }
                return m;
            }
            case '[' -> {
                at++;
                List<Object> l = new ArrayList<>();
                space();
                if (s.charAt(at) == ']') {
                    at++;
                    return l;
                }
                do {
                    l.add(value());
                    space();
                } while (s.charAt(at++) == ',');
                if (s.charAt(at - 1) != ']') {
                    throw error("expected ']'");
                }
                return l;
            }
            case '"' -> {
                return string();
            }
            default -> {
                return literal();
            }
        }
    }

    private String string() {
        if (s.charAt(at) != '"') {
            throw error("expected a string");
        }
        at++;
        StringBuilder sb = new StringBuilder();
        while (true) {
            char c = s.charAt(at++);
            if (c == '"') {
                return sb.toString();
            }
            if (c != '\\') {
                sb.append(c);
                continue;
            }
            char e = s.charAt(at++);
            switch (e) {
                case 'n' -> sb.append('\n');
                case 'r' -> sb.append('\r');
                case 't' -> sb.append('\t');
                case 'b' -> sb.append('\b');
                case 'f' -> sb.append('\f');
                case 'u' -> {
                    sb.append((char) Integer.parseInt(s.substring(at, at + 4), 16));
                    at += 4;
                }
                default -> sb.append(e);
            }
        }
    }

    private Object literal() {
        int start = at;
        while (at < s.length() && "+-.0123456789eEtrufalsn".indexOf(s.charAt(at)) >= 0) {
            at++;
        }
        String t = s.substring(start, at);
        return switch (t) {
            case "true" -> Boolean.TRUE;
            case "false" -> Boolean.FALSE;
            case "null" -> null;
            default -> {
                if (t.isEmpty()) {
                    throw error("unexpected character");
                }
                yield t.contains(".") || t.contains("e") || t.contains("E") ? (Object) Double.parseDouble(t)
                        : (Object) Long.parseLong(t);
            }
        };
    }
}
