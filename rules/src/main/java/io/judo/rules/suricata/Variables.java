package io.judo.rules.suricata;

import io.judo.rules.RuleError;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Address and port variables ({@code $HOME_NET}, {@code $HTTP_PORTS}...) with Suricata's suricata.yaml defaults,
 * overridden by {@code --set NAME=VALUE} or a YAML file's {@code vars:} section. Values are rule text and may refer to
 * other variables. {@link #check()} validates every variable once, as Suricata does at start-up, so that a bad value
 * is one error with a caret rather than one per rule that uses it.
 */
public final class Variables {
    /** Whether a variable holds addresses or ports (suricata.yaml's address-groups and port-groups). */
    public enum Kind { ADDRESS, PORT }

    /**
     * Where a value was written, for error carets: {@code source} (a file, or "--set NAME=VALUE"), its 1-based
     * {@code line} (0 for a command-line value), the {@code text} shown and the 1-based column of the value in it.
     */
    public record Origin(String source, int line, String text, int valueColumn) {
    }

    private record Entry(String value, Kind kind, Origin origin) {
    }

    private final Map<String, Entry> values = new LinkedHashMap<>();

    /** Suricata's defaults. */
    public static Variables defaults() {
        Variables v = new Variables();
        v.set("HOME_NET", "[192.168.0.0/16,10.0.0.0/8,172.16.0.0/12]");
        v.set("EXTERNAL_NET", "!$HOME_NET");
        for (String n : new String[] {"HTTP_SERVERS", "SMTP_SERVERS", "SQL_SERVERS", "DNS_SERVERS", "TELNET_SERVERS",
            "DC_SERVERS", "DNP3_SERVER", "DNP3_CLIENT", "MODBUS_CLIENT", "MODBUS_SERVER", "ENIP_CLIENT",
            "ENIP_SERVER"}) {
            v.set(n, "$HOME_NET");
        }
        v.set("AIM_SERVERS", "$EXTERNAL_NET");
        v.set("HTTP_PORTS", "80");
        v.set("SHELLCODE_PORTS", "!80");
        v.set("ORACLE_PORTS", "1521");
        v.set("SSH_PORTS", "22");
        v.set("DNP3_PORTS", "20000");
        v.set("MODBUS_PORTS", "502");
        v.set("FILE_DATA_PORTS", "[$HTTP_PORTS,110,143]");
        v.set("FTP_PORTS", "21");
        v.set("GENEVE_PORTS", "6081");
        v.set("VXLAN_PORTS", "4789");
        v.set("TEREDO_PORTS", "3544");
        return v;
    }

    /** Sets {@code name} (without the {@code $}); its kind is the one it had, else read from the name. */
    public Variables set(String name, String value) {
        return set(name, value, null, null);
    }

    /**
     * Sets {@code name} as {@code kind} (null: the kind it had, else {@code _PORTS}/{@code _PORT} names are ports
     * and others addresses), remembering where it was written.
     */
    public Variables set(String name, String value, Kind kind, Origin origin) {
        String n = name.startsWith("$") ? name.substring(1) : name;
        Entry old = values.get(n);
        Kind k = kind != null ? kind : old != null ? old.kind() : n.endsWith("_PORTS") || n.endsWith("_PORT")
                ? Kind.PORT : Kind.ADDRESS;
        values.put(n, new Entry(value.trim(), k, origin));
        return this;
    }

    /** The value text, or null when undefined. */
    public String get(String name) {
        Entry e = values.get(name);
        return e == null ? null : e.value();
    }

    /**
     * Validates every variable as the address or port list it is, once. A variable that fails only because one it
     * refers to fails is not reported again (unless they refer to each other in a loop: then the ones set by the user).
     *
     * @return one error per bad variable, with a caret under the bad part of its value
     */
    public List<RuleError> check() {
        Map<String, RuleError> bad = new LinkedHashMap<>();
        values.forEach((name, e) -> {
            String what = e.kind() == Kind.PORT ? "port" : "address";
            try {
                boolean empty = e.kind() == Kind.PORT ? PortSpec.parse(e.value(), this).isEmpty()
                        : AddressSpec.parse(e.value(), this).isEmpty();
                if (empty) {
                    bad.put(name, error(name, e, 0, "$" + name + " = '" + e.value() + "' matches no " + what));
                }
            } catch (ListSpec.SpecError x) {
                bad.put(name, error(name, e, x.at, "$" + name + ": " + x.getMessage()));
            } catch (IllegalArgumentException x) {
                bad.put(name, error(name, e, 0, "$" + name + ": " + x.getMessage()));
            }
        });
        List<RuleError> own = new ArrayList<>();
        bad.forEach((name, err) -> {
            java.util.regex.Matcher m = REFERENCE.matcher(values.get(name).value());
            boolean viaOther = false;
            while (m.find()) {
                viaOther |= bad.containsKey(m.group(1));
            }
            if (!viaOther) {
                own.add(err);
            }
        });
        if (own.isEmpty() && !bad.isEmpty()) {
            bad.forEach((name, err) -> {
                if (values.get(name).origin() != null) {
                    own.add(err);
                }
            });
        }
        return own.isEmpty() ? List.copyOf(bad.values()) : own;
    }

    private static final java.util.regex.Pattern REFERENCE = java.util.regex.Pattern.compile("\\$([A-Za-z0-9_]+)");

    private static RuleError error(String name, Entry e, int at, String message) {
        if (e.origin() == null) {
            return new RuleError("default variable", 0, name.length() + 2 + at, name + "=" + e.value(), message
                    + " (override it with --set " + name + "=...)");
        }
        Origin o = e.origin();
        return new RuleError(o.source(), o.line(), o.valueColumn() + at, o.text(), message);
    }

    /**
     * Reads the {@code vars:} section of a suricata.yaml-style file: {@code NAME: value} lines (the value plain or
     * quoted) under {@code address-groups:} or {@code port-groups:}. The rest of the file is not read, but inside
     * {@code vars:} every line must have that shape.
     *
     * @param source the file name, for errors
     * @return this
     * @throws RuleError for a malformed line, with its line number and a caret
     */
    public Variables loadYaml(String text, String source) {
        String[] lines = text.split("\n", -1);
        boolean inVars = false;
        int varsIndent = -1;
        Kind group = null;
        int groupIndent = -1;
        boolean found = false;
        for (int i = 0; i < lines.length; i++) {
            String raw = lines[i].endsWith("\r") ? lines[i].substring(0, lines[i].length() - 1) : lines[i];
            String line = stripComment(raw);
            if (line.isBlank() || line.startsWith("%") || line.equals("---") || line.equals("...")) {
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            String t = line.trim();
            if (inVars && indent <= varsIndent) {
                inVars = false;
                group = null;
            }
            if (!inVars) {
                if (t.equals("vars:")) {
                    inVars = true;
                    varsIndent = indent;
                }
                continue;
            }
            int tab = raw.indexOf('\t');
            if (tab >= 0 && tab < indent) {
                throw new RuleError(source, i + 1, tab + 1, raw, "a tab in the indentation (YAML indents with "
                        + "spaces)");
            }
            if (group != null && indent <= groupIndent) {
                group = null;
            }
            if (group == null) {
                if (t.equals("address-groups:") || t.equals("port-groups:")) {
                    group = t.startsWith("address") ? Kind.ADDRESS : Kind.PORT;
                    groupIndent = indent;
                    continue;
                }
                throw new RuleError(source, i + 1, indent + 1, raw, "expected 'address-groups:' or 'port-groups:' "
                        + "under 'vars:'");
            }
            int colon = t.indexOf(':');
            if (colon <= 0) {
                throw new RuleError(source, i + 1, indent + 1, raw, "expected NAME: value");
            }
            String name = t.substring(0, colon).trim();
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new RuleError(source, i + 1, indent + 1, raw, "'" + name + "' is not a variable name");
            }
            int valueAt = indent + colon + 1;
            while (valueAt < line.length() && line.charAt(valueAt) == ' ') {
                valueAt++;
            }
            String value = line.substring(valueAt).trim();
            if (value.isEmpty()) {
                throw new RuleError(source, i + 1, valueAt + 1, raw, "'" + name + "' has no value");
            }
            int column = valueAt + 1;
            char q = value.charAt(0);
            if (q == '"' || q == '\'') {
                if (value.length() < 2 || value.charAt(value.length() - 1) != q) {
                    throw new RuleError(source, i + 1, valueAt + 1, raw, "unterminated quoted value");
                }
                value = value.substring(1, value.length() - 1);
                column++;
            }
            set(name, value, group, new Origin(source, i + 1, raw, column));
            found = true;
        }
        if (!found) {
            throw new RuleError(source, 1, 1, lines.length == 0 ? "" : lines[0], "no variables: expected a 'vars:' "
                    + "section with address-groups or port-groups");
        }
        return this;
    }

    /** The line without a {@code #} comment (one that starts the line or follows a space, outside quotes). */
    private static String stripComment(String line) {
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                }
            } else if (c == '"' || c == '\'') {
                quote = c;
            } else if (c == '#' && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i).stripTrailing();
            }
        }
        return line.stripTrailing();
    }
}
