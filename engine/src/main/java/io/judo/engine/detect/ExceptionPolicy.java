package io.judo.engine.detect;

import java.util.Locale;

/**
 * Suricata's exception policies: what the engine does when a session is picked up mid-stream or reassembly hits its
 * memcap, with the values and the IDS/IPS meanings of Suricata's exception-policy documentation.
 */
public enum ExceptionPolicy {
    AUTO, IGNORE, DROP_FLOW, DROP_PACKET, REJECT, BYPASS, PASS_FLOW, PASS_PACKET;

    /** The name as suricata.yaml writes it ({@code drop-flow}). */
    public String text() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** By suricata.yaml's name, or an IllegalArgumentException listing them all. */
    public static ExceptionPolicy named(String name) {
        StringBuilder all = new StringBuilder();
        for (ExceptionPolicy p : values()) {
            if (p.text().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return p;
            }
            all.append(all.length() == 0 ? "" : ", ").append(p.text());
        }
        throw new IllegalArgumentException("expected one of " + all + ", got '" + name + "'");
    }

    /** As the master switch hands it to a setting that acts on flows only: packet actions fall to flow ones. */
    public ExceptionPolicy forFlows() {
        return this == DROP_PACKET ? DROP_FLOW : this == PASS_PACKET ? PASS_FLOW : this;
    }

    /** AUTO as Suricata resolves it: drop-flow in IPS mode, ignore in IDS mode. */
    public ExceptionPolicy resolved(boolean ips) {
        return this != AUTO ? this : ips ? DROP_FLOW : IGNORE;
    }

    /**
     * Whether Suricata starts with this midstream policy: with pickup on, only ignore, auto and pass-flow; with it
     * off, not the packet actions, nor drop-flow in IDS mode.
     */
    public boolean validForMidstream(boolean midstream, boolean ips) {
        if (midstream) {
            return this == AUTO || this == IGNORE || this == PASS_FLOW;
        }
        return this != DROP_PACKET && this != PASS_PACKET && (this != DROP_FLOW || ips);
    }

    /** Whether sessions picked up mid-stream are inspected (pass-flow tracks and parses them, runs no rule). */
    public boolean inspectsMidstream(boolean midstream) {
        return !(midstream && this == PASS_FLOW);
    }

    /** Whether, in prevention mode, an untracked mid-stream session's packets are dropped (auto, drop-flow, reject). */
    public boolean dropsUntracked(boolean midstream) {
        return !midstream && (this == AUTO || this == DROP_FLOW || this == REJECT);
    }
}
