package io.judo.vm;

/** Verdict codes a program exits with. */
public final class Verdict {
    /** Let the packet through (for a filter: the packet is selected). */
    public static final int PASS = 1;
    /** Drop it silently (for a filter: not selected). */
    public static final int DROP = 2;
    /** Drop it and answer with a TCP RST or ICMP unreachable. */
    public static final int REJECT = 3;

    private Verdict() {
    }

    public static String name(int verdict) {
        switch (verdict) {
            case PASS: return "pass";
            case DROP: return "drop";
            case REJECT: return "reject";
            default: return Integer.toString(verdict);
        }
    }

    /** The code for a name, or -1. */
    public static int of(String name) {
        switch (name) {
            case "pass": return PASS;
            case "drop": return DROP;
            case "reject": return REJECT;
            default: return -1;
        }
    }

    public static boolean valid(int verdict) {
        return verdict >= PASS && verdict <= REJECT;
    }
}
