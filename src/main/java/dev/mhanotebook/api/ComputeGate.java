package dev.mhanotebook.api;

import dev.mhanotebook.engine.ComputeCancelledException;
import dev.mhanotebook.engine.ComputeControl;
import dev.mhanotebook.engine.NativeOps;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * Bounds the ND4J work of the whole server. Computations run on a fixed pool of
 * {@code concurrency} platform threads (ND4J already spreads one operation over every core, and
 * keeps per-thread state, so few long-lived threads are best); at most {@code queue} wait for a
 * turn, for at most {@code queue-wait}. Past either bound the caller is told the server is busy
 * (429 with Retry-After). A computation is stopped at the next checkpoint past its time limit, and
 * one whose memory runs out is refused with 503 and Retry-After: never a 500.
 *
 * <p>Callers on Quarkus's worker threads hand their work over with {@link #submit} and return the
 * stage, so a worker thread is held only while the body is read and checked, never while a
 * computation waits or runs: hundreds of waiting students do not become hundreds of threads.
 */
@ApplicationScoped
public class ComputeGate {

    @ConfigMapping(prefix = "mha.compute")
    public interface Config {
        /** Computations at once; 0 means the number of cores. */
        @WithDefault("0")
        int concurrency();

        /** Computations that may wait for a turn; more are refused at once with 429. */
        @WithDefault("64")
        int queue();

        /** How long a computation may wait for a turn before it is refused with 429. */
        @WithDefault("5s")
        Duration queueWait();

        /** How long one computation may run before it is stopped with 503. */
        @WithDefault("10s")
        Duration timeLimit();

        /**
         * OpenMP and BLAS threads of one native operation. 1 by default: with several requests
         * on few cores, ND4J's spinning OpenMP threads make a tutorial-size computation 50–100
         * times slower (measured, docs/benchmarks.md); parallelism comes from concurrent requests.
         */
        @WithDefault("1")
        int nativeThreads();

        /**
         * Computations of the pretrained model ({@code model-…} kinds) at once, in a lane of their
         * own: a model pass takes tens to hundreds of milliseconds, and in one shared queue it
         * held both slots while tutorial-size experiments (a millisecond each) waited behind it.
         */
        @WithDefault("1")
        int modelConcurrency();
    }

    /** The server has no room for this computation now: 429 with Retry-After. */
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

    /** The computation could not get the memory it needed: 503 with Retry-After. */
    public static class OutOfMemoryException extends RuntimeException {
        OutOfMemoryException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    private final Config config;
    private final int concurrency;
    private final ThreadPoolExecutor executor;
    private final ThreadPoolExecutor modelExecutor;
    private final MeterRegistry registry;
    private final AtomicLong lastMemoryWarning = new AtomicLong();

    public ComputeGate(Config config, MeterRegistry registry) {
        this.config = config;
        this.registry = registry;
        this.concurrency = config.concurrency() > 0 ? config.concurrency()
                : Runtime.getRuntime().availableProcessors();
        this.executor = pool("mha-compute-", concurrency, config.queue(), config.nativeThreads());
        this.modelExecutor = pool("mha-model-", Math.max(1, config.modelConcurrency()),
                config.queue(), config.nativeThreads());
        Gauge.builder("mha.compute.queue.depth", this,
                        g -> g.executor.getQueue().size() + g.modelExecutor.getQueue().size())
                .description("Computations waiting for a turn").register(registry);
        Gauge.builder("mha.compute.running", this,
                        g -> g.executor.getActiveCount() + g.modelExecutor.getActiveCount())
                .description("Computations running now").register(registry);
        Gauge.builder("mha.compute.concurrency", () -> concurrency)
                .description("Computations allowed at once").register(registry);
    }

    /** A pool whose threads each limit their native operations to {@code nativeThreads}. */
    private static ThreadPoolExecutor pool(String name, int threads, int queue, int nativeThreads) {
        AtomicInteger count = new AtomicInteger();
        return new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS,
                new ArrayBlockingQueue<>(Math.max(1, queue)),
                r -> NativeOps.computeThread(r, name + count.incrementAndGet(), nativeThreads),
                new ThreadPoolExecutor.AbortPolicy());
    }

    void onStop(@Observes ShutdownEvent event) {
        executor.shutdownNow();
        modelExecutor.shutdownNow();
    }

    /**
     * Queues {@code work} and returns at once; the stage completes with its result or fails with
     * {@link BusyException}, {@link OutOfMemoryException}, {@link ComputeCancelledException} or
     * whatever {@code work} threw (a {@link BadInputException}, say), never wrapped.
     *
     * @param kind what is computed, for the metrics: {@code vectorized}, {@code model-attention}…
     */
    public <T> CompletionStage<T> submit(String kind, Function<ComputeControl, T> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        long queued = System.nanoTime();
        try {
            lane(kind).execute(() -> runNow(kind, work, queued, result));
        } catch (RejectedExecutionException e) {
            throw refuseQueueFull();
        }
        return result;
    }

    /**
     * Whether a computation of {@code kind} would now be refused because its lane's queue is
     * full: lets a caller refuse before reading and checking a request, which past saturation
     * costs more than the refusal itself. The answer may be stale at once; {@link #submit} still
     * decides.
     */
    public boolean queueFull(String kind) {
        return lane(kind).getQueue().remainingCapacity() == 0;
    }

    /** The refusal {@link #submit} throws when the queue is full, counted in the metrics. */
    public BusyException refuseQueueFull() {
        reject("queue-full", 429);
        return new BusyException("the server is busy: " + config.queue()
                + " computations are already waiting; try again in a moment", 1);
    }

    private ThreadPoolExecutor lane(String kind) {
        return kind.startsWith("model") ? modelExecutor : executor;
    }

    /** {@link #run(String, Function)} with the kind {@code other}: name the kind instead. */
    public <T> T run(Function<ComputeControl, T> work) {
        return run("other", work);
    }

    /**
     * Like {@link #submit} but waits for the result, holding the caller's thread: for callers that
     * must answer in line. An endpoint should rather return {@link #submit}'s stage.
     */
    public <T> T run(String kind, Function<ComputeControl, T> work) {
        try {
            return submit(kind, work).toCompletableFuture().get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BusyException("the server is shutting down", 5);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new CompletionException(e.getCause());
        }
    }

    private <T> void runNow(String kind, Function<ComputeControl, T> work, long queued,
            CompletableFuture<T> result) {
        long start = System.nanoTime();
        if (start - queued > config.queueWait().toNanos()) {
            reject("queue-wait", 429);
            result.completeExceptionally(new BusyException("the server is busy: no computation "
                    + "slot came free within " + config.queueWait().toSeconds()
                    + " s; try again in a moment", 2));
            return;
        }
        long deadline = start + config.timeLimit().toNanos();
        try {
            T value = work.apply(fraction -> {
                if (System.nanoTime() > deadline) {
                    throw new ComputeCancelledException(String.format(Locale.ROOT,
                            "the computation passed the time limit of %.1f s and was stopped; "
                                    + "try smaller sizes", config.timeLimit().toMillis() / 1000.0));
                }
            });
            Timer.builder("mha.compute.time").description("Time of one computation, queue excluded")
                    .tag("kind", kind).register(registry)
                    .record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
            result.complete(value);
        } catch (ComputeCancelledException e) {
            reject("time-limit", 503);
            result.completeExceptionally(e);
        } catch (Throwable t) {
            OutOfMemoryError oom = outOfMemory(t);
            if (oom != null) {
                reject("memory", 503);
                warnOutOfMemory(kind, oom);
                result.completeExceptionally(new OutOfMemoryException("the server ran out of "
                        + "memory for this computation; try again in a moment or use smaller sizes",
                        oom));
            } else {
                result.completeExceptionally(t);
            }
        }
    }

    /** At most once a minute: the log is for the teacher, who can raise the bounds. */
    private void warnOutOfMemory(String kind, OutOfMemoryError oom) {
        long now = System.nanoTime();
        long last = lastMemoryWarning.get();
        if (last != 0 && now - last < TimeUnit.MINUTES.toNanos(1)
                || !lastMemoryWarning.compareAndSet(last, now == 0 ? 1 : now)) {
            return;
        }
        Log.warnf("a %s computation ran out of memory (%s); raise -Xmx or "
                + "org.bytedeco.javacpp.maxbytes, or lower mha.compute.concurrency or the "
                + "budgets (docs/self-hosting.md)", kind, firstLine(oom.getMessage()));
    }

    /**
     * Heap exhaustion is an {@link OutOfMemoryError}; so is JavaCPP's refusal past maxbytes or
     * maxphysicalbytes, which ND4J may wrap in a RuntimeException.
     */
    static OutOfMemoryError outOfMemory(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof OutOfMemoryError oom) {
                return oom;
            }
            if (c.getCause() == c) {
                break;
            }
        }
        return null;
    }

    private void reject(String reason, int status) {
        Counter.builder("mha.rejections").description("Requests refused, by status and reason")
                .tag("status", Integer.toString(status)).tag("reason", reason).register(registry)
                .increment();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }

    public int concurrency() {
        return concurrency;
    }

    /** The configured OpenMP/BLAS threads per native operation. */
    public int nativeThreads() {
        return config.nativeThreads();
    }

    public int waiting() {
        return executor.getQueue().size() + modelExecutor.getQueue().size();
    }
}
