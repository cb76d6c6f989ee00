package io.judo.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every option that takes a number or one of a fixed set of words, in every subcommand, found from picocli's model
 * (so an option added later is covered without editing this test): a bad value gives one line naming the option,
 * exit status 2, no stack trace.
 */
class OptionValuesTest {
    @TempDir
    Path dir;

    private static final Set<Class<?>> NUMBERS = Set.of(int.class, Integer.class, long.class, Long.class,
            double.class, Double.class, short.class, Short.class, float.class, Float.class);

    /** Valid arguments for each command, so that only the option under test can be wrong. */
    private Map<String, List<String>> validArguments() throws Exception {
        Path capture = dir.resolve("demo.pcap");
        Files.write(capture, DemoCapture.bundled());
        Path rules = dir.resolve("empty.rules");
        Files.writeString(rules, "");
        Path policy = dir.resolve("empty.conf");
        Files.writeString(policy, "pass all\n");
        Path journal = dir.resolve("journal");
        assertEquals(0, Run.judo("scan", "--journal", journal.toString()).status());
        String j = journal.toString();
        return Map.ofEntries(
                Map.entry("judo scan", List.of(capture.toString())),
                Map.entry("judo inline", List.of("--rules", rules.toString(), "judo-none0", "judo-none1")),
                Map.entry("judo rules check", List.of(rules.toString())),
                Map.entry("judo rules show", List.of(policy.toString())),
                Map.entry("judo compile", List.of("--rules", rules.toString())),
                Map.entry("judo journal stats", List.of(j)),
                Map.entry("judo journal query", List.of(j)),
                Map.entry("judo journal tail", List.of(j)),
                Map.entry("judo journal report", List.of("--html", dir.resolve("r.html").toString(), j)),
                Map.entry("judo filter", List.of("tcp", capture.toString())),
                Map.entry("judo grep", List.of("-e", "GET", capture.toString())),
                Map.entry("judo streams", List.of("--out", dir.resolve("streams").toString(), capture.toString())),
                Map.entry("judo http", List.of(capture.toString())),
                Map.entry("judo generate", List.of("--out", dir.resolve("g.pcap").toString(), "--packets", "10")));
    }

    private record Case(String command, String option, String value) {
    }

    private static void collect(CommandLine c, List<Case> cases, List<String> commands) {
        CommandSpec spec = c.getCommandSpec();
        for (OptionSpec o : spec.options()) {
            if (o.usageHelp() || o.versionHelp() || o.arity().max() == 0) {
                continue;
            }
            Class<?> type = o.typeInfo().isMultiValue() ? o.typeInfo().getAuxiliaryTypes()[0] : o.type();
            if (type.isEnum() || o.completionCandidates() != null) {
                cases.add(new Case(spec.qualifiedName(), o.longestName(), "bogus"));
            } else if (NUMBERS.contains(type)) {
                cases.add(new Case(spec.qualifiedName(), o.longestName(), "abc"));
                if (type != double.class && type != Double.class && type != float.class && type != Float.class) {
                    cases.add(new Case(spec.qualifiedName(), o.longestName(), "99999999999999999999"));
                }
                if (!(o.userObject() instanceof java.lang.reflect.Field f
                        && f.isAnnotationPresent(OptionChecks.Signed.class))) {
                    cases.add(new Case(spec.qualifiedName(), o.longestName(), "-1"));
                }
            }
        }
        if (c.getSubcommands().isEmpty() || spec.userObject() instanceof Runnable
                || spec.userObject() instanceof java.util.concurrent.Callable) {
            commands.add(spec.qualifiedName());
        }
        for (CommandLine sub : c.getSubcommands().values()) {
            collect(sub, cases, commands);
        }
    }

    @Test
    void everyBadEnumOrNumberValueIsOneLineAndExitTwo() throws Exception {
        List<Case> cases = new ArrayList<>();
        List<String> commands = new ArrayList<>();
        collect(Judo.commandLine(new String[0]), cases, commands);
        Map<String, List<String>> valid = validArguments();
        // Enough of them found that the discovery itself is working (scan alone has --policy, --engine, --mtu...).
        assertTrue(cases.size() > 30, cases.toString());
        List<String> failures = new ArrayList<>();
        for (Case k : cases) {
            List<String> base = valid.get(k.command());
            assertTrue(base != null, k.command() + " has enum or number options: give it valid arguments here");
            List<String> args = new ArrayList<>(List.of(k.command().split(" ")).subList(1,
                    k.command().split(" ").length));
            args.add(k.option() + "=" + k.value());
            args.addAll(base);
            Run r = Run.judo(args.toArray(String[]::new));
            String err = r.err().strip();
            List<String> lines = err.lines().toList();
            boolean ok = r.status() == Judo.EXIT_BAD_INPUT && lines.size() == 1 && lines.get(0).startsWith("judo: ")
                    && lines.get(0).contains(k.option()) && err.lines().noneMatch(l -> l.strip().startsWith("at "))
                    && !err.contains("internal error");
            if (!ok) {
                failures.add(String.join(" ", args) + "\n  -> exit " + r.status() + ", stderr: " + err);
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " of " + cases.size() + " bad values not reported as one "
                + "line with exit 2:\n" + String.join("\n", failures));
    }

    /** The usage errors picocli itself reports keep the same one-line form (no trace). */
    @Test
    void aFixedSetOfWordsIsNamedInTheMessage() {
        Run r = Run.judo("scan", "--policy", "bogus");
        assertEquals(Judo.EXIT_BAD_INPUT, r.status(), r.err());
        String first = r.err().lines().findFirst().orElse("");
        assertTrue(first.contains("--policy") && first.contains("'bogus'") && first.contains("first")
                && first.contains("bsd-right"), r.err());
        assertFalse(r.out().contains("packets"), "nothing scanned: " + r.out());
    }
}
