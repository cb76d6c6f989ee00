package io.judo.applayer.http;

/**
 * What an {@link HttpParser} reports, in stream order. Callbacks run inside {@link HttpParser#data}, {@link
 * HttpParser#gap} or {@link HttpParser#end}; a transaction stays valid until {@link #transactionDone} returns, after
 * which the parser may reuse it for a later request.
 */
public interface HttpListener {
    /** @param tx the request line and headers are parsed: the request-side header buffers are ready */
    void requestHeaders(HttpTransaction tx);

    /** @param tx the decoded request body grew (the body so far, up to the configured limit) */
    void requestBody(HttpTransaction tx);

    /** @param tx the request is complete (or was cut by a gap or the end of its direction) */
    void requestComplete(HttpTransaction tx);

    /** @param tx the status line and headers of the final (non-1xx) response are parsed */
    void responseHeaders(HttpTransaction tx);

    /** @param tx the decoded response body grew */
    void responseBody(HttpTransaction tx);

    /** @param tx the response is complete (or was cut) */
    void responseComplete(HttpTransaction tx);

    /**
     * An application-layer anomaly.
     *
     * @param txOrNull the transaction it belongs to, or null when there is none (bytes between messages)
     * @param event what was seen
     */
    void event(HttpTransaction txOrNull, HttpEvent event);

    /** @param tx both sides are complete; the parser may reuse tx once this returns */
    default void transactionDone(HttpTransaction tx) {
    }
}
