package dev.mhanotebook.api;

import dev.mhanotebook.engine.ComputeCancelledException;
import dev.mhanotebook.engine.ComputeControl;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Bounds the ND4J work of the whole server: at most {@code concurrency} computations at once
 * (ND4J already uses every core for one operation), at most {@code queue} waiting for a turn, for
 * at most {@code queue-wait}. Past that the caller is told the server is busy (429 with
 * Retry-After). A computation is stopped at the next checkpoint past its time limit.
 */
@ApplicationScoped
public class ComputeGate {

    @ConfigMapping(prefix = "mha.compute")
    public interface Config {
        /** Computations at once; 0 means the number of cores. */
        @WithDefault("0")
        int concurrency();

        @WithDefault("64")
        int queue();

        @WithDefault("5s")
        Duration queueWait();

        @WithDefault("10s")
        Duration timeLimit();

        /**
         * OpenMP and BLAS threads of one native operation. 1 by default: with several requests
         * on few cores, ND4J's spinning OpenMP threads make a tutorial-size computation 50–100
         * times slower (measured, docs/benchmarks.md); parallelism comes from concurrent requests.
         */
        @WithDefault("1")
        int nativeThreads();
    }

    /** The server has no room for this computation now. */
    public static class BusyException extends RuntimeException {
        private final int retryAfterSeconds;

        BusyException(String message, int retryAfterSeconds) {
            super(message);
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public int retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }

    private final Semaphore running;
    private final AtomicInteger waiting = new AtomicInteger();
    private final Config config;

    public ComputeGate(Config config) {
        this.config = config;
        int permits = config.concurrency() > 0 ? config.concurrency()
                : Runtime.getRuntime().availableProcessors();
        this.running = new Semaphore(permits, true);
    }

    /** Runs {@code work} when there is room, with a control that enforces the time limit. */
    public <T> T run(Function<ComputeControl, T> work) {
        if (waiting.incrementAndGet() > config.queue()) {
            waiting.decrementAndGet();
            throw new BusyException("the server is busy: " + config.queue()
                    + " computations are already waiting; try again in a moment", 1);
        }
        boolean acquired;
        try {
            acquired = running.tryAcquire(config.queueWait().toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException("the server is shutting down", 5);
        } finally {
            waiting.decrementAndGet();
        }
        if (!acquired) {
            throw new BusyException("the server is busy: no computation slot came free within "
                    + config.queueWait().toSeconds() + " s; try again in a moment", 2);
        }
        try {
            long deadline = System.nanoTime() + config.timeLimit().toNanos();
            return work.apply(fraction -> {
                if (System.nanoTime() > deadline) {
                    throw new ComputeCancelledException(String.format(Locale.ROOT,
                            "the computation passed the time limit of %.1f s and was stopped; "
                                    + "try smaller sizes", config.timeLimit().toMillis() / 1000.0));
                }
            });
        } finally {
            running.release();
        }
    }

    /** The configured OpenMP/BLAS threads per native operation. */
    public int nativeThreads() {
        return config.nativeThreads();
    }

    public int waiting() {
        return waiting.get();
    }

    public int available() {
        return running.availablePermits();
    }
}
