package dev.mhanotebook.engine;

/**
 * Called by the engine between native operations (or tiles), so that a caller can stop a
 * computation that has run past its time limit or been cancelled, and can report progress.
 */
@FunctionalInterface
public interface ComputeControl {
    ComputeControl NONE = fraction -> {
    };

    /**
     * @param fraction how much of the work is done, from 0 to 1
     * @throws ComputeCancelledException to stop the computation
     */
    void checkpoint(double fraction);
}
