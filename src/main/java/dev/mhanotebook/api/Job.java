package dev.mhanotebook.api;

import io.smallrye.mutiny.subscription.MultiEmitter;
import java.util.ArrayList;
import java.util.List;

/**
 * A long computation in the job queue and its events. Every event is kept, so a page that
 * connects late (or reconnects) receives the whole story; subscribers get new events as they
 * happen. The job stops at its next checkpoint once cancelled: by DELETE, by its last reader
 * leaving, or by no reader connecting in time.
 */
final class Job {
    enum State { QUEUED, RUNNING, DONE, CANCELLED, FAILED }

    private final String id;
    private final String kind;
    private final long createdNanos = System.nanoTime();
    private final List<JobEvent> events = new ArrayList<>();
    private final List<MultiEmitter<? super JobEvent>> subscribers = new ArrayList<>();
    private State state = State.QUEUED;
    private boolean everSubscribed;
    private volatile String cancelReason;

    Job(String id, String kind) {
        this.id = id;
        this.kind = kind;
    }

    String id() {
        return id;
    }

    String kind() {
        return kind;
    }

    synchronized State state() {
        return state;
    }

    synchronized void state(State s) {
        state = s;
    }

    long ageNanos() {
        return System.nanoTime() - createdNanos;
    }

    synchronized boolean everSubscribed() {
        return everSubscribed;
    }

    /** Why the job was cancelled, or null while it may run. */
    String cancelReason() {
        return cancelReason;
    }

    void cancel(String reason) {
        if (cancelReason == null) {
            cancelReason = reason;
        }
    }

    synchronized boolean finished() {
        return state == State.DONE || state == State.CANCELLED || state == State.FAILED;
    }

    /** Records an event and sends it to every subscriber; an ending event completes them. */
    void emit(JobEvent event) {
        List<MultiEmitter<? super JobEvent>> targets;
        synchronized (this) {
            events.add(event);
            targets = List.copyOf(subscribers);
            if (event.ends()) {
                subscribers.clear();
            }
        }
        for (MultiEmitter<? super JobEvent> e : targets) {
            e.emit(event);
            if (event.ends()) {
                e.complete();
            }
        }
    }

    /** Replays what happened so far, then follows the job; leaving cancels it if it still runs. */
    void subscribe(MultiEmitter<? super JobEvent> emitter) {
        List<JobEvent> past;
        boolean ended;
        synchronized (this) {
            everSubscribed = true;
            past = List.copyOf(events);
            ended = !past.isEmpty() && past.get(past.size() - 1).ends();
            if (!ended) {
                subscribers.add(emitter);
            }
        }
        emitter.onTermination(() -> {
            boolean last;
            synchronized (this) {
                last = subscribers.remove(emitter) && subscribers.isEmpty();
            }
            if (last && !finished()) {
                cancel("the page was closed");
            }
        });
        for (JobEvent e : past) {
            emitter.emit(e);
        }
        if (ended) {
            emitter.complete();
        }
    }
}
