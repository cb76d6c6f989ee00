/**
 * SMTP: {@link io.judo.applayer.smtp.SmtpParser} reads one TCP connection's two in-order byte streams, matches client
 * commands (pipelined or not) with server replies, and reports each mail as an
 * {@link io.judo.applayer.smtp.SmtpTransaction}: the HELO/EHLO, MAIL FROM and RCPT TO arguments as Suricata presents
 * them, the message's headers, and its files (MIME parts with a filename, base64 and quoted-printable decoded) for
 * {@code file.data} and EVE {@code fileinfo}. DATA and BDAT content is parsed as MIME with nested multiparts. An
 * accepted STARTTLS stops the parser and says where TLS begins in each direction. Buffers
 * ({@link io.judo.applayer.smtp.SmtpBuffer}) come out as slices over the transaction's own storage; anomalies are
 * {@link io.judo.applayer.smtp.SmtpEvent}s (Suricata's names), never exceptions.
 */
package io.judo.applayer.smtp;
