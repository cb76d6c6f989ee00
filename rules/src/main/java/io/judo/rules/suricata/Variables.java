package io.judo.rules.suricata;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Address and port variables ({@code $HOME_NET}, {@code $HTTP_PORTS}...) with Suricata's suricata.yaml defaults,
 * overridden by {@code --set NAME=VALUE} or a YAML file's {@code vars:} section. Values are rule text and may refer to
 * other variables.
 */
public final class Variables {
    private final Map<String, String> values = new LinkedHashMap<>();

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

    /** Sets {@code name} (without the {@code $}). */
    public Variables set(String name, String value) {
        values.put(name.startsWith("$") ? name.substring(1) : name, value.trim());
        return this;
    }

    /** The value text, or null when undefined. */
    public String get(String name) {
        return values.get(name);
    }

    /**
     * Reads the {@code vars:} section of a suricata.yaml-style file: every {@code NAME: "value"} line under
     * {@code address-groups:} or {@code port-groups:}. Only that shape is read; anything else is ignored.
     */
    public Variables loadYaml(String text) {
        boolean inGroups = false;
        for (String raw : text.split("\n")) {
            String line = raw.replaceAll("\\s+#.*$", "");
            if (line.isBlank() || line.trim().startsWith("#")) {
                continue;
            }
            String t = line.trim();
            if (t.equals("address-groups:") || t.equals("port-groups:")) {
                inGroups = true;
                continue;
            }
            int indent = line.length() - line.stripLeading().length();
            if (indent <= 2 && !t.equals("vars:")) {
                inGroups = false;
            }
            int colon = t.indexOf(':');
            if (inGroups && colon > 0) {
                String value = t.substring(colon + 1).trim();
                if (value.length() >= 2 && (value.startsWith("\"") || value.startsWith("'"))) {
                    value = value.substring(1, value.length() - 1);
                }
                set(t.substring(0, colon).trim(), value);
            }
        }
        return this;
    }
}
