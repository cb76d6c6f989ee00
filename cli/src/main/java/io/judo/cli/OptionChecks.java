package io.judo.cli;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.lang.reflect.AnnotatedElement;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * Checks the option values picocli's types do not: a word from a fixed set ({@link Choices}) and a number that must
 * not be negative. Runs after parsing, before any command starts, so a bad value is a usage error (one line, exit 2)
 * and nothing has been read or written yet. Ranges particular to one option (e.g. {@code --mtu}) stay in its command.
 */
final class OptionChecks {
    private OptionChecks() {
    }

    /** Marks a number option whose negative values mean something (a seed), exempt from the sign check. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.FIELD)
    @interface Signed {
    }

    /** @throws CommandLine.ParameterException for the first bad value, naming the option */
    static void check(ParseResult parsed) {
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.isUsageHelpRequested() || p.isVersionHelpRequested()) {
                return; // --help wins, as with picocli's own checks
            }
        }
        for (ParseResult p = parsed; p != null; p = p.subcommand()) {
            for (OptionSpec o : p.matchedOptions()) {
                check(p.commandSpec().commandLine(), o);
            }
        }
    }

    private static void check(CommandLine commandLine, OptionSpec o) {
        Iterable<String> words = o.completionCandidates();
        for (String value : o.originalStringValues()) {
            if (words != null) {
                List<String> allowed = new ArrayList<>();
                words.forEach(allowed::add);
                if (!allowed.contains(value)) {
                    throw new CommandLine.ParameterException(commandLine, o.longestName() + ": '" + value
                            + "' is not one of " + String.join(", ", allowed));
                }
            }
        }
        Object v = o.getValue();
        if (v instanceof Number n && n.doubleValue() < 0 && !signed(o)) {
            throw new CommandLine.ParameterException(commandLine, o.longestName() + ": must not be negative, got "
                    + o.originalStringValues().get(o.originalStringValues().size() - 1));
        }
    }

    private static boolean signed(OptionSpec o) {
        return o.userObject() instanceof AnnotatedElement e && e.isAnnotationPresent(Signed.class);
    }
}
