package io.judo.cli;

import io.judo.packet.testing.ExternalTools;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * tshark as the HTTP oracle: every request and response it dissects in a capture, with bodies reassembled, dechunked
 * and decompressed ({@code http.desegment_body}, {@code http.dechunk_body}, {@code http.decompress_body}), paired
 * into transactions per TCP connection in order: the k-th request with the k-th final response (1xx interim
 * responses other than 101 are not transactions, as in libhtp).
 */
final class TsharkHttp {
    /** One transaction as tshark reads it; absent fields are null, a missing response has status -1. */
    record Tx(String method, String uri, String host, String userAgent, String requestContentType,
              byte[] requestBody, int status, String responseContentType, byte[] responseBody) {
    }

    private TsharkHttp() {
    }

    /** A connection's name, the same for tshark's and judo's output: "client port server port", addresses canonical. */
    static String connection(String client, long clientPort, String server, long serverPort) {
        return canonical(client) + " " + clientPort + " " + canonical(server) + " " + serverPort;
    }

    static String canonical(String address) {
        try {
            return InetAddress.getByName(address).getHostAddress();
        } catch (java.net.UnknownHostException e) {
            throw new IllegalArgumentException(address, e);
        }
    }

    /**
     * Per connection (in the order tshark numbers its streams; a four-tuple used again by a later connection is
     * named with " #2", " #3"...), its transactions.
     */
    static Map<String, List<Tx>> transactions(Path capture) throws Exception {
        ExternalTools.require("tshark");
        String json = ExternalTools.run("tshark", "-n", "-r", capture.toString(), "-o", "http.desegment_body:TRUE",
                "-o", "http.dechunk_body:TRUE", "-o", "http.decompress_body:TRUE", "-Y", "http", "-T", "json", "-x",
                "--no-duplicate-keys", "-J", "ip ipv6 tcp http");
        Map<Long, String> names = new TreeMap<>();
        Map<Long, List<Map<String, Object>>> requests = new TreeMap<>();
        Map<Long, List<Map<String, Object>>> responses = new TreeMap<>();
        for (Object p : (List<?>) Json.parse(json)) {
            Map<?, ?> layers = (Map<?, ?>) ((Map<?, ?>) ((Map<?, ?>) p).get("_source")).get("layers");
            Map<?, ?> tcp = (Map<?, ?>) layers.get("tcp");
            Map<?, ?> ip = (Map<?, ?>) (layers.containsKey("ip") ? layers.get("ip") : layers.get("ipv6"));
            String v = layers.containsKey("ip") ? "ip" : "ipv6";
            long stream = Long.parseLong((String) tcp.get("tcp.stream"));
            for (Map<String, Object> message : list(layers.get("http"))) {
                Map<?, ?> first = firstLine(message);
                if (first == null) {
                    continue; // a continuation without a message start
                }
                boolean request = first.containsKey("http.request.method");
                String src = (String) ip.get(v + ".src");
                String dst = (String) ip.get(v + ".dst");
                long sport = Long.parseLong((String) tcp.get("tcp.srcport"));
                long dport = Long.parseLong((String) tcp.get("tcp.dstport"));
                names.putIfAbsent(stream, request ? connection(src, sport, dst, dport)
                        : connection(dst, dport, src, sport));
                message.put("first line", first);
                if (request) {
                    requests.computeIfAbsent(stream, k -> new ArrayList<>()).add(message);
                } else {
                    int code = Integer.parseInt((String) first.get("http.response.code"));
                    if (code >= 200 || code == 101) {
                        responses.computeIfAbsent(stream, k -> new ArrayList<>()).add(message);
                    }
                }
            }
        }
        Map<String, List<Tx>> out = new LinkedHashMap<>();
        for (Map.Entry<Long, String> e : names.entrySet()) {
            List<Map<String, Object>> req = requests.getOrDefault(e.getKey(), List.of());
            List<Map<String, Object>> rsp = responses.getOrDefault(e.getKey(), List.of());
            String name = e.getValue();
            for (int k = 2; out.containsKey(name); k++) {
                name = e.getValue() + " #" + k; // the four-tuple reused by a later connection
            }
            List<Tx> txs = new ArrayList<>();
            out.put(name, txs);
            for (int i = 0; i < Math.max(req.size(), rsp.size()); i++) {
                Map<String, Object> q = i < req.size() ? req.get(i) : null;
                Map<String, Object> r = i < rsp.size() ? rsp.get(i) : null;
                Map<?, ?> qf = q == null ? null : (Map<?, ?>) q.get("first line");
                Map<?, ?> rf = r == null ? null : (Map<?, ?>) r.get("first line");
                txs.add(new Tx(qf == null ? null : (String) qf.get("http.request.method"),
                        qf == null ? null : (String) qf.get("http.request.uri"),
                        q == null ? null : string(q.get("http.host")),
                        q == null ? null : string(q.get("http.user_agent")),
                        q == null ? null : string(q.get("http.content_type")), body(q),
                        rf == null ? -1 : Integer.parseInt((String) rf.get("http.response.code")),
                        r == null ? null : string(r.get("http.content_type")), body(r)));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object http) {
        if (http == null) {
            return List.of();
        }
        if (http instanceof List<?> l) {
            List<Map<String, Object>> r = new ArrayList<>();
            for (Object o : l) {
                if (o instanceof Map<?, ?>) {
                    r.add((Map<String, Object>) o);
                }
            }
            return r;
        }
        return http instanceof Map<?, ?> ? List.of((Map<String, Object>) http) : List.of();
    }

    /** The request or status line's subtree: the one entry holding the method or the status code. */
    private static Map<?, ?> firstLine(Map<String, Object> message) {
        for (Object v : message.values()) {
            if (v instanceof Map<?, ?> m && (m.containsKey("http.request.method") || m.containsKey("http.response.code"))) {
                return m;
            }
        }
        return null;
    }

    /** A field that tshark repeats (a header sent twice) gives its first value. */
    private static String string(Object v) {
        if (v instanceof List<?> l) {
            return l.isEmpty() ? null : string(l.get(0));
        }
        return (String) v;
    }

    /** The message's file data (its raw form is [hex, offset, length, bitmask, type]); empty when there is none. */
    private static byte[] body(Map<String, Object> message) {
        if (message == null) {
            return new byte[0];
        }
        Object raw = message.get("http.file_data_raw");
        if (raw instanceof List<?> l && !l.isEmpty()) {
            Object hex = l.get(0);
            if (hex instanceof List<?> nested) { // a repeated field: the first occurrence
                hex = nested.get(0);
            }
            return HexFormat.of().parseHex((String) hex);
        }
        return new byte[0];
    }
}
