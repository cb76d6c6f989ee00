package io.judo.applayer.http;

import io.judo.applayer.ByteBuilder;
import java.util.Arrays;

/**
 * One side of a transaction (the request or the response): its start line and header block as on the wire, the
 * parsed headers, the decoded body kept so far, and the buffers derived on demand. Storage is kept across reuse.
 */
final class HttpMessage {
    static final int UNKNOWN = -1;
    static final int ABSENT = -2;

    /** Start line and header lines as received (line ends included), up to the header block limit. */
    final ByteBuilder head = new ByteBuilder();
    final HeaderTable headers = new HeaderTable();
    final ByteBuilder body = new ByteBuilder();
    /** Buffers computed from the others on first use; slices into it stay valid (it only grows). */
    final ByteBuilder derived = new ByteBuilder();
    final int[] derivedOff = new int[HttpBuffer.values().length];
    final int[] derivedLen = new int[HttpBuffer.values().length];

    /** The start line (without its line end) is head[0, lineEnd). */
    int lineEnd;
    /** Header lines (and the empty line ending them) are head[headerStart, headEnd). */
    int headerStart;
    int headEnd;
    /** The start line's three parts: method/protocol, target/status, protocol/message. */
    int p1Off;
    int p1Len;
    int p2Off;
    int p2Len;
    int p3Off;
    int p3Len;
    int status = -1;
    long bodyLength;
    boolean present;
    boolean headersDone;
    boolean complete;
    boolean truncated;

    HttpMessage() {
        Arrays.fill(derivedOff, UNKNOWN);
    }

    void reset() {
        head.clear();
        headers.clear();
        body.clear();
        resetDerived();
        lineEnd = 0;
        headerStart = 0;
        headEnd = 0;
        p1Off = p1Len = p2Off = p2Len = p3Off = p3Len = 0;
        status = -1;
        bodyLength = 0;
        present = false;
        headersDone = false;
        complete = false;
        truncated = false;
    }

    void resetDerived() {
        derived.clear();
        Arrays.fill(derivedOff, UNKNOWN);
    }

    /** @return the header's index, or -1 */
    int header(byte[] lowerName) {
        return headers.find(lowerName);
    }

    long retainedBytes() {
        return head.capacity() + headers.text.capacity() + body.capacity() + derived.capacity()
            + 16L * headers.nameOff.length;
    }
}
