package io.judo.engine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ThreadsTest {
    @Test
    void runsEveryItemAndJoinsAfterAllEnded() {
        AtomicInteger sum = new AtomicInteger();
        new Threads<RuntimeException>(List.of(1, 2, 3, 4), "t", sum::addAndGet).join();
        assertEquals(10, sum.get());
    }

    @Test
    void aCheckedFailureIsRethrownAsItWasAndStopsTheOthers() {
        IOException broken = new IOException("socket gone");
        CountDownLatch stop = new CountDownLatch(1);
        AtomicInteger stopped = new AtomicInteger();
        Threads<IOException> threads = new Threads<>(List.of(0, 1, 2), "t", 0, i -> {
            if (i == 0) {
                throw broken;
            }
            // the others run until told to stop: without the hook they would wait the whole ten seconds
            try {
                if (stop.await(10, TimeUnit.SECONDS)) {
                    stopped.incrementAndGet();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, stop::countDown);
        IOException e = assertThrows(IOException.class, threads::join);
        assertSame(broken, e);
        assertEquals(2, stopped.get(), "join returned only after the stopped tasks ended");
    }

    @Test
    void anErrorIsKeptNotLost() {
        Threads<RuntimeException> threads = new Threads<>(List.of(0, 1), "t", i -> {
            if (i == 1) {
                throw new StackOverflowError("deep");
            }
        });
        StackOverflowError e = assertThrows(StackOverflowError.class, threads::join);
        assertTrue(e.getMessage().contains("deep"));
    }

    @Test
    void onlyTheFirstFailureCallsTheHook() {
        AtomicInteger hooks = new AtomicInteger();
        CountDownLatch bothFailing = new CountDownLatch(2);
        Threads<RuntimeException> threads = new Threads<>(List.of(0, 1), "t", 0, i -> {
            bothFailing.countDown();
            try {
                bothFailing.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("worker " + i);
        }, hooks::incrementAndGet);
        assertThrows(IllegalStateException.class, threads::join);
        assertEquals(1, hooks.get());
    }
}
