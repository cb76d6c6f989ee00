package io.judo.vm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class BackgroundTest {
    @Test
    void givesTheResultAndRunsOnAThreadOfItsOwnNamedAsAsked() {
        CompletableFuture<String> t = Background.start("judo-test-task", () -> Thread.currentThread().getName());
        String name = Background.join(t);
        if (Runtime.getRuntime().availableProcessors() > 1) {
            assertEquals("judo-test-task", name);
        } else {
            assertEquals(Thread.currentThread().getName(), name); // one core: run at once, here
        }
    }

    @Test
    void rethrowsTheTasksOwnExceptionAndErrorUnwrapped() {
        IllegalStateException thrown = new IllegalStateException("bad program");
        CompletableFuture<Object> failing = Background.start("judo-test-fail", () -> {
            throw thrown;
        });
        assertSame(thrown, assertThrows(IllegalStateException.class, () -> Background.join(failing)));
        StackOverflowError error = new StackOverflowError();
        CompletableFuture<Object> erring = Background.start("judo-test-error", () -> {
            throw error;
        });
        assertSame(error, assertThrows(StackOverflowError.class, () -> Background.join(erring)));
    }
}
