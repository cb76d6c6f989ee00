package io.judo.engine.detect;

import io.judo.applayer.http.HttpTransaction;

/**
 * What Suricata's EVE {@code http} object says of a transaction, taken when an alert fires or the transaction is
 * logged (the transaction itself is the parser's and is reused): absent values are null, status 0 before a response.
 *
 * @param url the request target as sent (Suricata logs the raw URI)
 * @param contentType the response's media type (its Content-Type without parameters)
 * @param length the decoded response body bytes seen so far
 */
public record HttpFields(long txId, String hostname, String url, String userAgent, String contentType,
        String referer, String method, String protocol, int status, String redirect, long length) {

    /** The fields of {@code tx} as they are now. */
    public static HttpFields of(HttpTransaction tx) {
        return new HttpFields(tx.index(), tx.host(), tx.uriRaw(), tx.userAgent(), mediaType(tx.responseContentType()),
                tx.referer(), tx.method(), tx.protocol(), tx.status(), tx.location(), tx.responseBodyLength());
    }

    /** A Content-Type without its parameters, as Suricata's EVE {@code http_content_type}. */
    public static String mediaType(String contentType) {
        if (contentType == null) {
            return null;
        }
        int semi = contentType.indexOf(';');
        return semi < 0 ? contentType : contentType.substring(0, semi);
    }
}
