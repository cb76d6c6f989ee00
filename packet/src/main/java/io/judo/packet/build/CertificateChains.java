package io.judo.packet.build;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * The real certificate chains generated TLS servers present (DER files under {@code certs/} beside this class; see the
 * README there for how they were made): two RSA and two ECDSA leaves, each with its intermediate, and the names each
 * leaf is valid for, which clients put in their SNI.
 */
final class CertificateChains {
    /** One server's chain, leaf first, and the names its leaf covers. */
    record Chain(List<byte[]> certificates, boolean ecdsa, List<String> names) {
    }

    private static final List<Chain> CHAINS = List.of(
            chain(false, List.of("www.example.com", "example.com", "shop.example.com"), "www.example.com", "int-rsa"),
            chain(true, List.of("api.example.net", "v2.api.example.net", "eu.api.example.net"), "api.example.net",
                    "int-ec"),
            chain(false, List.of("mail.example.org", "smtp.example.org", "imap.example.org"), "mail.example.org",
                    "int-rsa"),
            chain(true, List.of("cdn.example.org", "img.cdn.example.org", "static.example.net"), "cdn.example.org",
                    "int-ec"));

    private static final byte[] ROOT = load("root");

    private CertificateChains() {
    }

    /** The chains, in a fixed order. */
    static List<Chain> all() {
        return CHAINS;
    }

    /** The self-signed root, which a misconfigured server sends after its chain. */
    static byte[] root() {
        return ROOT.clone();
    }

    private static Chain chain(boolean ecdsa, List<String> names, String... files) {
        return new Chain(java.util.Arrays.stream(files).map(CertificateChains::load).toList(), ecdsa, names);
    }

    private static byte[] load(String name) {
        String path = "certs/" + name + ".der";
        try (InputStream in = CertificateChains.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("certificate missing from the jar: " + path);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
