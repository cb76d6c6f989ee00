package io.judo.applayer.ssh;

/**
 * Suricata's SSH sticky buffers; {@link #text()} is the keyword. {@link #PROTO} and {@link #SOFTWARE} read the banner
 * of the direction asked for (Suricata: the client's towards the server, the server's towards the client); the
 * hassh buffers always read the client's KEXINIT and the hassh.server ones the server's.
 */
public enum SshBuffer {
    /** The protocol version of the banner: "2.0", "1.99". */
    PROTO("ssh.proto"),
    /** The software version of the banner, up to its first space (comments excluded). */
    SOFTWARE("ssh.software"),
    /** The client's hassh: MD5 of {@link #HASSH_STRING}, 32 lower-case hex digits. */
    HASSH("ssh.hassh"),
    /** The client's "kex;encryption c2s;mac c2s;compression c2s". */
    HASSH_STRING("ssh.hassh.string"),
    /** The server's hasshServer: MD5 of {@link #HASSH_SERVER_STRING}. */
    HASSH_SERVER("ssh.hassh.server"),
    /** The server's "kex;encryption s2c;mac s2c;compression s2c". */
    HASSH_SERVER_STRING("ssh.hassh.server.string");

    private final String text;

    SshBuffer(String text) {
        this.text = text;
    }

    /** @return the keyword as rules write it */
    public String text() {
        return text;
    }
}
