package io.judo.applayer.tls;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Real certificates for tests without a network or a generator: the JDK's own trust store (public CA certs). */
final class Certs {
    private static List<byte[]> all;

    private Certs() {
    }

    static synchronized List<byte[]> jdk() throws Exception {
        if (all == null) {
            KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
            try (InputStream in = Files.newInputStream(Path.of(System.getProperty("java.home"), "lib", "security",
                "cacerts"))) {
                ks.load(in, null);
            }
            List<String> aliases = Collections.list(ks.aliases());
            Collections.sort(aliases);
            List<byte[]> r = new ArrayList<>();
            for (String a : aliases) {
                Certificate c = ks.getCertificate(a);
                if (c != null) {
                    r.add(c.getEncoded());
                }
            }
            all = r;
        }
        return all;
    }
}
