package io.judo.rules.suricata;

import java.util.HashMap;
import java.util.Map;

/**
 * Rewrites PCRE spellings that the regex backend (java.util.regex, through {@code BoundedRegex}) rejects although
 * PCRE reads them, before the expression is compiled:
 *
 * <ul>
 *   <li>group names with characters Java does not allow ({@code (?P<num_value>...)(?P=num_value)}): each name becomes
 *   {@code jN}, in its definition and its references ({@code (?P=name)}, {@code \k<name>}, {@code \k{name}});</li>
 *   <li>{@code \0} not followed by an octal digit: NUL ({@code \x00});</li>
 *   <li>{@code \xH} with one hex digit: {@code \x0H}.</li>
 * </ul>
 *
 * Everything else is left as it is; the expression means what PCRE makes of it.
 */
final class PcreSpelling {
    private PcreSpelling() {
    }

    static String normalize(String pcre) {
        Map<String, String> names = new HashMap<>();
        StringBuilder out = new StringBuilder(pcre.length() + 8);
        int n = pcre.length();
        for (int i = 0; i < n; i++) {
            char c = pcre.charAt(i);
            if (c == '\\' && i + 1 < n) {
                char e = pcre.charAt(i + 1);
                if (e == '0' && (i + 2 >= n || pcre.charAt(i + 2) < '0' || pcre.charAt(i + 2) > '7')) {
                    out.append("\\x00");
                    i++;
                    continue;
                }
                if (e == 'x' && i + 2 < n && hex(pcre.charAt(i + 2)) && (i + 3 >= n || !hex(pcre.charAt(i + 3)))) {
                    out.append("\\x0").append(pcre.charAt(i + 2));
                    i += 2;
                    continue;
                }
                if (e == 'k' && i + 2 < n && (pcre.charAt(i + 2) == '<' || pcre.charAt(i + 2) == '{')) {
                    int close = pcre.indexOf(pcre.charAt(i + 2) == '<' ? '>' : '}', i + 3);
                    if (close > 0) {
                        out.append("\\k<").append(rename(names, pcre.substring(i + 3, close))).append('>');
                        i = close;
                        continue;
                    }
                }
                out.append(c).append(e);
                i++;
                continue;
            }
            if (c == '(' && pcre.startsWith("(?P=", i)) {
                int close = pcre.indexOf(')', i);
                if (close > 0) {
                    out.append("\\k<").append(rename(names, pcre.substring(i + 4, close))).append('>');
                    i = close;
                    continue;
                }
            }
            int nameAt = pcre.startsWith("(?P<", i) ? i + 4 : pcre.startsWith("(?<", i) && i + 3 < n
                    && Character.isLetter(pcre.charAt(i + 3)) ? i + 3 : -1;
            if (nameAt > 0) {
                int close = pcre.indexOf('>', nameAt);
                if (close > 0) {
                    out.append("(?<").append(rename(names, pcre.substring(nameAt, close))).append('>');
                    i = close;
                    continue;
                }
            }
            out.append(c);
        }
        return out.toString();
    }

    private static String rename(Map<String, String> names, String name) {
        return names.computeIfAbsent(name, k -> "j" + names.size());
    }

    private static boolean hex(char c) {
        return Character.digit(c, 16) >= 0;
    }
}
