package io.judo.matcher.dfa;

import java.util.Arrays;

/** An int[] as a hash key by content: the subset and product constructions index their states with it. */
record IntArrayKey(int[] values) {
    @Override
    public boolean equals(Object o) {
        return o instanceof IntArrayKey k && Arrays.equals(values, k.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }
}
