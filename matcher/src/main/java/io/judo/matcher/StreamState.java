package io.judo.matcher;

/** Scan state of one stream (one flow direction): carries partial matches across chunks. */
public interface StreamState {
    /** Bytes scanned so far. */
    long offset();
}
