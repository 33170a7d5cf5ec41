package dev.mhanotebook.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.mhanotebook.engine.ComputeCancelledException;
import dev.mhanotebook.engine.NativeOps;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The gate refuses politely: 429 when full, 503 past the time limit or out of memory. */
class ComputeGateTest {

    record Config(int concurrency, int queue, Duration queueWait, Duration timeLimit)
            implements ComputeGate.Config {
        @Override
        public int nativeThreads() {
            return 1;
        }

        @Override
        public int modelConcurrency() {
            return 1;
        }
    }

    @Test
    void aLongModelComputationDoesNotHoldUpTutorialExperiments() throws Exception {
        ComputeGate gate = new ComputeGate(new Config(1, 4, Duration.ofSeconds(5),
                Duration.ofSeconds(10)), registry);
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        CompletionStage<String> model = gate.submit("model-attention", control -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "model";
        });
        // The model lane is busy; a tutorial experiment still runs at once in its own lane.
        String tutorial = gate.submit("vectorized", control -> "tutorial").toCompletableFuture()
                .get(2, java.util.concurrent.TimeUnit.SECONDS);
        org.junit.jupiter.api.Assertions.assertEquals("tutorial", tutorial);
        release.countDown();
        org.junit.jupiter.api.Assertions.assertEquals("model", model.toCompletableFuture().get());
    }

    /**
     * OpenMP keeps its thread count per calling thread: a pool thread that did not set it would
     * run softmax and erf in parallel regions that stall when the cores are oversubscribed.
     */
    @Test
    void everyComputeThreadLimitsOpenMpToTheNativeThreads() throws Exception {
        ComputeGate gate = new ComputeGate(new Config(2, 4, Duration.ofSeconds(5),
                Duration.ofSeconds(10)), registry);
        for (String kind : new String[] {"vectorized", "model-attention"}) {
            int threads = gate.submit(kind, control -> NativeOps.openMpThreads())
                    .toCompletableFuture().get();
            assertEquals(1, threads, kind);
        }
    }

    final SimpleMeterRegistry registry = new SimpleMeterRegistry();

    static Throwable failure(CompletionStage<?> stage) {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> stage.toCompletableFuture().get());
        return e.getCause();
    }

    @Test
    void outOfMemoryBecomesUnavailableNotAnError() {
        ComputeGate gate = new ComputeGate(new Config(1, 4, Duration.ofSeconds(5),
                Duration.ofSeconds(5)), registry);
        Throwable heap = failure(gate.submit("test", c -> {
            throw new OutOfMemoryError("Java heap space");
        }));
        assertInstanceOf(ComputeGate.OutOfMemoryException.class, heap);
        // JavaCPP's refusal past maxbytes, wrapped by ND4J.
        Throwable offHeap = failure(gate.submit("test", c -> {
            throw new RuntimeException("Failed to allocate",
                    new OutOfMemoryError("Cannot allocate 1073741824 + 0 bytes (> maxBytes)"));
        }));
        assertInstanceOf(ComputeGate.OutOfMemoryException.class, offHeap);
        assertEquals(2.0, registry.counter("mha.rejections", "status", "503", "reason", "memory")
                .count());
    }

    @Test
    void fullQueueIsRefusedAtOnce() throws Exception {
        ComputeGate gate = new ComputeGate(new Config(1, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(5)), registry);
        CountDownLatch release = new CountDownLatch(1);
        CompletionStage<Integer> running = runningUntil(gate, "test", release);
        CompletionStage<Integer> waiting = gate.submit("test", c -> 2);
        ComputeGate.BusyException busy = assertThrows(ComputeGate.BusyException.class,
                () -> gate.submit("test", c -> 3));
        assertEquals(1, busy.retryAfterSeconds());
        release.countDown();
        assertEquals(1, running.toCompletableFuture().get());
        assertEquals(2, waiting.toCompletableFuture().get());
    }

    @Test
    void aFullQueueIsSeenBeforeSubmittingAndOnlyInItsOwnLane() throws Exception {
        ComputeGate gate = new ComputeGate(new Config(1, 1, Duration.ofSeconds(5),
                Duration.ofSeconds(5)), registry);
        CountDownLatch release = new CountDownLatch(1);
        assertFalse(gate.queueFull("vectorized"));
        CompletionStage<Integer> running = runningUntil(gate, "vectorized", release);
        assertFalse(gate.queueFull("vectorized"), "one running, the queue of one still free");
        CompletionStage<Integer> waiting = gate.submit("tiled", c -> 2);
        assertTrue(gate.queueFull("vectorized"));
        assertTrue(gate.queueFull("loops"), "every tutorial implementation shares the lane");
        assertFalse(gate.queueFull("model-attention"), "the model's lane is its own");
        ComputeGate.BusyException busy = gate.refuseQueueFull();
        assertEquals(1, busy.retryAfterSeconds());
        assertEquals(1.0, registry.counter("mha.rejections", "status", "429", "reason",
                "queue-full").count());
        release.countDown();
        assertEquals(1, running.toCompletableFuture().get());
        assertEquals(2, waiting.toCompletableFuture().get());
        assertFalse(gate.queueFull("vectorized"));
    }

    @Test
    void waitingPastTheQueueWaitIsBusy() throws Exception {
        ComputeGate gate = new ComputeGate(new Config(1, 4, Duration.ofMillis(300),
                Duration.ofSeconds(5)), registry);
        CountDownLatch release = new CountDownLatch(1);
        runningUntil(gate, "test", release);
        CompletionStage<Integer> late = gate.submit("test", c -> 2);
        Thread.sleep(600);
        release.countDown();
        assertInstanceOf(ComputeGate.BusyException.class, failure(late));
    }

    @Test
    void checkpointPastTheTimeLimitStops() {
        ComputeGate gate = new ComputeGate(new Config(1, 4, Duration.ofSeconds(5),
                Duration.ofMillis(10)), registry);
        Throwable t = failure(gate.submit("test", c -> {
            sleep(50);
            c.checkpoint(0.5);
            return 1;
        }));
        assertInstanceOf(ComputeCancelledException.class, t);
    }

    @Test
    void badInputThrownInsideComesOutUnwrapped() {
        ComputeGate gate = new ComputeGate(new Config(1, 4, Duration.ofSeconds(5),
                Duration.ofSeconds(5)), registry);
        BadInputException e = assertThrows(BadInputException.class, () -> gate.run("test", c -> {
            throw new BadInputException("heads", "heads must be at least 1");
        }));
        assertEquals("heads", e.field());
    }

    /**
     * Submits a computation of {@code kind} that holds its slot until {@code release} opens, and
     * returns once it is running (on a busy machine its thread may start late).
     */
    private static CompletionStage<Integer> runningUntil(ComputeGate gate, String kind,
            CountDownLatch release) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CompletionStage<Integer> running = gate.submit(kind, c -> {
            started.countDown();
            await(release);
            return 1;
        });
        started.await();
        return running;
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
