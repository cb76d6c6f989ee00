package io.judo.applayer.http;

/**
 * The HTTP parser's limits, immutable; start from {@link #defaults()} and change with the withers. The defaults are
 * Suricata's and libhtp's: 100 KiB of body kept per side, 18000 bytes per header line (libhtp's hard field limit),
 * 1024 headers, two decompression layers, a compression bomb cut above 1 MiB of output at a ratio over 2048.
 *
 * @param requestBodyLimit decoded request body bytes kept per transaction (0: none kept)
 * @param responseBodyLimit decoded response body bytes kept per transaction
 * @param fieldLimit bytes per start or header line; longer lines are cut and raise *_FIELD_TOO_LONG
 * @param headerBlockLimit bytes kept of a message's start line and headers together
 * @param maxHeaders headers per message; more raise *_TOO_MANY_HEADERS and are not kept
 * @param decompressionLayers Content-Encoding layers decoded; more raise TOO_MANY_ENCODING_LAYERS
 * @param bombLimit decompressed bytes per body after which the ratio is checked
 * @param bombRatio decompressed/compressed ratio above which (past bombLimit) decompression is cut
 * @param decompressedLimit decompressed bytes per body after which decompression stops regardless of ratio (no
 *     event: a large download is not a bomb; the decoded length then counts up to this)
 * @param decompressRequests whether request bodies are decompressed (libhtp: no)
 * @param decodeUEncoding whether {@code %uHHHH} is decoded in the URI path (libhtp's IDS personality: yes)
 * @param maxOpenTransactions transactions waiting for their response; beyond it the oldest is closed unanswered
 * @param transactionPool finished transactions kept for reuse per connection (with their buffers; {@link
 *     HttpParser#trim()} drops them): pipelining deeper than this allocates
 */
public record HttpConfig(int requestBodyLimit, int responseBodyLimit, int fieldLimit, int headerBlockLimit,
                         int maxHeaders, int decompressionLayers, long bombLimit, int bombRatio,
                         long decompressedLimit, boolean decompressRequests, boolean decodeUEncoding,
                         int maxOpenTransactions, int transactionPool) {
    /** @return Suricata's and libhtp's defaults */
    public static HttpConfig defaults() {
        return new HttpConfig(100 * 1024, 100 * 1024, 18000, 64 * 1024, 1024, 2, 1 << 20, 2048, 64L << 20,
            false, true, 512, 16);
    }

    /** @param n request body bytes kept @return a copy with that limit */
    public HttpConfig withRequestBodyLimit(int n) {
        return new HttpConfig(n, responseBodyLimit, fieldLimit, headerBlockLimit, maxHeaders, decompressionLayers,
            bombLimit, bombRatio, decompressedLimit, decompressRequests, decodeUEncoding,
            maxOpenTransactions, transactionPool);
    }

    /** @param n response body bytes kept @return a copy with that limit */
    public HttpConfig withResponseBodyLimit(int n) {
        return new HttpConfig(requestBodyLimit, n, fieldLimit, headerBlockLimit, maxHeaders, decompressionLayers,
            bombLimit, bombRatio, decompressedLimit, decompressRequests, decodeUEncoding,
            maxOpenTransactions, transactionPool);
    }

    /** @param n bytes per line @param block bytes of start line and headers kept @return a copy with those limits */
    public HttpConfig withHeaderLimits(int n, int block) {
        return new HttpConfig(requestBodyLimit, responseBodyLimit, n, block, maxHeaders, decompressionLayers,
            bombLimit, bombRatio, decompressedLimit, decompressRequests, decodeUEncoding,
            maxOpenTransactions, transactionPool);
    }

    /** @param layers layers decoded @param bomb bytes before the ratio check @param ratio the ratio
     *  @param max decompressed bytes cap @return a copy with those decompression limits */
    public HttpConfig withDecompression(int layers, long bomb, int ratio, long max) {
        return new HttpConfig(requestBodyLimit, responseBodyLimit, fieldLimit, headerBlockLimit, maxHeaders, layers,
            bomb, ratio, max, decompressRequests, decodeUEncoding,
            maxOpenTransactions, transactionPool);
    }

    /** @param on whether request bodies are decompressed too @return a copy */
    public HttpConfig withDecompressRequests(boolean on) {
        return new HttpConfig(requestBodyLimit, responseBodyLimit, fieldLimit, headerBlockLimit, maxHeaders,
            decompressionLayers, bombLimit, bombRatio, decompressedLimit, on, decodeUEncoding,
            maxOpenTransactions, transactionPool);
    }

    /** @param on whether %u is decoded in URI paths @return a copy */
    public HttpConfig withDecodeUEncoding(boolean on) {
        return new HttpConfig(requestBodyLimit, responseBodyLimit, fieldLimit, headerBlockLimit, maxHeaders,
            decompressionLayers, bombLimit, bombRatio, decompressedLimit, decompressRequests, on,
            maxOpenTransactions, transactionPool);
    }

    /** @param open transactions waiting for a response @param pool transactions kept for reuse @return a copy */
    public HttpConfig withTransactions(int open, int pool) {
        return new HttpConfig(requestBodyLimit, responseBodyLimit, fieldLimit, headerBlockLimit, maxHeaders,
            decompressionLayers, bombLimit, bombRatio, decompressedLimit, decompressRequests, decodeUEncoding, open,
            pool);
    }
}
