package io.judo.rules.suricata;

import java.util.HashMap;
import java.util.Map;

/**
 * classification.config: {@code config classification: NAME,DESCRIPTION,PRIORITY} lines, giving an alert's category
 * (the description) and default severity. A classtype not listed is kept as its own category with priority 3,
 * Suricata's default.
 */
public final class Classifications {
    /** One classtype. */
    public record Entry(String name, String description, int priority) {
    }

    private final Map<String, Entry> entries = new HashMap<>();

    /** Parses the file's text; malformed lines are ignored, as Suricata warns and goes on. */
    public static Classifications parse(String text) {
        Classifications c = new Classifications();
        for (String line : text.split("\n")) {
            String t = line.trim();
            if (!t.startsWith("config classification:")) {
                continue;
            }
            String[] parts = t.substring("config classification:".length()).split(",");
            if (parts.length < 3) {
                continue;
            }
            try {
                String name = parts[0].trim();
                c.entries.put(name, new Entry(name, parts[1].trim(), Integer.parseInt(parts[2].trim())));
            } catch (NumberFormatException e) {
                // skipped, like any malformed line
            }
        }
        return c;
    }

    public static Classifications empty() {
        return new Classifications();
    }

    /** The entry, or null. */
    public Entry get(String name) {
        return entries.get(name);
    }

    public int size() {
        return entries.size();
    }
}
