package io.judo.cli;

import io.judo.applayer.http.HttpConfig;
import io.judo.applayer.http.HttpEvent;
import io.judo.engine.ChecksumMode;
import io.judo.engine.StreamTap;
import io.judo.engine.detect.HttpFields;
import io.judo.engine.output.EveWriter;
import io.judo.packet.Addresses;
import io.judo.reassembly.Flow;
import io.judo.reassembly.StreamConfig;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code judo http}: list the HTTP transactions the parser reads in captures. */
@Command(name = "http", mixinStandardHelpOptions = true,
        description = {"List the HTTP/1.x transactions of captures as Judo's HTTP parser reads them: TCP reassembled "
                + "as judo streams and judo scan do, one parser per connection, each request paired with its "
                + "response. By default a table (connection, transaction, method, host, URI, status, response "
                + "content type, decoded body lengths) and the app-layer events seen; with --json one EVE-style "
                + "line per transaction (event_type http, Suricata's field names) and per event (event_type "
                + "anomaly)."},
        footer = {"", "Examples:", "  judo http trace.pcap",
                "  judo http --json trace.pcap | jq .http.url",
                "  judo http --json --bodies --body-limit 1M trace.pcap   bodies as base64, dechunked and decompressed"})
final class HttpCommand implements Callable<Integer> {
    @Option(names = "--json", description = "One EVE-style JSON line per transaction and per app-layer event.")
    boolean json;

    @Option(names = "--bodies", description = "With --json: add each transaction's decoded (dechunked, "
            + "decompressed) bodies as base64, http.request_body and http.response_body, up to --body-limit.")
    boolean bodies;

    @Option(names = "--body-limit", paramLabel = "BYTES", description = "Decoded body bytes kept per transaction and "
            + "side, e.g. 100K, 1M (default: Suricata's 100K). Longer bodies are counted in full (length) but kept "
            + "only to the limit.")
    String bodyLimit;

    @picocli.CommandLine.Mixin
    ChecksumOptions checksums;

    @Parameters(paramLabel = "CAPTURE", arity = "1..*", description = "pcap or pcapng files.")
    List<Path> captures = new ArrayList<>();

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final Map<String, Long> eventCounts = new TreeMap<>();

    @Override
    public Integer call() throws IOException {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (bodies && !json) {
            throw new UserError("--bodies needs --json");
        }
        HttpConfig config = HttpConfig.defaults();
        if (bodyLimit != null) {
            long n = GenerateCommand.parseSize("--body-limit", bodyLimit);
            if (n < 0 || n > Integer.MAX_VALUE - 8) {
                throw new UserError("--body-limit: out of range: '" + bodyLimit + "'");
            }
            config = config.withRequestBodyLimit((int) n).withResponseBodyLimit((int) n);
        }
        if (!json) {
            out.printf("%-44s %3s %-7s %-24s %-40s %6s %-24s %9s %9s%n", "CONNECTION", "TX", "METHOD", "HOST", "URI",
                    "STATUS", "CONTENT-TYPE", "REQ-BODY", "RESP-BODY");
        }
        HttpFlows flows = new HttpFlows(config, bodies, new HttpFlows.Output() {
            @Override
            public void transaction(Flow flow, HttpFlows.Tx tx) {
                out.println(json ? eve(flow, tx, bodies) : row(flow, tx));
            }

            @Override
            public void event(Flow flow, long txIndex, long timeNanos, HttpEvent event) {
                eventCounts.merge(event.text(), 1L, Long::sum);
                if (json) {
                    out.println(anomaly(flow, txIndex, timeNanos, event));
                }
            }
        });
        ChecksumMode mode = checksums.mode();
        StreamTap tap = new StreamTap(StreamConfig.defaults(), null, mode != ChecksumMode.OFF, flows, flows::end);
        int status = StreamsCommand.readAll(tap, captures, mode, err, null);
        tap.finish();
        PrintWriter summary = json ? err : out;
        summary.printf("%,d HTTP transactions in %,d TCP connection%s with data%n", flows.transactions(),
                flows.flowsParsed, flows.flowsParsed == 1 ? "" : "s");
        if (!eventCounts.isEmpty()) {
            StringBuilder sb = new StringBuilder("app-layer events:");
            eventCounts.forEach((k, v) -> sb.append(' ').append(k).append(' ').append(v));
            summary.println(sb);
        }
        long badChecksum = tap.reassembler().count(io.judo.reassembly.StreamCount.BAD_CHECKSUM);
        if (badChecksum > 0) {
            summary.printf("%,d TCP segments with bad checksums left out%n", badChecksum);
        }
        summary.flush();
        return status;
    }

    private static String endpoint(byte[] address, int port) {
        String a = Addresses.format(address);
        return (address.length == 16 ? "[" + a + "]" : a) + ":" + port;
    }

    private static String cut(String s, int width) {
        if (s == null) {
            return "-";
        }
        return s.length() <= width ? s : s.substring(0, width - 3) + "...";
    }

    private static String row(Flow flow, HttpFlows.Tx tx) {
        String connection = endpoint(flow.clientAddress(), flow.clientPort()) + " > "
                + endpoint(flow.serverAddress(), flow.serverPort());
        return String.format("%-44s %3d %-7s %-24s %-40s %6s %-24s %9d %9d", cut(connection, 44), tx.index(),
                cut(tx.method(), 7), cut(tx.host(), 24), cut(tx.uriRaw(), 40),
                tx.status() < 0 ? "-" : String.valueOf(tx.status()),
                cut(HttpFields.mediaType(tx.responseContentType()), 24),
                tx.requestBodyLength(), tx.responseBodyLength());
    }

    /** A transaction as Suricata's EVE http record (absent fields left out), with the bodies when asked. */
    static String eve(Flow flow, HttpFlows.Tx tx, boolean bodies) {
        HttpFields h = new HttpFields(tx.index(), tx.host(), tx.uriRaw(), tx.userAgent(),
                HttpFields.mediaType(tx.responseContentType()), tx.referer(), tx.method(), tx.protocol(), tx.status(),
                tx.location(), tx.responseBodyLength());
        return EveWriter.httpLine(tx.timeNanos(), flow.id(), Addresses.format(flow.clientAddress()), flow.clientPort(),
                Addresses.format(flow.serverAddress()), flow.serverPort(), h, bodies ? tx.requestBody() : null,
                bodies ? tx.responseBody() : null);
    }

    /** An app-layer event as Suricata's EVE anomaly record (type applayer, app_proto http). */
    static String anomaly(Flow flow, long txIndex, long timeNanos, HttpEvent event) {
        return EveWriter.appLayerAnomaly(timeNanos, flow.id(), Addresses.format(flow.clientAddress()),
                flow.clientPort(), Addresses.format(flow.serverAddress()), flow.serverPort(), txIndex, event.text());
    }
}
