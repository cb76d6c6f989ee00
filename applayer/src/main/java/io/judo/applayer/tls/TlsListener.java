package io.judo.applayer.tls;

/**
 * What a {@link TlsParser} reports, in stream order. Callbacks run inside {@link TlsParser#data}, {@link
 * TlsParser#gap} or {@link TlsParser#end}; the session is the parser's and stays valid until {@link
 * TlsParser#reset()}.
 */
public interface TlsListener {
    /** @param s the (first) ClientHello is parsed: SNI, ciphers, extensions, JA3 and JA4 are ready */
    default void clientHello(TlsSession s) {
    }

    /** @param s the ServerHello is parsed: selected version and cipher, JA3S are ready */
    default void serverHello(TlsSession s) {
    }

    /**
     * A Certificate message was parsed.
     *
     * @param s the session
     * @param dir 1 for the server's chain, 0 for a client certificate
     */
    default void certificates(TlsSession s, int dir) {
    }

    /**
     * A direction's traffic is now encrypted (after its ChangeCipherSpec, or the server's side after a TLS 1.3
     * ServerHello): handshake messages there are no longer parsed.
     *
     * @param s the session
     * @param dir the direction
     */
    default void encrypted(TlsSession s, int dir) {
    }

    /**
     * An anomaly.
     *
     * @param s the session
     * @param dir the direction it was seen in
     * @param e what was seen
     */
    void event(TlsSession s, int dir, TlsEvent e);
}
