package dev.mhanotebook.model;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The arrays one computation creates, closed together at its end so their off-heap memory is
 * freed at once rather than when the garbage collector gets to them. Views and the shared
 * weights are never registered.
 */
final class Scope implements AutoCloseable {
    private final List<INDArray> owned = new ArrayList<>();

    INDArray own(INDArray a) {
        owned.add(a);
        return a;
    }

    /** Closes {@code a} now, before the scope ends: a large intermediate no longer needed. */
    void free(INDArray a) {
        if (forget(a) && a.closeable()) {
            a.close();
        }
    }

    /** Hands {@code a} over to {@code other}, so it outlives this scope. */
    INDArray moveTo(Scope other, INDArray a) {
        forget(a);
        return other.own(a);
    }

    /** Removes {@code a} by identity (INDArray's equals compares contents). */
    private boolean forget(INDArray a) {
        for (int i = owned.size() - 1; i >= 0; i--) {
            if (owned.get(i) == a) {
                owned.remove(i);
                return true;
            }
        }
        return false;
    }

    @Override
    public void close() {
        for (INDArray a : owned) {
            if (a.closeable()) {
                a.close();
            }
        }
        owned.clear();
    }
}
