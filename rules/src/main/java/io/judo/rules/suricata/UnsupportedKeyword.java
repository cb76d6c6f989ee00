package io.judo.rules.suricata;

/**
 * A rule uses a keyword (or protocol, or modifier) outside the supported subset. The loader skips the rule and counts
 * it under {@link #keyword()}; {@code --strict} turns it into an error.
 */
public final class UnsupportedKeyword extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String keyword;
    private final int column;

    public UnsupportedKeyword(String keyword, int column, String message) {
        super(message, null, false, false);
        this.keyword = keyword;
        this.column = column;
    }

    /** The name counted in reports, e.g. {@code http.uri} or {@code protocol http}. */
    public String keyword() {
        return keyword;
    }

    /** 1-based column in the rule text. */
    public int column() {
        return column;
    }
}
