/**
 * SSH: {@link io.judo.applayer.ssh.SshParser} reads one TCP connection's two in-order byte streams and fills the
 * connection's one {@link io.judo.applayer.ssh.SshSession} (Suricata keeps one SSH transaction per flow): each
 * direction's identification string ({@code SSH-protoversion-softwareversion comments}, RFC 4253 section 4.2), its
 * first KEXINIT's name-lists with the hassh and hasshServer fingerprints (Salesforce's hassh: MD5 of
 * "kex;encryption;mac;compression" of the sender's own direction), and whether NEWKEYS has switched it to encrypted
 * traffic, which is then only counted. Buffers ({@link io.judo.applayer.ssh.SshBuffer}: ssh.proto, ssh.software,
 * ssh.hassh, ssh.hassh.string, ssh.hassh.server, ssh.hassh.server.string) come out as slices over the session's own
 * storage; progress is reported to an {@link io.judo.applayer.ssh.SshListener} (banner, KEXINIT, encrypted) and
 * anomalies are {@link io.judo.applayer.ssh.SshEvent}s (Suricata's invalid_banner, long_banner, invalid_record,
 * long_kex_record), never exceptions.
 */
package io.judo.applayer.ssh;
