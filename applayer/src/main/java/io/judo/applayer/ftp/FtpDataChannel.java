package io.judo.applayer.ftp;

/**
 * A data connection the command channel announced: who will connect to which address and port, and, once the client
 * sent the transfer command that uses it, which command and which way its bytes go. In active mode (PORT, EPRT) the
 * server connects to the client's announced address; in passive mode (227 to PASV, 229 to EPSV) the client connects
 * to the server's. Fields are read-only outside the package.
 */
public final class FtpDataChannel {
    byte[] address;
    int port;
    boolean active;
    FtpCommand negotiatedBy;
    String transferCommand;
    byte[] fileName;
    boolean upload;

    /**
     * @return the announced address of the side that accepts the data connection (4 or 16 bytes), or null when the
     *     announcement had none (EPSV's {@code (|||port|)}: the control connection's server address)
     */
    public byte[] address() {
        return address;
    }

    /** @return the port the data connection goes to */
    public int port() {
        return port;
    }

    /** @return whether the server connects (active mode: PORT, EPRT); else the client does (PASV, EPSV) */
    public boolean active() {
        return active;
    }

    /** @return the command that announced the channel (PORT, EPRT, PASV, EPSV) */
    public FtpCommand negotiatedBy() {
        return negotiatedBy;
    }

    /** @return the transfer command that uses the channel, upper case (RETR, STOR, LIST ...), or null before it */
    public String transferCommand() {
        return transferCommand;
    }

    /** @return the transfer command's argument (a file name), or null when it had none or none came yet */
    public byte[] fileName() {
        return fileName;
    }

    /** @return whether the bytes go from the FTP client to the FTP server (STOR, APPE, STOU); else the other way */
    public boolean upload() {
        return upload;
    }

    private static String text(byte[] a) {
        try {
            return java.net.InetAddress.getByAddress(a).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            return "?";
        }
    }

    @Override
    public String toString() {
        return (active ? "active " : "passive ") + (address == null ? "*" : text(address))
                + ":" + port + (transferCommand == null ? "" : " " + transferCommand + (fileName == null ? ""
                        : " " + new String(fileName, java.nio.charset.StandardCharsets.ISO_8859_1))
                        + (upload ? " up" : " down"));
    }
}
