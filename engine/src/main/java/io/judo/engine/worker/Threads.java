package io.judo.engine.worker;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Runs one task per item on threads of its own, and joins them: the sibling shards of a sharded scan
 * ({@link io.judo.engine.CaptureScanner#shard}), the stream and filter workers, the inline bridge's workers. The
 * first failure of any task is kept, the others are told to stop when the caller gave an {@code onFailure} hook (they
 * are not interrupted), and the failure is rethrown as it was thrown once every thread has ended.
 *
 * @param <X> the checked exception the tasks may throw ({@link RuntimeException} when they throw none)
 */
public final class Threads<X extends Exception> {
    /** One item's work; it may throw {@code X}. */
    @FunctionalInterface
    public interface Task<T, X extends Exception> {
        /** Does the work for {@code item}. */
        void run(T item) throws X;
    }

    private final List<Thread> threads = new ArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();

    /**
     * Starts {@code task} on each of {@code items}, thread {@code name-1}, {@code name-2}, ... (the callers' first
     * item is worker 1: worker 0 runs on the calling thread).
     */
    public <T> Threads(List<T> items, String name, Task<T, X> task) {
        this(items, name, 1, task, () -> { });
    }

    /**
     * Starts {@code task} on each of {@code items}, threads {@code name-first}, {@code name-(first+1)}, ... (numbered as
     * the workers they run); the first task to fail calls {@code onFailure} on its own thread (to stop the others:
     * they are not interrupted).
     */
    public <T> Threads(List<T> items, String name, int first, Task<T, X> task, Runnable onFailure) {
        int i = first;
        for (T item : items) {
            Thread t = new Thread(() -> {
                try {
                    task.run(item);
                } catch (Throwable e) { // an Error too: a worker that died must not look like one that finished
                    if (failure.compareAndSet(null, e)) {
                        onFailure.run();
                    }
                }
            }, name + "-" + i++);
            t.setDaemon(true);
            threads.add(t);
        }
        threads.forEach(Thread::start);
    }

    /**
     * Waits for every thread (an interrupt, a stop request, does not cut the wait: the tasks stop on their own and
     * their work must be complete before anyone reads it), then rethrows the first task's failure as it was thrown.
     */
    @SuppressWarnings("unchecked") // a task throws only X or unchecked throwables
    public void join() throws X {
        joinAll(threads);
        Throwable e = failure.get();
        if (e instanceof RuntimeException r) {
            throw r;
        }
        if (e instanceof Error r) {
            throw r;
        }
        if (e != null) {
            throw (X) e;
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
