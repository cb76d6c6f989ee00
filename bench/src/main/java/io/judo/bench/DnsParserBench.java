package io.judo.bench;

import io.judo.applayer.Slice;
import io.judo.applayer.dns.DnsMessage;
import io.judo.applayer.dns.DnsParser;
import io.judo.applayer.dns.DnsTcpFramer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The DNS parser alone (issue 19's target: 2 M messages/s per core, 0 bytes allocated per message). Messages are
 * typical of a resolver's traffic: a query with an EDNS OPT record, and its answer (a CNAME and two A records with
 * compressed names); every question name and answer owner name is read as detection would read them. The TCP case
 * frames a connection of pipelined length-prefixed queries cut into 100-byte segments, so most messages are split.
 * {@code java -jar bench/target/benchmarks.jar DnsParserBench -f 1 -wi 3 -i 5 -prof gc}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-XX:+UseParallelGC")
public class DnsParserBench {
    /** Messages per TCP connection invocation. */
    static final int TCP_MESSAGES = 100;
    static final int SEGMENT = 100;

    private final DnsMessage message = new DnsMessage();
    private final Slice slice = new Slice();
    private byte[] query;
    private byte[] answer;
    private byte[] connection;
    private DnsTcpFramer framer;
    private long sink;

    @Setup
    public void setUp() {
        ByteArrayOutputStream q = new ByteArrayOutputStream();
        header(q, 0x2a, 0x0100, 1, 0, 0, 1);
        name(q, "www.example.com");
        u16(q, 1);
        u16(q, 1);
        q.write(0); // OPT: root name, type 41, 4096, ext rcode/flags, no rdata
        u16(q, 41);
        u16(q, 4096);
        u16(q, 0);
        u16(q, 0);
        u16(q, 0);
        query = q.toByteArray();

        ByteArrayOutputStream a = new ByteArrayOutputStream();
        header(a, 0x2a, 0x8180, 1, 3, 0, 0);
        name(a, "www.example.com");
        u16(a, 1);
        u16(a, 1);
        rr(a, 0xC00C, 5, new byte[] {4, 'e', 'd', 'g', 'e', (byte) 0xC0, 0x10}); // edge.example.com
        rr(a, 0xC000 | 45, 1, new byte[] {93, (byte) 184, (byte) 216, 34});
        rr(a, 0xC000 | 45, 1, new byte[] {93, (byte) 184, (byte) 216, 35});
        answer = a.toByteArray();

        ByteArrayOutputStream c = new ByteArrayOutputStream();
        for (int i = 0; i < TCP_MESSAGES; i++) {
            u16(c, query.length);
            c.write(query, 0, query.length);
        }
        connection = c.toByteArray();
        framer = new DnsTcpFramer((dir, b, off, len) -> {
            DnsParser.parse(b, off, len, dir, message);
            sink += message.questionName(0, slice).length;
        });
    }

    private static void header(ByteArrayOutputStream o, int id, int flags, int qd, int an, int ns, int ar) {
        for (int v : new int[] {id, flags, qd, an, ns, ar}) {
            u16(o, v);
        }
    }

    private static void name(ByteArrayOutputStream o, String n) {
        for (String l : n.split("\\.")) {
            byte[] b = l.getBytes(StandardCharsets.US_ASCII);
            o.write(b.length);
            o.write(b, 0, b.length);
        }
        o.write(0);
    }

    private static void rr(ByteArrayOutputStream o, int pointer, int type, byte[] rdata) {
        u16(o, pointer);
        u16(o, type);
        u16(o, 1);
        u16(o, 0);
        u16(o, 300);
        u16(o, rdata.length);
        o.write(rdata, 0, rdata.length);
    }

    private static void u16(ByteArrayOutputStream o, int v) {
        o.write(v >>> 8);
        o.write(v);
    }

    /** A query datagram: header, question, OPT record; the question name read. */
    @Benchmark
    public int udpQuery() {
        DnsParser.parse(query, 0, query.length, 0, message);
        return message.questionName(0, slice).length;
    }

    /** An answer datagram: question, CNAME, two A records; every owner name read. */
    @Benchmark
    public int udpAnswer() {
        DnsParser.parse(answer, 0, answer.length, 1, message);
        int n = message.questionName(0, slice).length;
        for (int i = 0; i < message.recordCount(); i++) {
            n += message.recordName(i, slice).length;
        }
        return n;
    }

    /** Pipelined TCP queries in 100-byte segments (most messages split and gathered). */
    @Benchmark
    @OperationsPerInvocation(TCP_MESSAGES)
    public long tcpQueries() {
        for (int at = 0; at < connection.length; at += SEGMENT) {
            framer.data(0, connection, at, Math.min(SEGMENT, connection.length - at));
        }
        return sink;
    }
}
