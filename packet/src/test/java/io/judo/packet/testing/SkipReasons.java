package io.judo.packet.testing;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.support.descriptor.MethodSource;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/**
 * Prints every skipped test (a failed assumption, such as a missing peer tool or namespaces that cannot be made, or
 * a disabled test) with its reason on the build's console, as TESTING.md promises.
 *
 * <p>Registered for every module that has this test jar on its class path (META-INF/services). Surefire redirects a
 * test's {@code System.out}/{@code System.err} into its report files and uses the forked JVM's standard output as its
 * own channel, so the line goes to the process's native standard error, which Surefire passes through to the console.
 */
public final class SkipReasons implements TestExecutionListener {
    private final PrintStream console;

    /** The listener Surefire's JUnit Platform loads: prints to the native standard error. */
    public SkipReasons() {
        this(new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8));
    }

    SkipReasons(PrintStream console) {
        this.console = console;
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        print(test, reason);
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (result.getStatus() == TestExecutionResult.Status.ABORTED) {
            print(test, result.getThrowable().map(Throwable::getMessage).orElse("aborted"));
        }
    }

    private void print(TestIdentifier test, String reason) {
        String why = reason == null ? "no reason given" : reason.replaceFirst("^Assumption failed: ", "");
        console.println("[SKIPPED] " + name(test) + ": " + why);
    }

    private static String name(TestIdentifier test) {
        Optional<MethodSource> method = test.getSource().filter(MethodSource.class::isInstance).map(MethodSource.class::cast);
        if (method.isPresent()) {
            String cls = method.get().getClassName();
            return cls.substring(cls.lastIndexOf('.') + 1) + "." + method.get().getMethodName();
        }
        return test.getDisplayName();
    }
}
