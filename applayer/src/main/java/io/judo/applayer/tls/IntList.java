package io.judo.applayer.tls;

/** A growable list of ints that keeps its array when cleared (a hello's lists are reused across connections). */
final class IntList {
    int[] a;
    int n;

    void clear() {
        n = 0;
    }

    void add(int v) {
        if (a == null) {
            a = new int[32];
        } else if (n == a.length) {
            a = java.util.Arrays.copyOf(a, n * 2);
        }
        a[n++] = v;
    }

    int[] toArray() {
        return n == 0 ? new int[0] : java.util.Arrays.copyOf(a, n);
    }
}
