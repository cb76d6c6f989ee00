package io.judo.matcher;

/** Receives matches. Called on the scanning thread, in order of end offset; must not allocate per call. */
@FunctionalInterface
public interface MatchSink {
    /**
     * @param patternId the pattern's id
     * @param start offset of the first byte of the match, or -1 when the pattern did not ask for it (SOM)
     * @param end offset just past the last byte of the match (absolute within the stream or block)
     */
    void match(int patternId, long start, long end);
}
