package io.judo.cli;

import io.judo.reassembly.HostPolicies;
import io.judo.reassembly.OverlapPolicy;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;

/**
 * A {@code suricata.yaml} as Judo reads it ({@code judo scan -c}, {@code judo suricata -c}): the settings Judo
 * implements, each with the line it came from, and one warning per key it does not use, named at the shallowest level
 * where the whole subtree is unused (so a stock file gives a few dozen lines, not hundreds). {@code --set KEY=VALUE}
 * overrides a key as Suricata's does.
 *
 * <p>Read: {@code vars} (address and port groups), {@code default-rule-path} and {@code rule-files},
 * {@code classification-file}, {@code threshold-file}, {@code host-os-policy}, {@code stream.checksum-validation},
 * {@code stream.reassembly.depth}, {@code stream.reassembly.memcap}, {@code defrag.timeout}, {@code defrag.memcap},
 * {@code detect.sgh-mpm-caching} and {@code detect.sgh-mpm-caching-path}, and the {@code outputs} list's {@code eve-log}
 * ({@code enabled}, {@code filename}, {@code types}).
 */
final class SuricataConfig {
    /** A setting's value and where it came from ("suricata.yaml:42" or "--set"). */
    record Value(String text, List<String> items, String origin) {
    }

    private final Path file;
    private final Map<String, Value> values = new LinkedHashMap<>();
    private final List<String> warnings = new ArrayList<>();
    private final Map<String, List<String>> hostPolicies = new LinkedHashMap<>();
    private List<String> eveTypes;

    private SuricataConfig(Path file) {
        this.file = file;
    }

    /** A configuration with nothing in it (no {@code -c}); {@code --set} keys may still fill it. */
    static SuricataConfig empty() {
        SuricataConfig c = new SuricataConfig(Path.of("suricata.yaml"));
        c.text = "";
        return c;
    }

    /** libhtp's default personality, whose limits Judo's HTTP parser takes. */
    private static final String HTP = "app-layer.protocols.http.libhtp.default-config.";

    /** Keys read as one value (scalars) or one list of scalars. */
    private static final List<String> LEAVES = List.of("default-rule-path", "rule-files", "classification-file",
            "reference-config-file", "threshold-file", "stream.checksum-validation", "stream.reassembly.depth",
            "stream.reassembly.memcap", "outputs.eve-log.enabled", "outputs.eve-log.filename", "stream.midstream",
            "stream.midstream-policy", "exception-policy", "stream.reassembly.memcap-policy",
            "app-layer.protocols.http.enabled",
            "app-layer.protocols.tls.enabled", "app-layer.protocols.ssh.enabled", "app-layer.protocols.smtp.enabled",
            "app-layer.protocols.ftp.enabled", "app-layer.protocols.dns.tcp.enabled",
            "app-layer.protocols.dns.udp.enabled", HTP + "request-body-limit", HTP + "response-body-limit",
            HTP + "response-body-decompress-layer-limit", HTP + "compression-bomb-limit", HTP + "max-tx",
            "defrag.memcap", "defrag.timeout", "defrag.memcap-policy", "defrag.hash-size", "defrag.trackers",
            "defrag.max-frags", "defrag.prealloc", "detect.sgh-mpm-caching", "detect.sgh-mpm-caching-path");
    /**
     * Of {@link #LEAVES}, those Judo reads but does not act on (named in the warnings as read and unused): the defrag
     * table's sizing (Judo's tracker table grows as it needs, bounded by the memcap alone) and its IPS memcap policy
     * (past the memcap Judo drops the oldest waiting datagrams, in either mode).
     */
    private static final List<String> UNUSED_LEAVES = List.of("reference-config-file", "defrag.memcap-policy",
            "defrag.hash-size", "defrag.trackers", "defrag.max-frags", "defrag.prealloc");

    /**
     * Reads {@code file}.
     *
     * @throws UserError when it cannot be read or is not YAML, naming the line
     */
    static SuricataConfig read(Path file) {
        String text;
        try {
            text = io.judo.rules.TextFiles.readUtf8(file, "YAML");
        } catch (IOException e) {
            throw new UserError(file + ": " + RuleOptions.describe(e));
        }
        SuricataConfig c = new SuricataConfig(file);
        Node root;
        try {
            root = new Yaml(new LoaderOptions()).compose(new java.io.StringReader(text));
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            throw new UserError(file + ":" + (m == null ? "?" : m.getLine() + 1) + ": not YAML: "
                    + (e.getProblem() != null ? e.getProblem() : e.getMessage()));
        } catch (org.yaml.snakeyaml.error.YAMLException e) {
            throw new UserError(file + ": not YAML: " + e.getMessage());
        }
        if (root == null) {
            return c;
        }
        if (!(root instanceof MappingNode)) {
            throw new UserError(file + ":" + line(root) + ": expected a mapping of settings at the top");
        }
        c.text = text;
        c.walk((MappingNode) root, "");
        return c;
    }

    private String text;
    private boolean hasVars;

    /** Whether the file has a {@code vars} section. */
    boolean hasVars() {
        return hasVars;
    }

    /** The file's text (its {@code vars} section is read by the rule variables). */
    String text() {
        return text;
    }

    /** The file read. */
    Path file() {
        return file;
    }

    private static int line(Node n) {
        return n.getStartMark().getLine() + 1;
    }

    private String at(Node n) {
        return file + ":" + line(n);
    }

    private void walk(MappingNode map, String prefix) {
        for (NodeTuple t : map.getValue()) {
            if (!(t.getKeyNode() instanceof ScalarNode)) {
                warnings.add(at(t.getKeyNode()) + ": a key that is not text; ignored");
                continue;
            }
            String key = prefix + ((ScalarNode) t.getKeyNode()).getValue();
            Node value = t.getValueNode();
            if (key.equals("vars")) {
                hasVars = true;
                continue; // read by the rule variables (Variables.loadYaml), which check every line
            }
            if (key.equals("host-os-policy")) {
                hostOsPolicy(value);
                continue;
            }
            if (key.equals("outputs")) {
                outputs(value);
                continue;
            }
            if (LEAVES.contains(key)) {
                leaf(key, value);
                continue;
            }
            if (value instanceof MappingNode && LEAVES.stream().anyMatch(l -> l.startsWith(key + "."))) {
                walk((MappingNode) value, key + ".");
                continue;
            }
            warnings.add(at(t.getKeyNode()) + ": " + key + ": not used by judo");
        }
    }

    private void leaf(String key, Node value) {
        if (value instanceof ScalarNode) {
            values.put(key, new Value(((ScalarNode) value).getValue(), null, at(value)));
        } else if (value instanceof SequenceNode) {
            List<String> items = new ArrayList<>();
            for (Node item : ((SequenceNode) value).getValue()) {
                if (!(item instanceof ScalarNode)) {
                    throw new UserError(at(item) + ": " + key + ": expected a list of names");
                }
                items.add(((ScalarNode) item).getValue());
            }
            values.put(key, new Value(null, items, at(value)));
        } else {
            throw new UserError(at(value) + ": " + key + ": expected a value, not a mapping");
        }
        if (UNUSED_LEAVES.contains(key)) {
            warnings.add(at(value) + ": " + key + ": read, not used by judo");
        }
    }

    /** {@code host-os-policy: {windows: [nets], linux: [...]}}: each network's overlap (and fragment) policy. */
    private void hostOsPolicy(Node value) {
        if (!(value instanceof MappingNode)) {
            throw new UserError(at(value) + ": host-os-policy: expected POLICY: [networks] lines");
        }
        for (NodeTuple t : ((MappingNode) value).getValue()) {
            String name = ((ScalarNode) t.getKeyNode()).getValue();
            OverlapPolicy p = hostPolicy(name);
            if (p == null) {
                throw new UserError(at(t.getKeyNode()) + ": host-os-policy: unknown policy '" + name + "' (windows, "
                        + "bsd, bsd-right, old-linux, linux, old-solaris, solaris, hpux10, hpux11, irix, macos, vista, "
                        + "windows2k3)");
            }
            List<String> nets = hostPolicies.computeIfAbsent(p.text(), k -> new ArrayList<>());
            Node list = t.getValueNode();
            if (list instanceof ScalarNode) {
                String s = ((ScalarNode) list).getValue().trim();
                if (s.startsWith("[") && s.endsWith("]")) {
                    s = s.substring(1, s.length() - 1);
                }
                for (String n : s.split(",")) {
                    if (!n.isBlank()) {
                        nets.add(n.trim());
                    }
                }
            } else if (list instanceof SequenceNode) {
                for (Node n : ((SequenceNode) list).getValue()) {
                    nets.add(((ScalarNode) n).getValue().trim());
                }
            }
        }
    }

    /** Suricata's host-os-policy names as Judo's overlap policies; old-solaris is read as solaris. */
    private static OverlapPolicy hostPolicy(String name) {
        switch (name) {
            case "windows2k3": return OverlapPolicy.WIN2003;
            case "old-solaris": return OverlapPolicy.SOLARIS;
            case "first": case "last":
                return null;
            default:
                try {
                    return OverlapPolicy.named(name);
                } catch (IllegalArgumentException e) {
                    return null;
                }
        }
    }

    /** The {@code outputs} list: {@code eve-log} is read; each other output is named once as unused. */
    private void outputs(Node value) {
        if (!(value instanceof SequenceNode)) {
            warnings.add(at(value) + ": outputs: expected a list; ignored");
            return;
        }
        for (Node item : ((SequenceNode) value).getValue()) {
            if (!(item instanceof MappingNode) || ((MappingNode) item).getValue().size() != 1) {
                warnings.add(at(item) + ": outputs: an entry that is not 'NAME: {...}'; ignored");
                continue;
            }
            NodeTuple t = ((MappingNode) item).getValue().get(0);
            String name = ((ScalarNode) t.getKeyNode()).getValue();
            if (!name.equals("eve-log") || !(t.getValueNode() instanceof MappingNode)) {
                warnings.add(at(t.getKeyNode()) + ": outputs." + name + ": not used by judo");
                continue;
            }
            for (NodeTuple e : ((MappingNode) t.getValueNode()).getValue()) {
                String key = ((ScalarNode) e.getKeyNode()).getValue();
                switch (key) {
                    case "enabled":
                    case "filename":
                        leaf("outputs.eve-log." + key, e.getValueNode());
                        break;
                    case "types":
                        eveTypes(e.getValueNode());
                        break;
                    default:
                        warnings.add(at(e.getKeyNode()) + ": outputs.eve-log." + key + ": not used by judo");
                }
            }
        }
    }

    /** {@code types:} items are names ({@code - alert}) or one-key mappings ({@code - http: {extended: yes}}). */
    private void eveTypes(Node value) {
        if (!(value instanceof SequenceNode)) {
            throw new UserError(at(value) + ": outputs.eve-log.types: expected a list of event types");
        }
        eveTypes = new ArrayList<>();
        java.util.Set<String> known = new java.util.HashSet<>();
        for (io.judo.engine.output.EveWriter.Type t : io.judo.engine.output.EveWriter.Type.values()) {
            known.add(t.name().toLowerCase(Locale.ROOT));
        }
        for (Node item : ((SequenceNode) value).getValue()) {
            String name;
            if (item instanceof ScalarNode) {
                name = ((ScalarNode) item).getValue();
            } else if (item instanceof MappingNode && ((MappingNode) item).getValue().size() == 1) {
                name = ((ScalarNode) ((MappingNode) item).getValue().get(0).getKeyNode()).getValue();
            } else {
                throw new UserError(at(item) + ": outputs.eve-log.types: expected an event type");
            }
            if (known.contains(name)) {
                eveTypes.add(name);
            } else {
                warnings.add(at(item) + ": outputs.eve-log.types: " + name + ": not written by judo");
            }
        }
    }

    /** Whether {@code --set key=...} names a configuration key rather than a rule variable. */
    static boolean isConfigKey(String key) {
        return !key.startsWith("vars.") && (key.contains(".") || LEAVES.contains(key));
    }

    /**
     * Applies {@code --set KEY=VALUE} for a configuration key (one with a dot, or a top-level key Judo reads).
     *
     * @return false when {@code key} is not one of those (the caller treats it as a rule variable)
     */
    boolean set(String key, String value) {
        if (key.startsWith("vars.")) {
            return false;
        }
        if (key.equals("outputs.eve-log.types") || key.equals("eve-log.types")) {
            eveTypes = new ArrayList<>(List.of(value.split(",")));
            return true;
        }
        String k = key.startsWith("eve-log.") ? "outputs." + key : key;
        if (LEAVES.contains(k)) {
            values.put(k, new Value(value, k.equals("rule-files") ? List.of(value.split(",")) : null, "--set"));
            return true;
        }
        if (key.contains(".")) {
            warnings.add("--set " + key + ": not used by judo");
            return true;
        }
        return false;
    }

    /** One line per key Judo ignores, in file order (and one per value it reads otherwise, such as detection-only). */
    List<String> warnings() {
        disabledProtocols(); // reads the app-layer settings now: their warnings and errors come with the others
        dnsOverUdp();
        httpConfig();
        return warnings;
    }

    /** The rule files {@code rule-files} names, under {@code default-rule-path} (relative to the file's directory). */
    List<Path> ruleFiles() {
        Value files = values.get("rule-files");
        if (files == null) {
            return List.of();
        }
        Value dir = values.get("default-rule-path");
        Path base = dir != null ? path(dir.text()) : file.toAbsolutePath().getParent();
        List<Path> out = new ArrayList<>();
        for (String f : files.items() != null ? files.items() : List.of(files.text())) {
            Path p = Path.of(f.trim());
            out.add(p.isAbsolute() ? p : base.resolve(p));
        }
        return out;
    }

    private Path path(String p) {
        Path path = Path.of(p.trim());
        return path.isAbsolute() ? path : file.toAbsolutePath().getParent().resolve(path);
    }

    /** {@code classification-file}, or null. */
    Path classificationFile() {
        Value v = values.get("classification-file");
        return v == null ? null : path(v.text());
    }

    /** {@code threshold-file}, or null. */
    Path thresholdFile() {
        Value v = values.get("threshold-file");
        return v == null ? null : path(v.text());
    }

    /** {@code stream.checksum-validation} as a Judo checksum mode ("on", "off"), or null when not set. */
    String checksumValidation() {
        Value v = values.get("stream.checksum-validation");
        return v == null ? null : bool(v, "stream.checksum-validation") ? "on" : "off";
    }

    /** {@code stream.reassembly.depth} in bytes (Long.MAX_VALUE for 0, Suricata's "unlimited"), or -1 when not set. */
    long reassemblyDepth() {
        Value v = values.get("stream.reassembly.depth");
        if (v == null) {
            return -1;
        }
        long n = size(v, "stream.reassembly.depth");
        return n == 0 ? Long.MAX_VALUE : n;
    }

    /** {@code stream.reassembly.memcap} in bytes, or -1 when not set. */
    long reassemblyMemcap() {
        Value v = values.get("stream.reassembly.memcap");
        return v == null ? -1 : size(v, "stream.reassembly.memcap");
    }

    /**
     * The protocols {@code app-layer.protocols.NAME.enabled: no} switches off over TCP ({@code dns.tcp} for DNS);
     * {@code detection-only} reads as no, with a warning (Judo detects a protocol only to parse it).
     */
    java.util.Set<io.judo.applayer.AppProto> disabledProtocols() {
        java.util.Set<io.judo.applayer.AppProto> off = java.util.EnumSet.noneOf(io.judo.applayer.AppProto.class);
        for (io.judo.applayer.AppProto p : io.judo.applayer.AppProto.values()) {
            String name = p.name().toLowerCase(Locale.ROOT);
            String key = "app-layer.protocols." + (p == io.judo.applayer.AppProto.DNS ? "dns.tcp" : name) + ".enabled";
            if (values.containsKey(key) && !enabled(key)) {
                off.add(p);
            }
        }
        return off;
    }

    /** Whether {@code app-layer.protocols.dns.udp.enabled} leaves DNS over UDP on (the default). */
    boolean dnsOverUdp() {
        String key = "app-layer.protocols.dns.udp.enabled";
        return !values.containsKey(key) || enabled(key);
    }

    private boolean enabled(String key) {
        Value v = values.get(key);
        if (v.text().trim().equalsIgnoreCase("detection-only")) {
            if (detectionOnlyWarned.add(key)) {
                warnings.add(v.origin() + ": " + key + ": detection-only is read as no (judo detects a protocol only "
                        + "to parse it)");
            }
            return false;
        }
        return bool(v, key);
    }

    private final java.util.Set<String> detectionOnlyWarned = new java.util.HashSet<>();

    /**
     * The HTTP parser's settings with libhtp's default-config limits this file sets ({@code request-body-limit},
     * {@code response-body-limit}: sizes, 0 for unlimited; {@code response-body-decompress-layer-limit};
     * {@code compression-bomb-limit}; {@code max-tx}), or null when it sets none.
     */
    io.judo.applayer.http.HttpConfig httpConfig() {
        io.judo.applayer.http.HttpConfig c = io.judo.applayer.http.HttpConfig.defaults();
        boolean any = false;
        Value v = values.get(HTP + "request-body-limit");
        if (v != null) {
            c = c.withRequestBodyLimit(bodyLimit(v, HTP + "request-body-limit"));
            any = true;
        }
        v = values.get(HTP + "response-body-limit");
        if (v != null) {
            c = c.withResponseBodyLimit(bodyLimit(v, HTP + "response-body-limit"));
            any = true;
        }
        v = values.get(HTP + "response-body-decompress-layer-limit");
        if (v != null) {
            c = c.withDecompression((int) count(v, HTP + "response-body-decompress-layer-limit"), c.bombLimit(),
                    c.bombRatio(), c.decompressedLimit());
            any = true;
        }
        v = values.get(HTP + "compression-bomb-limit");
        if (v != null) {
            c = c.withDecompression(c.decompressionLayers(), size(v, HTP + "compression-bomb-limit"), c.bombRatio(),
                    c.decompressedLimit());
            any = true;
        }
        v = values.get(HTP + "max-tx");
        if (v != null) {
            c = c.withTransactions((int) Math.max(1, count(v, HTP + "max-tx")), c.transactionPool());
            any = true;
        }
        return any ? c : null;
    }

    /** A body limit: a size, 0 meaning unlimited (as libhtp reads it). */
    private static int bodyLimit(Value v, String key) {
        long n = size(v, key);
        return n == 0 || n > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) n;
    }

    /** A plain count. */
    private static long count(Value v, String key) {
        try {
            long n = Long.parseLong(v.text().trim());
            if (n >= 0) {
                return n;
            }
        } catch (NumberFormatException e) {
            // said below
        }
        throw new UserError(v.origin() + ": " + key + ": expected a number, got '" + v.text() + "'");
    }

    /**
     * Where compiled prefilter databases are kept, from {@code detect.sgh-mpm-caching} and
     * {@code detect.sgh-mpm-caching-path} (Suricata 8's MPM cache): {@code fallback} when neither is set or only the
     * switch is, on; null when the switch is off; the path (relative to this file's directory) when given.
     */
    Path mpmCache(Path fallback) {
        Value on = values.get("detect.sgh-mpm-caching");
        if (on != null && !bool(on, "detect.sgh-mpm-caching")) {
            return null;
        }
        Value dir = values.get("detect.sgh-mpm-caching-path");
        if (dir == null || dir.text().isBlank()) {
            return fallback;
        }
        Path p = Path.of(dir.text().trim());
        return p.isAbsolute() || file == null ? p.toAbsolutePath() : path(dir.text());
    }

    /** {@code defrag.memcap} in bytes, or -1 when not set. */
    long defragMemcap() {
        Value v = values.get("defrag.memcap");
        if (v == null) {
            return -1;
        }
        long n = size(v, "defrag.memcap");
        if (n == 0) {
            throw new UserError(v.origin() + ": defrag.memcap: expected a size above 0, got '" + v.text() + "'");
        }
        return n;
    }

    /** {@code defrag.timeout} in nanoseconds (suricata.yaml gives seconds), or -1 when not set. */
    long defragTimeoutNanos() {
        Value v = values.get("defrag.timeout");
        if (v == null) {
            return -1;
        }
        long seconds = count(v, "defrag.timeout");
        if (seconds == 0 || seconds > Long.MAX_VALUE / 1_000_000_000L) {
            throw new UserError(v.origin() + ": defrag.timeout: expected seconds above 0, got '" + v.text() + "'");
        }
        return seconds * 1_000_000_000L;
    }

    /** {@code stream.midstream}, or null when not set. */
    Boolean midstream() {
        Value v = values.get("stream.midstream");
        return v == null ? null : bool(v, "stream.midstream");
    }

    /**
     * {@code stream.midstream-policy} (else the {@code exception-policy} master switch, whose packet actions fall to
     * flow actions; else auto), checked against Suricata's exception-policy table for {@code midstream} pickup on or
     * off and IDS or IPS mode.
     *
     * @throws UserError for a value Suricata refuses to start with, naming the key and its line
     */
    io.judo.engine.detect.ExceptionPolicy midstreamPolicy(boolean midstream, boolean ips) {
        boolean specific = values.containsKey("stream.midstream-policy");
        String key = specific ? "stream.midstream-policy" : "exception-policy";
        io.judo.engine.detect.ExceptionPolicy p = exceptionPolicy(key);
        p = specific ? p : p.forFlows();
        if (!p.validForMidstream(midstream, ips)) {
            throw new UserError(values.get(key).origin() + ": " + key + ": " + p.text() + " is not valid for sessions "
                    + "picked up mid-stream with stream.midstream " + midstream
                    + (ips ? " in IPS mode" : " in IDS mode")
                    + " (Suricata refuses to start)");
        }
        return p;
    }

    /**
     * {@code stream.reassembly.memcap-policy} (else the {@code exception-policy} master switch; else auto, which is
     * drop-flow in IPS mode and ignore in IDS mode), resolved.
     *
     * @throws UserError for a value not among Suricata's, naming the key and its line
     */
    io.judo.engine.detect.ExceptionPolicy reassemblyMemcapPolicy(boolean ips) {
        return exceptionPolicy(values.containsKey("stream.reassembly.memcap-policy")
                ? "stream.reassembly.memcap-policy" : "exception-policy").resolved(ips);
    }

    /** The exception policy {@code key} names, auto when it is not set. */
    private io.judo.engine.detect.ExceptionPolicy exceptionPolicy(String key) {
        Value v = values.get(key);
        try {
            return v == null ? io.judo.engine.detect.ExceptionPolicy.AUTO
                    : io.judo.engine.detect.ExceptionPolicy.named(v.text());
        } catch (IllegalArgumentException e) {
            throw new UserError(v.origin() + ": " + key + ": " + e.getMessage());
        }
    }

    /** The per-network policies of {@code host-os-policy}, or null when the file has none. */
    HostPolicies hostPolicies(OverlapPolicy fallback) {
        if (hostPolicies.isEmpty()) {
            return null;
        }
        List<String> entries = new ArrayList<>();
        hostPolicies.forEach((policy, nets) -> nets.forEach(n -> entries.add(n + "=" + policy)));
        try {
            return HostPolicies.parse(entries, fallback);
        } catch (IllegalArgumentException e) {
            throw new UserError(file + ": host-os-policy: " + e.getMessage());
        }
    }

    /** Whether {@code outputs.eve-log.enabled} is on; false when the file has no eve-log. */
    boolean eveEnabled() {
        Value v = values.get("outputs.eve-log.enabled");
        return v != null && bool(v, "outputs.eve-log.enabled");
    }

    /** {@code outputs.eve-log.filename} (Suricata's default eve.json). */
    String eveFilename() {
        Value v = values.get("outputs.eve-log.filename");
        return v == null ? "eve.json" : v.text();
    }

    /** The eve-log types Judo writes, or null when the file does not list them. */
    List<String> eveTypes() {
        return eveTypes;
    }

    private static boolean bool(Value v, String key) {
        switch (v.text().trim().toLowerCase(Locale.ROOT)) {
            case "yes": case "true": case "on": case "1": case "enabled":
                return true;
            case "no": case "false": case "off": case "0": case "disabled":
                return false;
            default:
                throw new UserError(v.origin() + ": " + key + ": expected yes or no, got '" + v.text() + "'");
        }
    }

    /** A Suricata size: a number with an optional kb, mb or gb (powers of 1024, any case, a space allowed). */
    static long size(Value v, String key) {
        String t = v.text().trim().toLowerCase(Locale.ROOT).replace(" ", "");
        long mult = 1;
        for (String[] u : new String[][] {{"kib", "1024"}, {"mib", "1048576"}, {"gib", "1073741824"},
            {"kb", "1024"}, {"mb", "1048576"}, {"gb", "1073741824"}, {"k", "1024"}, {"m", "1048576"},
            {"g", "1073741824"}, {"b", "1"}}) {
            if (t.endsWith(u[0])) {
                mult = Long.parseLong(u[1]);
                t = t.substring(0, t.length() - u[0].length());
                break;
            }
        }
        try {
            long n = Long.parseLong(t);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return Math.multiplyExact(n, mult);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new UserError(v.origin() + ": " + key + ": expected a size such as 1mb, got '" + v.text() + "'");
        }
    }
}
