package io.judo.rules.pcap;

/** A filter token: a word (keyword, number, address, name) or punctuation, with its 1-based column. */
record Token(String text, boolean word, int column) {
    boolean is(String s) {
        return text.equals(s);
    }

    @Override
    public String toString() {
        return "'" + text + "'";
    }
}
