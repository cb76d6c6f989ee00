package io.judo.engine.output;

import io.judo.applayer.Slice;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The SHA-256 of a kept file for its {@code fileinfo} record, in lower-case hex as Suricata writes it. One per log,
 * so each partition's thread hashes with its own digest (a {@link MessageDigest} is not thread-safe).
 */
final class FileDigest {
    private final MessageDigest sha256;

    FileDigest() {
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** @return the hex SHA-256 of the slice's bytes */
    String sha256(Slice s) {
        sha256.reset();
        sha256.update(s.array, s.offset, s.length);
        return HexFormat.of().formatHex(sha256.digest());
    }
}
