package dev.mhanotebook.engine;

/** Thrown from a {@link ComputeControl} checkpoint to stop a computation. */
public class ComputeCancelledException extends RuntimeException {
    public ComputeCancelledException(String message) {
        super(message);
    }
}
