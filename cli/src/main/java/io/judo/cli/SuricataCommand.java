package io.judo.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/**
 * {@code judo suricata ARGS...}: Suricata's offline command line, unchanged, so that scripts written for
 * {@code suricata -r capture.pcap -c suricata.yaml -S local.rules -l logs/} run as they are. The arguments are read
 * as Suricata reads them and run as the {@code judo scan} they mean (so the alerts are {@code judo scan}'s); an
 * option Judo does not know is one clear line.
 */
@Command(name = "suricata", description = {"Run with Suricata's offline command line: -r FILE|DIR, -c YAML, "
        + "-S FILE (only these rules), -s FILE (these rules too), -k none|all, -l DIR (eve.json written there), "
        + "--set KEY=VALUE, --simulate-ips; --runmode and -v are accepted. Runs as judo scan."},
        footer = {"", "Example:", "  judo suricata -r trace.pcap -c suricata.yaml -S local.rules -l out/"})
public final class SuricataCommand implements Callable<Integer> {
    @picocli.CommandLine.Unmatched
    List<String> args = new ArrayList<>();

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (args.contains("-h") || args.contains("--help")) {
            spec.commandLine().usage(out);
            return 0;
        }
        return Judo.execute(scanArguments(args, err).toArray(String[]::new), out, err);
    }

    /**
     * The {@code judo scan} arguments Suricata's {@code args} mean.
     *
     * @throws UserError for an unknown option, a missing value, or no {@code -r}
     */
    static List<String> scanArguments(List<String> args, PrintWriter err) {
        List<String> captures = new ArrayList<>();
        List<String> exclusive = new ArrayList<>();
        List<String> extra = new ArrayList<>();
        List<String> sets = new ArrayList<>();
        String config = null;
        String checksums = null;
        String logDir = null;
        boolean ips = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            String inline = null;
            if (a.startsWith("--") && a.contains("=")) {
                inline = a.substring(a.indexOf('=') + 1);
                a = a.substring(0, a.indexOf('='));
            }
            String v = inline;
            if (v == null && VALUED.contains(a)) {
                v = value(args, a, i);
                i++;
            }
            switch (a) {
                case "-r":
                case "--pcap-file":
                    captures.add(v);
                    break;
                case "-c":
                    config = v;
                    break;
                case "-S":
                    exclusive.add(v);
                    break;
                case "-s":
                    extra.add(v);
                    break;
                case "-k":
                    if (!v.equals("none") && !v.equals("all")) {
                        throw new UserError("suricata -k: none or all, got '" + v + "'");
                    }
                    checksums = v.equals("none") ? "off" : "on";
                    break;
                case "-l":
                    logDir = v;
                    break;
                case "--set":
                    sets.add(v);
                    break;
                case "--runmode":
                    break; // judo's workers shard flows as Suricata's workers runmode does
                case "-v": case "-vv": case "-vvv": case "-vvvv":
                    break;
                case "--simulate-ips":
                    ips = true;
                    break;
                default:
                    if (a.startsWith("-")) {
                        throw new UserError("suricata: option " + a + " is not one judo reads (it reads -r, -c, -S, "
                                + "-s, -k, -l, --set, --runmode, -v, --simulate-ips)");
                    }
                    throw new UserError("suricata: unexpected argument '" + a + "' (captures are given with -r)");
            }
        }
        if (captures.isEmpty()) {
            throw new UserError("suricata: no capture: give -r FILE or -r DIR");
        }
        List<String> scan = new ArrayList<>(List.of("scan"));
        if (config != null) {
            scan.add("-c");
            scan.add(config);
        }
        for (String s : sets) {
            scan.add("--set");
            scan.add(s);
        }
        // -S: these rules only; -s: these besides the configuration's rule-files (which --rules would replace).
        List<String> rules = new ArrayList<>(exclusive);
        if (exclusive.isEmpty() && !extra.isEmpty()) {
            if (config != null) {
                SuricataConfig yaml = SuricataConfig.read(Path.of(config));
                sets.forEach(s -> {
                    int eq = s.indexOf('=');
                    if (eq > 0) {
                        yaml.set(s.substring(0, eq).trim(), s.substring(eq + 1).trim());
                    }
                });
                yaml.ruleFiles().forEach(p -> rules.add(p.toString()));
            }
            rules.addAll(extra);
        }
        if (!rules.isEmpty()) {
            scan.add("--rules");
            scan.addAll(rules);
        }
        if (ips) {
            scan.add("--simulate-ips");
        }
        if (checksums != null) {
            scan.add("--checksum-validation");
            scan.add(checksums);
        }
        if (logDir != null) {
            Path dir = Path.of(logDir);
            if (!Files.isDirectory(dir)) {
                throw new UserError("suricata -l " + logDir + ": no such directory (Suricata does not create it "
                        + "either)");
            }
            String name = "eve.json";
            if (config != null) {
                SuricataConfig yaml = SuricataConfig.read(Path.of(config));
                if (!yaml.eveEnabled() && yaml.eveTypes() == null) {
                    name = null; // the configuration has no eve-log
                } else {
                    name = yaml.eveFilename();
                }
            }
            if (name != null) {
                scan.add("--eve");
                scan.add(dir.resolve(name).toString());
            }
        }
        scan.add("--");
        for (String c : captures) {
            scan.addAll(expand(c));
        }
        return scan;
    }

    /** The options that take a value. */
    private static final java.util.Set<String> VALUED = java.util.Set.of("-r", "--pcap-file", "-c", "-S", "-s", "-k",
            "-l", "--set", "--runmode");

    private static String value(List<String> args, String option, int i) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("-") && args.get(i + 1).length() > 1) {
            throw new UserError("suricata " + option + " needs a value");
        }
        return args.get(i + 1);
    }

    /** A capture, or every file in a directory, oldest first as Suricata's pcap-file mode reads them. */
    private static List<String> expand(String capture) {
        Path p = Path.of(capture);
        if (!Files.isDirectory(p)) {
            return List.of(capture);
        }
        try (java.util.stream.Stream<Path> s = Files.list(p)) {
            List<Path> files = s.filter(Files::isRegularFile).sorted(Comparator.comparing((Path f) -> {
                try {
                    return Files.getLastModifiedTime(f).toMillis();
                } catch (IOException e) {
                    return 0L;
                }
            }).thenComparing(Path::toString)).toList();
            if (files.isEmpty()) {
                throw new UserError("suricata -r " + capture + ": an empty directory");
            }
            return files.stream().map(Path::toString).toList();
        } catch (IOException e) {
            throw new UserError("suricata -r " + capture + ": " + RuleOptions.describe(e));
        }
    }
}
