package io.judo.applayer.http;

/**
 * The open transactions of a connection in order, as an array ring indexed from the oldest: iterating by index
 * allocates nothing (an ArrayDeque iterator would, once per response on the per-packet path).
 */
final class TxRing {
    private HttpTransaction[] a = new HttpTransaction[4];
    private int head;
    private int size;

    int size() {
        return size;
    }

    HttpTransaction get(int i) {
        return a[(head + i) & (a.length - 1)];
    }

    void add(HttpTransaction t) {
        if (size == a.length) {
            HttpTransaction[] n = new HttpTransaction[a.length * 2];
            for (int i = 0; i < size; i++) {
                n[i] = get(i);
            }
            a = n;
            head = 0;
        }
        a[(head + size) & (a.length - 1)] = t;
        size++;
    }

    /** @return the last element, or null */
    HttpTransaction poll() {
        if (size == 0) {
            return null;
        }
        int i = (head + size - 1) & (a.length - 1);
        HttpTransaction t = a[i];
        a[i] = null;
        size--;
        return t;
    }

    /** Removes t, keeping the order of the others; @return whether it was there */
    boolean remove(HttpTransaction t) {
        for (int i = 0; i < size; i++) {
            if (get(i) == t) {
                for (int j = i; j < size - 1; j++) {
                    a[(head + j) & (a.length - 1)] = get(j + 1);
                }
                a[(head + size - 1) & (a.length - 1)] = null;
                size--;
                return true;
            }
        }
        return false;
    }

    int capacity() {
        return a.length;
    }
}
