package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs {@code judo http --json --bodies} in-process and reads its lines back, per connection. */
final class JudoHttp {
    /** The http records and anomaly events of one run. */
    record Result(Map<String, List<Map<String, Object>>> transactions, List<Map<String, Object>> events, Run run) {
        /** The transaction records in run order, all connections. */
        List<Map<String, Object>> all() {
            List<Map<String, Object>> r = new ArrayList<>();
            transactions.values().forEach(r::addAll);
            return r;
        }
    }

    private JudoHttp() {
    }

    @SuppressWarnings("unchecked")
    static Result run(String... captureAndOptions) {
        List<String> args = new ArrayList<>(List.of("http", "--json", "--bodies"));
        args.addAll(List.of(captureAndOptions));
        Run r = Run.judo(args.toArray(String[]::new));
        assertEquals(0, r.status(), r.err());
        Map<Long, String> flows = new LinkedHashMap<>();
        Map<String, List<Map<String, Object>>> txs = new LinkedHashMap<>();
        List<Map<String, Object>> events = new ArrayList<>();
        for (String line : r.out().lines().toList()) {
            Map<String, Object> m = (Map<String, Object>) Json.parse(line);
            if (m.get("event_type").equals("anomaly")) {
                events.add(m);
                continue;
            }
            long flow = (Long) m.get("flow_id");
            // a connection's name, plus #2, #3... when its four-tuple comes back in a later flow
            String name = flows.computeIfAbsent(flow, f -> {
                String base = TsharkHttp.connection((String) m.get("src_ip"), (Long) m.get("src_port"),
                        (String) m.get("dest_ip"), (Long) m.get("dest_port"));
                long seen = flows.values().stream().filter(v -> v.equals(base) || v.startsWith(base + " #")).count();
                return seen == 0 ? base : base + " #" + (seen + 1);
            });
            txs.computeIfAbsent(name, k -> new ArrayList<>()).add(m);
        }
        return new Result(txs, events, r);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> http(Map<String, Object> record) {
        return (Map<String, Object>) record.get("http");
    }

    static byte[] body(Map<String, Object> record, String side) {
        Object b = http(record).get(side);
        return b == null ? new byte[0] : Base64.getDecoder().decode((String) b);
    }
}
