package io.judo.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs {@code judo} in-process and captures its output. */
record Run(int status, String out, String err) {
    static Run judo(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int status = Judo.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Run(status, out.toString(), err.toString());
    }

    /** A long from the JSON output (flat key search is enough for these tests). */
    long json(String key) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("\"" + key + "\":(\\d+)").matcher(out);
        if (!m.find()) {
            throw new AssertionError("no key " + key + " in " + out);
        }
        return Long.parseLong(m.group(1));
    }
}
