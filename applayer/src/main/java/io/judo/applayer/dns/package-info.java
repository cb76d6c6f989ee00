/**
 * DNS: {@link io.judo.applayer.dns.DnsParser} reads one DNS message (a UDP payload, or one message of a TCP
 * connection cut out by {@link io.judo.applayer.dns.DnsTcpFramer}) into a reusable
 * {@link io.judo.applayer.dns.DnsMessage}: header, questions, answer/authority/additional records, names decoded
 * with compression under explicit limits. Bad input is a {@link io.judo.applayer.dns.DnsEvent}, never an exception,
 * and a parser in steady state allocates nothing per message.
 */
package io.judo.applayer.dns;
