package io.judo.engine.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Runs one task per item on threads of its own, and joins them: the sibling shards of a sharded scan
 * ({@link io.judo.engine.CaptureScanner#shard}), each reading the captures with its own scanner and partition.
 */
public final class Threads {
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<RuntimeException> failure = new AtomicReference<>();

    /** Starts {@code task} on each of {@code items}, thread {@code name-1}, {@code name-2}, ... */
    public <T> Threads(List<T> items, String name, Consumer<T> task) {
        int i = 1;
        for (T item : items) {
            Thread t = new Thread(() -> {
                try {
                    task.accept(item);
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                }
            }, name + "-" + i++);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Waits for every thread (an interrupt, a stop request, does not cut the wait: the tasks stop on their own and
     * their work must be complete before anyone reads it), then rethrows the first task's failure.
     */
    public void join() {
        joinAll(threads);
        if (failure.get() != null) {
            throw failure.get();
        }
    }

    /** Joins {@code threads}, keeping the interrupt status for after. */
    static void joinAll(List<Thread> threads) {
        boolean interrupted = false;
        for (Thread t : threads) {
            while (t.isAlive()) {
                try {
                    t.join();
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
