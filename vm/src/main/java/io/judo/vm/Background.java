package io.judo.vm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Supplier;

/**
 * Compile-time work started on a thread of its own, so that independent pieces of a large rule set's start-up (the
 * hook programs, their JIT classes, the prefilter databases) use every core instead of one. Each task gets a daemon
 * thread (a few per run, each seconds long: no pool to size or shut down). On a one-core machine the work runs at
 * once on the caller's thread, where a second thread would only add switching. Not for the packet path.
 */
public final class Background {
    private static final boolean PARALLEL = Runtime.getRuntime().availableProcessors() > 1;

    private Background() {
    }

    /** Starts {@code work} on a daemon thread named {@code name} (or runs it now, on one core). */
    public static <T> CompletableFuture<T> start(String name, Supplier<T> work) {
        if (!PARALLEL) {
            try {
                return CompletableFuture.completedFuture(work.get());
            } catch (RuntimeException | Error e) {
                return CompletableFuture.failedFuture(e);
            }
        }
        return CompletableFuture.supplyAsync(work, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            t.start();
        });
    }

    /**
     * The task's result, once it is done; its unchecked exception or error is rethrown as it was thrown (not wrapped),
     * so that callers catch what the work itself throws.
     */
    public static <T> T join(CompletableFuture<T> task) {
        try {
            return task.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            if (e.getCause() instanceof Error err) {
                throw err;
            }
            throw e;
        }
    }
}
