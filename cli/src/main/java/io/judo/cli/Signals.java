package io.judo.cli;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * Signal handlers beyond the JVM's own (SIGINT and SIGTERM run shutdown hooks).
 *
 * <p>The JDK's only signal API is {@code sun.misc.Signal} (module jdk.unsupported, exported to everyone). It is
 * reached by reflection so that the build stays free of javac's "internal proprietary API" warnings, which no
 * annotation can silence; where it is missing or refuses a signal, judo simply keeps the JVM's default handling.
 */
final class Signals {
    private Signals() {
    }

    /** A signal as the handler sees it. */
    record Caught(String name, int number) {
    }

    /**
     * Runs {@code action} on each SIGUSR1 (as Suricata and many daemons dump statistics). Where the JVM does not let
     * judo have the signal, nothing happens: statistics still print at exit.
     */
    static void onUsr1(Runnable action) {
        handle("USR1", s -> action.run()); // false: the JVM uses SIGUSR1 itself here (some -Xrs / debugging setups)
    }

    /**
     * True when judo runs as its own process ({@link Judo#main}); commands run in-process (tests, embedding) leave
     * the host's signal handling alone.
     */
    static volatile boolean processWide;

    /**
     * Runs {@code stop} on the first SIGINT or SIGTERM, so a long-running command ends its loop, prints its summary
     * and exits 0; a second signal ends the process at once. Returns false where the JVM keeps the signals (then a
     * shutdown hook is the caller's fallback).
     */
    static boolean onStop(Runnable stop) {
        return onStop(signal -> stop.run());
    }

    /** As {@link #onStop(Runnable)}, telling {@code stop} the signal's name ("SIGINT", "SIGTERM"). */
    static boolean onStop(Consumer<String> stop) {
        AtomicBoolean asked = new AtomicBoolean();
        Consumer<Caught> handler = s -> {
            if (asked.getAndSet(true)) {
                Runtime.getRuntime().halt(128 + s.number());
            }
            stop.accept("SIG" + s.name());
        };
        return handle("TERM", handler) && handle("INT", handler);
    }

    /** Installs {@code handler} for the signal named (without "SIG"); false where the JVM does not allow it. */
    private static boolean handle(String name, Consumer<Caught> handler) {
        try {
            Class<?> signalClass = Class.forName("sun.misc.Signal");
            Class<?> handlerClass = Class.forName("sun.misc.SignalHandler");
            Method getName = signalClass.getMethod("getName");
            Method getNumber = signalClass.getMethod("getNumber");
            Object proxy = Proxy.newProxyInstance(Signals.class.getClassLoader(), new Class<?>[] {handlerClass},
                    (self, method, args) -> {
                        if (method.getName().equals("handle") && args != null && args.length == 1) {
                            handler.accept(new Caught((String) getName.invoke(args[0]),
                                    (Integer) getNumber.invoke(args[0])));
                            return null;
                        }
                        return switch (method.getName()) { // Object's methods on the proxy
                            case "hashCode" -> System.identityHashCode(self);
                            case "equals" -> self == args[0];
                            default -> "signal handler for SIG" + name;
                        };
                    });
            Object signal = signalClass.getConstructor(String.class).newInstance(name);
            signalClass.getMethod("handle", signalClass, handlerClass).invoke(null, signal, proxy);
            return true;
        } catch (InvocationTargetException e) {
            // IllegalArgumentException / UnsupportedOperationException: the JVM keeps this signal
            return false;
        } catch (ReflectiveOperationException | LinkageError e) {
            return false; // no sun.misc.Signal on this JVM
        }
    }
}
