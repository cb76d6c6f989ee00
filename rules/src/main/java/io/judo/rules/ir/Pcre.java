package io.judo.rules.ir;

import io.judo.matcher.confirm.BoundedRegex;

/** {@code pcre:"/re/flags"}; {@code relative} for the R flag (the search starts at the cursor). */
public record Pcre(String expression, String flags, BoundedRegex regex, boolean negated, boolean relative)
        implements Inspect {
}
