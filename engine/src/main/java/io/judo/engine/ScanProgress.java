package io.judo.engine;

/** Receives progress while a capture is scanned (called every few thousand packets, on the scanning thread). */
@FunctionalInterface
public interface ScanProgress {
    /** No progress reporting. */
    ScanProgress NONE = (name, position, packets) -> { };

    /**
     * @param name the file being read
     * @param position bytes of it consumed so far
     * @param packets packets scanned so far, all files together
     */
    void update(String name, long position, long packets);
}
