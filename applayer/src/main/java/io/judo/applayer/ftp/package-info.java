/**
 * FTP's command channel: {@link io.judo.applayer.ftp.FtpParser} reads one TCP connection's two in-order byte streams
 * (RFC 959): the client's command lines (a verb, matched without regard to case, and its argument; CRLF or a bare LF
 * ends a line) and the server's replies (a 3-digit code; {@code 123-} opens a multi-line reply that the line starting
 * {@code 123 } closes). Each command is an {@link io.judo.applayer.ftp.FtpTransaction} (as Suricata counts FTP
 * transactions), paired with its replies in order; a 1yz reply keeps it open for the final one. PORT and EPRT (active
 * mode, once the server accepts them) and the 227 and 229 replies to PASV and EPSV (passive mode) announce a data
 * connection ({@link io.judo.applayer.ftp.FtpDataChannel}: address, port, mode), and the transfer command that uses it
 * (RETR, STOR, LIST ...) tells which way its bytes go. Buffers ({@link io.judo.applayer.ftp.FtpBuffer}: ftp.command,
 * ftp.command_data) come out as slices over the transaction's own storage; progress is reported to an
 * {@link io.judo.applayer.ftp.FtpListener}, anomalies are {@link io.judo.applayer.ftp.FtpEvent}s, never exceptions.
 * Every limit is in {@link io.judo.applayer.ftp.FtpConfig}.
 */
package io.judo.applayer.ftp;
