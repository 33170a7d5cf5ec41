package dev.mhanotebook.api;

import dev.mhanotebook.engine.ComputeCancelledException;
import dev.mhanotebook.engine.ComputeControl;
import dev.mhanotebook.engine.NativeOps;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiFunction;

/**
 * The queue of long computations, apart from the interactive ones: its own {@code slots} threads
 * (one by default) and at most {@code queue} jobs waiting, so a sweep over long sequences never
 * takes a permit of the {@link ComputeGate} and a class's clicks are not stuck behind it. A job
 * reports through {@link JobEvent}s and stops at its next checkpoint when cancelled, past its time
 * limit, or when no page has connected to its events within {@code connect-wait}. Switched off
 * with {@code mha.jobs.enabled=false}.
 */
@ApplicationScoped
public class JobQueue {

    @ConfigMapping(prefix = "mha.jobs")
    public interface Config {
        @WithDefault("true")
        boolean enabled();

        /** Jobs computing at once. */
        @WithDefault("1")
        int slots();

        /** Jobs waiting for a slot. */
        @WithDefault("4")
        int queue();

        @WithDefault("120s")
        Duration timeLimit();

        /** How long a job waits for a page to connect to its events before it is dropped. */
        @WithDefault("30s")
        Duration connectWait();

        /** How long a finished job's events are kept for a page that reconnects. */
        @WithDefault("10m")
        Duration keep();
    }

    /** Long jobs are switched off on this server. */
    public static class DisabledException extends RuntimeException {
        DisabledException() {
            super("long computations are switched off on this server (mha.jobs.enabled=false)");
        }
    }

    /** What a job's work may do: report progress and results, and stop when told to. */
    public interface Context {
        /** Checkpoints for the engine: progress within [from, to] of the whole job. */
        ComputeControl control(double from, double to);

        void point(String message, Object data, double fraction);
    }

    private final Config config;
    private final ThreadPoolExecutor executor;
    private final Map<String, Job> jobs = new ConcurrentHashMap<>();

    public JobQueue(Config config, ComputeGate.Config compute) {
        this.config = config;
        this.executor = new ThreadPoolExecutor(config.slots(), config.slots(), 0,
                TimeUnit.MILLISECONDS, new ArrayBlockingQueue<>(Math.max(1, config.queue())),
                r -> NativeOps.computeThread(r, "mha-job", compute.nativeThreads()));
    }

    public boolean enabled() {
        return config.enabled();
    }

    /** Queues {@code work}; its result becomes the data of the {@code done} event. */
    Job submit(String kind, BiFunction<Job, Context, Object> work) {
        if (!config.enabled()) {
            throw new DisabledException();
        }
        forgetOld();
        Job job = new Job(UUID.randomUUID().toString(), kind);
        jobs.put(job.id(), job);
        try {
            executor.execute(() -> run(job, work));
        } catch (RejectedExecutionException e) {
            jobs.remove(job.id());
            throw new ComputeGate.BusyException("the queue of long computations is full ("
                    + config.queue() + " waiting); try again in a minute", 30);
        }
        job.emit(new JobEvent("queued", job.id(), 0, "waiting for a slot", null));
        return job;
    }

    Job find(String id) {
        return jobs.get(id);
    }

    private void run(Job job, BiFunction<Job, Context, Object> work) {
        if (job.cancelReason() != null) {
            job.state(Job.State.CANCELLED);
            job.emit(new JobEvent("cancelled", job.id(), 0, job.cancelReason(), null));
            return;
        }
        job.state(Job.State.RUNNING);
        job.emit(new JobEvent("started", job.id(), 0, "started", null));
        long start = System.nanoTime();
        long deadline = start + config.timeLimit().toNanos();
        try {
            Object result = work.apply(job, new Context() {
                private double lastSent = -1;
                private long lastSentNanos;

                @Override
                public ComputeControl control(double from, double to) {
                    return fraction -> {
                        stopIfNeeded(job, deadline);
                        double f = from + (to - from) * fraction;
                        long now = System.nanoTime();
                        // At most one progress event per percent or per quarter second.
                        if (f - lastSent >= 0.01 || now - lastSentNanos > 250_000_000L) {
                            lastSent = f;
                            lastSentNanos = now;
                            job.emit(new JobEvent("progress", job.id(), f, null, null));
                        }
                    };
                }

                @Override
                public void point(String message, Object data, double fraction) {
                    stopIfNeeded(job, deadline);
                    job.emit(new JobEvent("point", job.id(), fraction, message, data));
                }
            });
            job.state(Job.State.DONE);
            job.emit(new JobEvent("done", job.id(), 1, String.format(Locale.ROOT,
                    "done in %.1f s", (System.nanoTime() - start) / 1e9), result));
        } catch (ComputeCancelledException e) {
            job.state(Job.State.CANCELLED);
            job.emit(new JobEvent("cancelled", job.id(), 0, e.getMessage(), null));
        } catch (RuntimeException e) {
            Log.warnf(e, "job %s (%s) failed", job.id(), job.kind());
            job.state(Job.State.FAILED);
            job.emit(new JobEvent("error", job.id(), 0, "the computation failed on the server: "
                    + e.getClass().getSimpleName(), null));
        }
    }

    private void stopIfNeeded(Job job, long deadline) {
        if (job.cancelReason() != null) {
            throw new ComputeCancelledException("cancelled: " + job.cancelReason());
        }
        if (System.nanoTime() > deadline) {
            throw new ComputeCancelledException(String.format(Locale.ROOT,
                    "the job passed its time limit of %d s and was stopped",
                    config.timeLimit().toSeconds()));
        }
        if (!job.everSubscribed() && job.ageNanos() > config.connectWait().toNanos()) {
            throw new ComputeCancelledException("no page connected to the job's events within "
                    + config.connectWait().toSeconds() + " s");
        }
    }

    private void forgetOld() {
        long keep = config.keep().toNanos() + config.timeLimit().toNanos();
        for (Iterator<Job> it = jobs.values().iterator(); it.hasNext();) {
            Job j = it.next();
            if (j.finished() && j.ageNanos() > keep) {
                it.remove();
            }
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        jobs.values().forEach(j -> j.cancel("the server is shutting down"));
        executor.shutdown();
    }
}
